package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PartitionClocksTest {
    private static final Horizon ONE_DAY = new Horizon(Duration.ofDays(1), Grain.HOUR);
    private static final long DAY = 86_400_000L;
    private static final long T = Instant.parse("2025-09-11T10:20:00Z").toEpochMilli();

    @Test
    void nothingIsFinalUntilEveryPartitionHasAClockThenTheSlowestDecides() {
        PartitionClocks clocks = new PartitionClocks(ONE_DAY, 3);
        assertThat(clocks.advance(0, T + 5 * DAY)).isTrue();
        assertThat(clocks.advance(2, T + 3 * DAY)).isTrue();
        assertThat(clocks.firstOpenBucket())
                .as("partition 1 has read nothing: it may send anything")
                .isEmpty();
        clocks.advance(1, T + DAY);
        assertThat(clocks.firstOpenBucket()).hasValue(Grain.HOUR.bucketStart(T));
        clocks.advance(1, T + 4 * DAY);
        assertThat(clocks.firstOpenBucket())
                .as("now partition 2 is the slowest")
                .hasValue(Grain.HOUR.bucketStart(T + 2 * DAY));
    }

    @Test
    void aClockOnlyMovesForwardAndPartitionsBeyondTheCountAreIgnored() {
        PartitionClocks clocks = new PartitionClocks(ONE_DAY, 1);
        clocks.advance(0, T);
        assertThat(clocks.advance(0, T - DAY)).as("sent again after a restart").isFalse();
        assertThat(clocks.newest(0)).hasValue(T);
        assertThat(clocks.advance(1, T + 9 * DAY)).isFalse();
        assertThat(clocks.firstOpenBucket()).hasValue(Grain.HOUR.bucketStart(T - DAY));
    }
}

package ada.carbon.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StallWatchTest {
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private double lag;
    private final StallWatch watch = new StallWatch(consumed::get, () -> lag, clock::get, Duration.ofSeconds(60));

    private void after(long seconds) {
        clock.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void inputWaitingAndNothingConsumedForTheWholeWindowIsAStall() {
        lag = 500;
        assertThat(watch.stalled()).isEmpty();
        after(59);
        assertThat(watch.stalled()).as("not yet a minute").isEmpty();
        after(1);
        assertThat(watch.stalled())
                .hasValueSatisfying(
                        why -> assertThat(why).contains("500 records waiting").contains("60 s"));
        consumed.incrementAndGet();
        assertThat(watch.stalled()).as("it moved again").isEmpty();
    }

    @Test
    void nothingWaitingOrNoLagKnownIsNoStallHoweverLongItIsQuiet() {
        lag = 0;
        watch.stalled();
        after(3600);
        assertThat(watch.stalled()).isEmpty();
        lag = Double.NaN;
        assertThat(watch.stalled()).isEmpty();
    }
}

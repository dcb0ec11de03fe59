package ada.carbon.aggregator.host;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.WorkspaceEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkspaceVersionTest {
    private static final WorkspaceEvent W =
            new WorkspaceEvent("k", "h", "u", "P", "M", Instant.parse("2025-09-11T00:00:00Z"), null);

    private static WorkspaceVersion at(long published, int partition, long offset) {
        return new WorkspaceVersion(W, published, partition, offset);
    }

    @Test
    void onOnePartitionTheLaterOffsetWinsWhateverTheTimestamps() {
        assertThat(at(100, 0, 8).replaces(at(200, 0, 7))).isTrue();
        assertThat(at(200, 0, 7).replaces(at(100, 0, 8))).isFalse();
    }

    @Test
    void acrossPartitionsTheLaterPublicationWinsThenTheHigherPartition() {
        assertThat(at(200, 0, 1).replaces(at(100, 3, 99))).isTrue();
        assertThat(at(100, 3, 99).replaces(at(200, 0, 1))).isFalse();
        assertThat(at(100, 3, 1).replaces(at(100, 0, 99))).as("a tie").isTrue();
        assertThat(at(100, 0, 99).replaces(at(100, 3, 1))).isFalse();
    }
}

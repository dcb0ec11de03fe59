package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.metrics.Health;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** /health tells the truth: not UP while a thread fails or the service is stalled behind its input. */
class ServiceHealthTest {

    @Test
    void theAggregatorIsUpOnlyRunningWithoutARecentFaultAndNotStalled() {
        assertThat(AggregateCommand.health(KafkaStreams.State.RUNNING, Optional.empty(), Optional.empty()))
                .isEqualTo(Health.up("RUNNING"));
        assertThat(AggregateCommand.health(KafkaStreams.State.REBALANCING, Optional.empty(), Optional.empty())
                        .up())
                .isTrue();
        assertThat(AggregateCommand.health(KafkaStreams.State.RUNNING, Optional.of("broker gone"), Optional.empty()))
                .satisfies(h -> {
                    assertThat(h.up()).isFalse();
                    assertThat(h.state()).contains("a stream thread failed").contains("broker gone");
                });
        assertThat(AggregateCommand.health(
                        KafkaStreams.State.RUNNING, Optional.empty(), Optional.of("stalled: 7 records waiting")))
                .isEqualTo(Health.down("stalled: 7 records waiting"));
        assertThat(AggregateCommand.health(KafkaStreams.State.ERROR, Optional.empty(), Optional.empty()))
                .isEqualTo(Health.down("ERROR"));
    }

    @Test
    void theSinkIsUpOnlyConsumingAndNotStalled() {
        assertThat(SinkCommand.health(true, Optional.empty(), Optional.empty())).isEqualTo(Health.up("consuming"));
        assertThat(SinkCommand.health(true, Optional.empty(), Optional.of("stalled: 3 records waiting"))
                        .up())
                .isFalse();
        assertThat(SinkCommand.health(false, Optional.of(new IllegalStateException("no access")), Optional.empty()))
                .satisfies(h -> {
                    assertThat(h.up()).isFalse();
                    assertThat(h.state()).contains("no access");
                });
    }
}

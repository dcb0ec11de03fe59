package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.stack.LocalStack;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: the services ride out a broker restart in the middle of a live stream: they reconnect and carry
 * on, and the database ends as it would have without the restart (nothing lost, nothing counted twice).
 */
class BrokerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void aBrokerRestartedMidStreamLosesNothingAndCountsNothingTwice() throws Exception {
        List<SpecificRecord> events = new PlatformSimulator(
                        SimulatorConfig.defaults().withHosts(30).withDays(3).withSeed(77))
                .stream().toList();

        Path reference = tmp.resolve("reference.db");
        try (LocalStack stack =
                LocalStack.start(tmp.resolve("reference-state"), null, AccountingConfig.defaults(), reference)) {
            events.forEach(stack.publisher()::publish);
            stack.awaitCaughtUp(Duration.ofMinutes(5));
        }

        Path db = tmp.resolve("restarted.db");
        Path brokerDir = tmp.resolve("kafka");
        EmbeddedBroker broker = EmbeddedBroker.start(brokerDir);
        String bootstrap = broker.bootstrapServers();
        try (LocalStack stack = LocalStack.start(tmp.resolve("state"), bootstrap, AccountingConfig.defaults(), db)) {
            int half = events.size() / 2;
            events.subList(0, half).forEach(stack.publisher()::publish);
            stack.startProcessing();
            // The aggregator and sink are busy with the first half when the broker goes away.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (stack.sink().recordsApplied() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stack.sink().recordsApplied())
                    .as("the first half reached the database before")
                    .isPositive();
            broker.close();
            broker = EmbeddedBroker.start(brokerDir);
            assertThat(broker.bootstrapServers())
                    .as("the broker comes back where the clients look for it")
                    .isEqualTo(bootstrap);
            events.subList(half, events.size()).forEach(stack.publisher()::publish);
            stack.awaitCaughtUp(Duration.ofMinutes(5));
        } finally {
            broker.close();
        }
        Snapshots.assertSame("broker restarted mid-stream", Snapshots.of(reference), Snapshots.of(db));
    }
}

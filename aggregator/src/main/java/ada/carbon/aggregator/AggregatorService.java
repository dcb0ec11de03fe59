package ada.carbon.aggregator;

import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the topology as a Kafka Streams application until closed. */
public final class AggregatorService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AggregatorService.class);

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public AggregatorService(AccountingConfig config, AggregatorSettings settings) {
        this(config, settings, Topics.Outputs.LIVE);
    }

    public AggregatorService(AccountingConfig config, AggregatorSettings settings, Topics.Outputs outputs) {
        Topology topology = CarbonTopology.build(config, outputs);
        this.streams = new KafkaStreams(topology, settings.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            // Bad input never gets here (it is dead-lettered); this is a fault of the process or broker.
            log.error("aggregator stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            log.info("aggregator {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
    }

    public AggregatorService start() {
        streams.start();
        return this;
    }

    /** The running Kafka Streams instance, for its metrics (the service's /metrics endpoint). */
    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Blocks until the application stops (closed, or failed beyond recovery). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        // Leave the group: otherwise the next start waits out the old member's session (45 s) to rebalance.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        stopped.countDown();
    }
}

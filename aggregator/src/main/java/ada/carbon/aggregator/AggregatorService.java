package ada.carbon.aggregator;

import ada.carbon.core.AccountingConfig;
import ada.carbon.core.ConfigException;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
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
    private final String bootstrapServers;
    private final Map<String, Object> adminProperties;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public AggregatorService(AccountingConfig config, AggregatorSettings settings) {
        this(config, settings, Topics.Outputs.LIVE);
    }

    public AggregatorService(AccountingConfig config, AggregatorSettings settings, Topics.Outputs outputs) {
        this.bootstrapServers = settings.bootstrapServers();
        this.adminProperties = settings.adminProperties();
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
        requireOnePartitionPerRawTopic();
        streams.start();
        return this;
    }

    /**
     * Kafka Streams would run one accounting task per partition, each summing only its share of the
     * hosts into facts that then overwrite each other; so a raw topic with more partitions is refused.
     */
    private void requireOnePartitionPerRawTopic() {
        try (Admin admin = Admin.create(adminProperties)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var raw = Topics.RAW.stream().filter(existing::contains).toList();
            for (var d : admin.describeTopics(raw).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                if (d.partitions().size() != Topics.RAW_PARTITIONS) {
                    throw new ConfigException("topic " + d.name() + " has " + d.partitions().size()
                            + " partitions; the aggregator reads each raw topic as one ordered stream and needs "
                            + Topics.RAW_PARTITIONS + ". Recreate it with one partition (its events can be copied"
                            + " over in order).");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the raw topics", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe the raw topics at " + bootstrapServers + ": " + e, e);
        }
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

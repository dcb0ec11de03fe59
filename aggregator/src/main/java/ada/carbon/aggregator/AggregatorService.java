package ada.carbon.aggregator;

import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.aggregator.errors.StreamThreadFailures;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the topology as a Kafka Streams application until closed. */
public final class AggregatorService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AggregatorService.class);

    private final KafkaStreams streams;
    private final String bootstrapServers;
    private final int hostPartitions;
    private final Map<String, Object> adminProperties;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PoisonRecords poison = new PoisonRecords();
    private final StreamThreadFailures threadFailures = new StreamThreadFailures();

    public AggregatorService(AccountingConfig config, AggregatorSettings settings) {
        this(config, settings, Topics.Outputs.LIVE);
    }

    public AggregatorService(AccountingConfig config, AggregatorSettings settings, Topics.Outputs outputs) {
        this(config, settings, outputs, PieceObserver.NONE);
    }

    /** @param observer told of every piece counted: for tests that make the accounting fail on purpose */
    public AggregatorService(
            AccountingConfig config, AggregatorSettings settings, Topics.Outputs outputs, PieceObserver observer) {
        this.bootstrapServers = settings.bootstrapServers();
        this.adminProperties = settings.adminProperties();
        this.hostPartitions = describeHostPartitions();
        Topology topology = CarbonTopology.build(new TopologyConfig(config, outputs, hostPartitions, poison, observer));
        this.streams = new KafkaStreams(topology, settings.streamsProperties());
        streams.setUncaughtExceptionHandler(threadFailures);
        streams.setStateListener((now, before) -> {
            log.info("aggregator {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
    }

    public AggregatorService start() {
        log.info("aggregator accounting {} host partitions", hostPartitions);
        streams.start();
        return this;
    }

    /** How many partitions the raw cpu topic has: the host stage runs one task per partition (SPEC 2.8). */
    public int hostPartitions() {
        return hostPartitions;
    }

    private int describeHostPartitions() {
        try (Admin admin = Admin.create(adminProperties)) {
            var cpu = admin.describeTopics(List.of(Topics.RAW_CPU))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            return cpu.get(Topics.RAW_CPU).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + Topics.RAW_CPU, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot describe " + Topics.RAW_CPU + " at " + bootstrapServers
                            + " (the services create it at start): " + e.getMessage(),
                    e);
        }
    }

    /** The running Kafka Streams instance, for its metrics (the service's /metrics endpoint). */
    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The last stream thread fault (not a poison record's restart), if one struck within {@code within}. */
    public Optional<String> threadFaultWithin(Duration within) {
        return threadFailures.faultWithin(within);
    }

    /** Records dead-lettered with reason {@code error} after failing the accounting, since the start. */
    public int poisonRecords() {
        return poison.size();
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

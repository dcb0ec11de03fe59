package ada.carbon.stack;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.kafka.ClusterAccess;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: a broker (embedded, or one named by {@code --bootstrap-servers}),
 * its topics, the aggregator, the sink and a publisher. Closed in reverse order, the broker last.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /**
     * How the stack runs its work in parallel (SPEC 2.8): how many partitions the topics it creates get, and
     * how many stream threads the aggregator runs.
     */
    public record Parallelism(int partitions, int threads) {
        public static final Parallelism DEFAULT = new Parallelism(Topics.DEFAULT_PARTITIONS, 2);

        public Parallelism {
            if (partitions < 1 || threads < 1) {
                throw new IllegalArgumentException(
                        "partitions and threads must be at least 1, not " + partitions + " and " + threads);
            }
        }
    }

    private final LocalCluster cluster;
    private final String bootstrapServers;
    private final AggregatorService aggregator;
    private final SinkService sink;
    private final Thread sinkThread;
    private final EventPublisher publisher;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set when this stack stops itself at JVM exit (an external broker); the embedded broker's hook does it otherwise. */
    private Thread shutdownHook;

    private LocalStack(LocalCluster cluster, Parallelism parallelism, AccountingConfig config, Path stateDir, Path db) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        ClusterAccess.ingest()
                .and(ClusterAccess.aggregator(AggregatorSettings.DEFAULT_APPLICATION_ID, Topics.Outputs.LIVE))
                .and(ClusterAccess.sink(SinkService.DEFAULT_GROUP_ID, Topics.Outputs.LIVE))
                .withPartitions(parallelism.partitions())
                .prepare(cluster);
        // Started paused: it joins its group while the caller publishes, and restores and processes only once
        // the caller is done (startProcessing), so it reads everything published merged by event time, as a
        // reprocess would, rather than whichever topic was published first.
        this.aggregator = new AggregatorService(
                config,
                AggregatorSettings.of(bootstrapServers, stateDir)
                        .withClientProperties(cluster.client().asMap())
                        .withThreads(parallelism.threads()));
        aggregator.streams().pause();
        aggregator.start();
        this.sink = new SinkService(
                bootstrapServers,
                db,
                SinkService.DEFAULT_GROUP_ID,
                Topics.Outputs.LIVE,
                cluster.client().asMap());
        this.sinkThread = new Thread(sink::runUntilStopped, "ada-carbon-sink");
        sinkThread.start();
        this.publisher =
                EventPublisher.connect(bootstrapServers, cluster.client().asMap());
    }

    /** @param bootstrapServers a running cluster to use, reached plainly, or null for the embedded broker under {@code dataDir} */
    public static LocalStack start(Path dataDir, String bootstrapServers, AccountingConfig config, Path db) {
        return start(dataDir, bootstrapServers, KafkaClientProperties.NONE, Parallelism.DEFAULT, config, db);
    }

    /**
     * @param bootstrapServers a running cluster to use, or null for the embedded broker under {@code dataDir}
     * @param client           how to connect to that cluster ({@code --kafka-config})
     */
    public static LocalStack start(
            Path dataDir,
            String bootstrapServers,
            KafkaClientProperties client,
            Parallelism parallelism,
            AccountingConfig config,
            Path db) {
        StateGuard.check(dataDir, config);
        LocalCluster cluster = LocalCluster.of(bootstrapServers, client, dataDir);
        try {
            LocalStack stack = new LocalStack(cluster, parallelism, config, dataDir.resolve("streams"), db);
            // SIGTERM or Ctrl-C: stop publishing and consuming, let the sink finish its batch, broker last.
            if (cluster.embedded()) {
                cluster.replaceShutdownHook(stack::close);
            } else {
                stack.shutdownHook = new Thread(stack::close, "ada-carbon-stack-shutdown");
                Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
            }
            return stack;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public EventPublisher publisher() {
        return publisher;
    }

    public SinkService sink() {
        return sink;
    }

    public Admin admin() {
        return cluster.admin();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaClientProperties client() {
        return cluster.client();
    }

    /** Lets the aggregator process what is published (it starts paused); {@link #awaitCaughtUp} does too. */
    public void startProcessing() {
        publisher.flush();
        aggregator.streams().resume();
    }

    /** Lets the aggregator process everything published so far, and waits until the database reflects it. */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        startProcessing();
        try {
            quiescence().await(timeout, this::healthy);
        } catch (IllegalStateException e) {
            if (closed.get()) {
                throw new java.util.concurrent.CancellationException(
                        "stopped before the database reflected every" + " event; run the same command again to finish");
            }
            throw e;
        }
    }

    public Quiescence quiescence() {
        return new Quiescence(
                admin(), AggregatorSettings.DEFAULT_APPLICATION_ID, Topics.RAW, Topics.OUTPUT, sink::storedOffsets);
    }

    private boolean healthy() {
        return sinkThread.isAlive() && aggregator.state().isRunningOrRebalancing()
                || aggregator.state() == org.apache.kafka.streams.KafkaStreams.State.CREATED;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running this close already or will find it done
            }
        }
        closeQuietly(publisher);
        closeQuietly(sink);
        try {
            sinkThread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(aggregator);
        closeQuietly(cluster);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("while closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** For tests and the summary: the settings a state directory was computed with. */
    public static Map<String, String> settingsOf(Path dataDir) {
        return StateGuard.stored(dataDir);
    }
}

package ada.carbon.bench;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.Quiescence;
import ada.carbon.stack.broker.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator (one or more instances of it) and the sink, each run as its own JVM by the {@code aggregate}
 * and {@code sink} commands, exactly as they are deployed; the bench reads the database they produce over JDBC.
 */
final class PipelineServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PipelineServices.class);
    /**
     * The command line's entry point, which each service JVM runs as {@code ./ada-carbon aggregate} or {@code sink}
     * would: named, not imported, since the CLI module depends on this one. A child JVM has this one's class path.
     */
    private static final String CLI_MAIN = "ada.carbon.app.Main";
    /**
     * Each service's heap. The aggregator holds its open pieces in memory: with the default workload (1,000
     * hosts, a 7-day horizon) its live heap after a full collection is about 380 MB on one partition and 430 MB
     * on four with two threads (BENCHMARKS.md); at 640 MB the latter ran out of heap in phase 2, where Kafka
     * Streams' buffers and two transactional producers come on top.
     */
    static final String HEAP = "1536m";

    static final List<String> JVM_OPTIONS = jvmOptions(System.getenv("ADA_BENCH_SERVICE_OPTS"));
    /**
     * The aggregator's collector, as docker-compose.yml sets it: the throughput collector. Its live set is
     * millions of long-lived pieces, and on two cores G1's concurrent marking and refinement took the CPU
     * the stream thread needed (BENCHMARKS.md: the pipeline 12% faster, peak RSS 130 MiB lower).
     */
    static final String AGGREGATOR_GC = "-XX:+UseParallelGC";

    /** The services' options, plus any from the environment (e.g. a flight recording while profiling). */
    static List<String> jvmOptions(String extra) {
        List<String> options = new java.util.ArrayList<>(List.of("-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError"));
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return List.copyOf(options);
    }

    private final String bootstrapServers;
    private final Path dataDir;
    private final int partitions;
    private final ChildJvm sink;
    private final Path db;
    private final List<ChildJvm> aggregators = new CopyOnWriteArrayList<>();
    /** Where each instance serves /health and /metrics, in the order they were started. */
    private final List<Integer> metricsPorts = new CopyOnWriteArrayList<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipelineServices(String bootstrapServers, Path dataDir, int partitions, ChildJvm sink, Path db) {
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.partitions = partitions;
        this.sink = sink;
        this.db = db;
    }

    /**
     * Starts the sink, writing {@code dataDir/bench.db}; the aggregator's instances join with {@link #startAggregator}.
     *
     * @param partitions of the topics the services create if they are missing (the bench has created them)
     */
    static PipelineServices startSink(String bootstrapServers, Path dataDir, int partitions) throws IOException {
        Path db = dataDir.resolve("bench.db");
        ChildJvm sink = ChildJvm.start(
                "sink",
                JVM_OPTIONS,
                CLI_MAIN,
                List.of(
                        "sink",
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--db",
                        db.toString(),
                        "--metrics-port",
                        "0",
                        "--partitions",
                        Integer.toString(partitions)),
                dataDir.resolve("sink.log"));
        return new PipelineServices(bootstrapServers, dataDir, partitions, sink, db);
    }

    /**
     * One more instance of the aggregator: the same application id, a state directory of its own. The first is
     * named {@code aggregator} (state in {@code streams/}, log {@code aggregator.log}), the next {@code aggregator-2}
     * ({@code streams-2/}), and so on. Each serves /health and /metrics on a port of its own.
     */
    ChildJvm startAggregator(int threads) throws IOException {
        int n = aggregators.size() + 1;
        String name = n == 1 ? "aggregator" : "aggregator-" + n;
        int port = freePort();
        List<String> options = new java.util.ArrayList<>(JVM_OPTIONS);
        if (options.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) { // or the one asked for
            options.add(0, AGGREGATOR_GC);
        }
        ChildJvm aggregator = ChildJvm.start(
                name,
                options,
                CLI_MAIN,
                List.of(
                        "aggregate",
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--state-dir",
                        stateDir(n).toString(),
                        "--metrics-port",
                        Integer.toString(port),
                        "--partitions",
                        Integer.toString(partitions),
                        "--threads",
                        Integer.toString(threads)),
                dataDir.resolve(name + ".log"));
        aggregators.add(aggregator);
        metricsPorts.add(port);
        return aggregator;
    }

    private Path stateDir(int instance) {
        return dataDir.resolve(instance == 1 ? "streams" : "streams-" + instance);
    }

    /** The aggregator's instances, in the order they were started. */
    List<ChildJvm> aggregators() {
        return List.copyOf(aggregators);
    }

    ChildJvm sink() {
        return sink;
    }

    Path db() {
        return db;
    }

    /** The first aggregator instance's state directory. */
    Path stateDir() {
        return stateDir(1);
    }

    /** Why the pipeline can no longer make progress, or null while every service runs. */
    String problem() {
        for (ChildJvm aggregator : aggregators) {
            String p = aggregator.problem();
            if (p != null) {
                return p;
            }
        }
        return sink.problem();
    }

    /** Reads the database's progress against the topics' ends; see {@link Quiescence}. */
    CatchUp catchUp(Admin admin, BenchDatabase reader) {
        return new CatchUp(
                new Quiescence(
                        admin,
                        AggregatorSettings.DEFAULT_APPLICATION_ID,
                        Topics.RAW,
                        Topics.OUTPUT,
                        reader::sinkPositions),
                this::problem);
    }

    /**
     * Waits until all are up and idle: the first aggregator's Kafka Streams is RUNNING (its /health says so) and
     * the sink has stored a position for every output partition, which it does on its first poll.
     */
    void awaitReady(Admin admin, Duration timeout) throws InterruptedException, ExecutionException {
        await(admin, timeout, true);
    }

    /** Waits until the sink has stored a position for every output partition: it reads, and nothing is there yet. */
    void awaitSinkPolling(Admin admin, Duration timeout) throws InterruptedException, ExecutionException {
        await(admin, timeout, false);
    }

    private void await(Admin admin, Duration timeout, boolean aggregatorToo)
            throws InterruptedException, ExecutionException {
        int outputPartitions = admin.describeTopics(Topics.OUTPUT).allTopicNames().get().values().stream()
                .mapToInt(d -> d.partitions().size())
                .sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean aggregatorUp = !aggregatorToo;
        boolean sinkUp = false;
        while (!(aggregatorUp && sinkUp)) {
            String dead = problem();
            if (dead != null) {
                throw new IllegalStateException("bench: a service did not start: " + dead);
            }
            if (System.nanoTime() > deadline) {
                throw new PhaseTimeoutException(
                        "start services",
                        timeout,
                        (aggregatorToo ? "aggregator running: " + aggregatorUp + ", " : "") + "sink polling: "
                                + sinkUp);
            }
            aggregatorUp = aggregatorUp || aggregatorHealth().contains("\"RUNNING\"");
            if (!sinkUp && Files.exists(db)) {
                try (BenchDatabase reader = BenchDatabase.open(db)) {
                    sinkUp = reader.sinkPositions().size() >= outputPartitions;
                } catch (IllegalStateException notYet) {
                    // the sink is still creating its schema
                }
            }
            Thread.sleep(200);
        }
        log.info(
                "{}sink (pid {}) up and idle",
                aggregatorToo ? "aggregator (pid " + aggregators.get(0).pid() + ") and " : "",
                sink.pid());
    }

    /**
     * Every instance's /metrics text (Prometheus format), one after the other, so that a metric's samples summed
     * are the aggregator's; an instance that does not answer adds nothing.
     */
    String aggregatorMetrics() {
        StringBuilder all = new StringBuilder();
        metricsPorts.forEach(port -> all.append(get(port, "/metrics")).append('\n'));
        return all.toString();
    }

    private String aggregatorHealth() {
        return metricsPorts.isEmpty() ? "" : get(metricsPorts.get(0), "/health");
    }

    private String get(int port, String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops the sink and the aggregator's instances (SIGTERM, then SIGKILL); safe from a shutdown hook. */
    @Override
    public void close() {
        sink.close();
        ChildJvm.closeAll(aggregators);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

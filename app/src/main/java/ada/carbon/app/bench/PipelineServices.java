package ada.carbon.app.bench;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.Main;
import ada.carbon.app.broker.ChildJvm;
import ada.carbon.app.stack.Quiescence;
import ada.carbon.schemas.Topics;
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
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator and the sink, each run as its own JVM by the {@code aggregate} and {@code sink}
 * commands, exactly as they are deployed; the bench reads the database they produce over JDBC.
 */
final class PipelineServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PipelineServices.class);
    /**
     * Each service's heap. The aggregator holds its open pieces in memory: with the default workload (1,000
     * hosts, a 7-day horizon) its live set is about 260 MB, 2 million pieces at 80 bytes and the ledger;
     * 640 MB gives that and Kafka Streams' buffers room without hiding a leak behind a large heap.
     */
    static final String HEAP = "640m";
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

    private final ChildJvm aggregator;
    private final ChildJvm sink;
    private final int aggregatorMetricsPort;
    private final Path db;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipelineServices(ChildJvm aggregator, ChildJvm sink, int aggregatorMetricsPort, Path db, Path stateDir) {
        this.aggregator = aggregator;
        this.sink = sink;
        this.aggregatorMetricsPort = aggregatorMetricsPort;
        this.db = db;
        this.stateDir = stateDir;
    }

    static PipelineServices start(String bootstrapServers, Path dataDir) throws IOException {
        Path stateDir = dataDir.resolve("streams");
        Path db = dataDir.resolve("bench.db");
        int aggregatorPort = freePort();
        List<String> aggregatorOptions = new java.util.ArrayList<>(JVM_OPTIONS);
        if (aggregatorOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) { // or the one asked for
            aggregatorOptions.add(0, AGGREGATOR_GC);
        }
        ChildJvm aggregator = ChildJvm.start("aggregator", aggregatorOptions, Main.class.getName(), List.of("aggregate", "--bootstrap-servers",
                bootstrapServers, "--state-dir", stateDir.toString(), "--metrics-port", Integer.toString(aggregatorPort)),
                dataDir.resolve("aggregator.log"));
        ChildJvm sink;
        try {
            sink = ChildJvm.start("sink", JVM_OPTIONS, Main.class.getName(), List.of("sink", "--bootstrap-servers", bootstrapServers,
                    "--db", db.toString(), "--metrics-port", "0"), dataDir.resolve("sink.log"));
        } catch (IOException | RuntimeException e) {
            aggregator.close();
            throw e;
        }
        return new PipelineServices(aggregator, sink, aggregatorPort, db, stateDir);
    }

    ChildJvm aggregator() {
        return aggregator;
    }

    ChildJvm sink() {
        return sink;
    }

    Path db() {
        return db;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Why the pipeline can no longer make progress, or null while both services run. */
    String problem() {
        String p = aggregator.problem();
        return p != null ? p : sink.problem();
    }

    /** Reads the database's progress against the topics' ends; see {@link Quiescence}. */
    CatchUp catchUp(Admin admin, BenchDatabase reader) {
        return new CatchUp(new Quiescence(admin, AggregatorSettings.DEFAULT_APPLICATION_ID, Topics.RAW, Topics.OUTPUT,
                reader::sinkPositions), this::problem);
    }

    /**
     * Waits until both are up and idle: the aggregator's Kafka Streams is RUNNING (its /health says so) and
     * the sink has stored a position for every output partition, which it does on its first poll.
     */
    void awaitReady(Admin admin, Duration timeout) throws InterruptedException, ExecutionException {
        int outputPartitions = admin.describeTopics(Topics.OUTPUT).allTopicNames().get().values().stream()
                .mapToInt(d -> d.partitions().size()).sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean aggregatorUp = false;
        boolean sinkUp = false;
        while (!(aggregatorUp && sinkUp)) {
            String dead = problem();
            if (dead != null) {
                throw new IllegalStateException("bench: a service did not start: " + dead);
            }
            if (System.nanoTime() > deadline) {
                throw new PhaseTimeoutException("start services", timeout,
                        "aggregator running: " + aggregatorUp + ", sink polling: " + sinkUp);
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
        log.info("aggregator (pid {}) and sink (pid {}) are up and idle", aggregator.pid(), sink.pid());
    }

    /** The aggregator's /metrics text (Prometheus format), or an empty string if it does not answer. */
    String aggregatorMetrics() {
        return get("/metrics");
    }

    private String aggregatorHealth() {
        return get("/health");
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aggregatorMetricsPort
                    + path)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops the sink and the aggregator (SIGTERM, then SIGKILL); safe from a shutdown hook. */
    @Override
    public void close() {
        sink.close();
        aggregator.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package ada.carbon.app.bench;

import ada.carbon.app.stack.Cluster;
import ada.carbon.app.stack.KafkaClientProperties;
import ada.carbon.app.stack.LocalStack;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the benchmark: a simulated platform through the raw broker, then through a Kafka Streams
 * application that does nothing, then through the pipeline as deployed (aggregator and sink in JVMs of
 * their own), the sink against plain SQLite, restatement latency, and the services' peak memory.
 * BENCHMARKS.md describes each phase.
 */
public final class Bench {
    private static final Logger log = LoggerFactory.getLogger(Bench.class);
    /** How long the services may take to start, and a single restatement to settle. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    private final BenchSettings settings;
    private final BenchReport report = new BenchReport();

    public Bench(BenchSettings settings) {
        this.settings = settings;
    }

    public BenchReport run() throws Exception {
        Path dataDir = prepare(settings.dataDir());
        try {
            run(dataDir);
        } finally {
            if (settings.keep()) {
                log.info("bench data kept in {}", dataDir);
            } else {
                deleteTree(dataDir);
            }
        }
        return report;
    }

    private void run(Path dataDir) throws Exception {
        log.info("simulating {} hosts for {} days...", settings.hosts(), settings.days());
        long simulating = System.nanoTime();
        Workload workload = Workload.simulate(settings.simulator());
        describeWorkload(workload, (System.nanoTime() - simulating) / 1e9);

        try (PeakRss rss = new PeakRss();
             Cluster cluster = Cluster.of(null, KafkaClientProperties.NONE, dataDir);
             Admin admin = LocalStack.admin(cluster.bootstrapServers())) {
            String bootstrap = cluster.bootstrapServers();
            // On SIGTERM or Ctrl-C: the service JVMs first, while the broker still answers them, then the broker,
            // then the data directory (the finally below does not run when the JVM is stopped).
            AtomicReference<PipelineServices> running = new AtomicReference<>();
            cluster.replaceShutdownHook(() -> {
                PipelineServices services = running.get();
                if (services != null) {
                    services.close();
                }
                cluster.close();
                if (!settings.keep()) {
                    deleteTree(dataDir);
                }
            });
            cluster.brokerPid().ifPresent(pid -> rss.watch("broker", pid));
            LocalStack.ensureTopics(bootstrap); // Topics.layout(LocalStack.PARTITIONS), as every service creates them
            int partitions = partitionsOf(admin, Topics.RAW_CPU);

            log.info("phase 1: raw produce and consume of {} events", workload.size());
            RawThroughput.Result raw = RawThroughput.measure(admin, bootstrap, workload, partitions, settings.phaseTimeout());
            report.row("1 raw limit", "produce (tuned producer, acks=all)", "%s", raw.produce().describe("events"));
            report.row("1 raw limit", "consume (tuned consumer)", "%s", raw.consume().describe("events"));

            log.info("phase 1b: a no-op Kafka Streams application with the aggregator's settings reads {} events"
                    + " as they are published", workload.size());
            StreamsFloor.Result floor = StreamsFloor.measure(bootstrap, admin, workload, dataDir.resolve("streams-floor"),
                    settings.phaseTimeout());
            report.row("1 raw limit", "Kafka Streams, no-op processor", "%s", floor.events().describe("events"));
            report.row("1 raw limit", "  its publishing (all acked)", "%s", floor.publish().describe("events"));
            report.row("1 raw limit", "  floor / raw produce", "%.2f", floor.events().perSecond() / raw.produce().perSecond());

            log.info("phase 2: starting the aggregator and the sink JVMs");
            try (PipelineServices services = PipelineServices.start(bootstrap, dataDir)) {
                running.set(services);
                rss.watch("aggregator", services.aggregator().pid());
                rss.watch("sink", services.sink().pid());
                services.awaitReady(admin, START_TIMEOUT);
                runOnPipeline(dataDir, bootstrap, admin, workload, services, raw, rss);
            }
        }
    }

    private void runOnPipeline(Path dataDir, String bootstrap, Admin admin, Workload workload, PipelineServices services,
                               RawThroughput.Result raw, PeakRss rss) throws Exception {
        try (BenchDatabase db = BenchDatabase.open(services.db())) {
            CatchUp catchUp = services.catchUp(admin, db);

            log.info("phase 2: publishing {} events to the raw topics; waiting for the database", workload.size());
            PipelineRun.Result pipeline = PipelineRun.measure(bootstrap, workload, catchUp, settings.phaseTimeout());
            report.row("2 pipeline", "events in to database complete", "%s", pipeline.events().describe("events"));
            report.row("2 pipeline", "of which publishing (all acked)", "%s", pipeline.publish().describe("events"));
            String metrics = services.aggregatorMetrics();
            Files.writeString(dataDir.resolve("aggregator-metrics.txt"), metrics);
            report.row("2 pipeline", "aggregator restatements", "%,.0f", metric(metrics, "ada_carbon_restatements_total"));
            report.row("2 pipeline", "fact_usage rows in the database", "%,d", db.count("fact_usage"));
            report.ratio(pipeline.events(), raw.produce());

            log.info("phase 3: the sink against plain SQLite");
            FactsTopic.Contents facts = FactsTopic.read(bootstrap, settings.phaseTimeout());
            SinkReplay.Result sink = SinkReplay.measure(bootstrap, admin, dataDir.resolve("sink-replay.db"),
                    facts.records(), settings.phaseTimeout());
            report.row("3 sink", "SinkService replay of the outputs", "%s", sink.facts().describe("fact rows"));
            report.row("3 sink", "  its records and transactions", "%,d records (%,d of %s), %,d transactions, %.1f ms"
                    + " each in SQLite", sink.recordsApplied(), facts.records(), Topics.FACTS, sink.batches(),
                    sink.batches() == 0 ? 0.0 : sink.commitNanos() / 1e6 / sink.batches());
            Rate plain = PlainUpsert.run(dataDir.resolve("plain-upsert.db"), facts.rows());
            report.row("3 sink", "plain JDBC batched upsert", "%s", plain.describe("fact rows"));
            report.row("3 sink", "  sink / plain", "%.2f", sink.facts().perSecond() / plain.perSecond());

            log.info("phase 4: {} restatements, one at a time", settings.restatements());
            RestatementProbe.Result restated = RestatementProbe.measure(bootstrap, db, AccountingConfig.defaults().grain(),
                    settings.restatements(), catchUp, PROBE_TIMEOUT);
            report.row("4 restatement", "new actual to all bucket facts", "p50 %.0f ms, p99 %.0f ms (%d of %d probes"
                            + " observed)", restated.percentileMillis(50), restated.percentileMillis(99),
                    restated.latencies().size(), restated.requested());

            Map<String, OptionalLong> peaks = rss.peaksKb();
            for (String name : List.of("broker", "aggregator", "sink")) {
                OptionalLong kb = peaks.getOrDefault(name, OptionalLong.empty());
                report.row("5 memory", "peak RSS (VmHWM) " + name, "%s",
                        kb.isPresent() ? String.format(java.util.Locale.ROOT, "%,.0f MiB", kb.getAsLong() / 1024.0) : "n/a");
            }
            report.row("5 memory", "aggregator state directory", "%,.1f MiB", sizeOf(services.stateDir()) / 1048576.0);
        }
    }

    private void describeWorkload(Workload w, double simulatedSeconds) {
        var config = w.config();
        report.header("ada-carbon bench: %,d hosts x %d days, cpu interval %d s, seed %d (simulated in %.1f s)",
                config.hosts(), config.days(), config.stepSeconds(), config.seed(), simulatedSeconds);
        report.header("workload: %,d events (%,d cpu, %,d intensity, %,d workspace, %,d user), %,.1f MiB of Avro values",
                w.size(), w.count(EventKind.CPU), w.count(EventKind.INTENSITY), w.count(EventKind.WORKSPACE),
                w.count(EventKind.USER), w.valueBytes() / 1048576.0);
        report.header("services: embedded broker (KRaft, one node), aggregator and sink JVMs with -Xmx%s; %d cores",
                PipelineServices.HEAP, Runtime.getRuntime().availableProcessors());
    }

    /** The sum of a Prometheus metric's samples, or NaN when absent. */
    static double metric(String prometheusText, String name) {
        double sum = Double.NaN;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    private static int partitionsOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }

    /** The data directory: a fresh temporary one, or the one given, which must be absent or empty. */
    private static Path prepare(Path given) throws IOException {
        if (given == null) {
            return Files.createTempDirectory("ada-carbon-bench-").toAbsolutePath();
        }
        Path dir = given.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty: the bench needs a fresh broker and state");
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** Bytes under a directory that a live process is still writing: files that vanish meanwhile count as 0. */
    static long sizeOf(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (NoSuchFileException gone) {
                    return 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return sizeOf(dir); // a directory vanished under the walk: try again
            }
            throw e;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {} entirely: {}", dir, e.toString());
        }
    }
}

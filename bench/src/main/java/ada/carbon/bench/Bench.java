package ada.carbon.bench;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.core.AccountingConfig;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.kafka.TopicProvisioning;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.LocalCluster;
import ada.carbon.stack.broker.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the benchmark: a simulated platform through the raw broker, then through a Kafka Streams
 * application that does nothing, then through the pipeline as deployed (aggregator and sink in JVMs of
 * their own), the sink against plain SQLite, restatement latency, the services' peak memory, and the
 * backfill under three configurations of partitions, threads and instances, each on a broker of its own.
 * BENCHMARKS.md describes each phase.
 */
public final class Bench {
    private static final Logger log = LoggerFactory.getLogger(Bench.class);
    /** How long the services may take to start, and a single restatement to settle. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    /** The targets, checked and reported (met or not), never a reason to fail the run. */
    static final double FLOOR_TARGET = 0.5;

    static final double SCALING_TARGET = 1.4;
    static final double HEAP_SHARE_TARGET = 0.6;

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

        FiguresOf live = runLive(dataDir, workload);
        List<Backfill.Result> backfills = new ArrayList<>();
        for (Backfill.Setup setup : backfillSetups(settings.partitions())) {
            log.info("phase 6: backfill {}", setup.describe());
            backfills.add(backfill(dataDir, setup, workload));
        }
        reportBackfill(backfills, live);
    }

    /** The three configurations of the backfill: one partition and thread, N partitions and two threads, two instances. */
    private static List<Backfill.Setup> backfillSetups(int partitions) {
        return List.of(
                new Backfill.Setup("a", 1, 1, 1),
                new Backfill.Setup("b", partitions, 2, 1),
                new Backfill.Setup("c", partitions, 1, 2));
    }

    /**
     * A database's figures, and the file: phase 2's (as it left it, before phase 4 restates some) or a backfill's;
     * and how many events its aggregator dead-lettered as late.
     */
    private record FiguresOf(String name, BenchDatabase.Figures figures, Path db, double lateEvents) {}

    /** Phases 1 to 5, on one broker whose topics have {@code --partitions} partitions. */
    private FiguresOf runLive(Path dataDir, Workload workload) throws Exception {
        try (PeakRss rss = new PeakRss();
                LocalCluster cluster = LocalCluster.of(null, KafkaClientProperties.NONE, dataDir);
                Admin admin = Cluster.admin(cluster.bootstrapServers())) {
            String bootstrap = cluster.bootstrapServers();
            AtomicReference<PipelineServices> running = stopOnExit(cluster, dataDir);
            cluster.brokerPid().ifPresent(pid -> rss.watch("broker", pid));
            TopicProvisioning.ensure(bootstrap, settings.partitions());
            int partitions = partitionsOf(admin, Topics.RAW_CPU);

            log.info("phase 1: raw produce and consume of {} events", workload.size());
            RawThroughput.Result raw =
                    RawThroughput.measure(admin, bootstrap, workload, partitions, settings.phaseTimeout());
            report.row(
                    "1 raw limit",
                    "produce (tuned producer, acks=all)",
                    "%s",
                    raw.produce().describe("events"));
            report.row(
                    "1 raw limit",
                    "consume (tuned consumer)",
                    "%s",
                    raw.consume().describe("events"));

            log.info(
                    "phase 1b: a no-op Kafka Streams application with the aggregator's settings ({} stream threads)"
                            + " reads {} events as they are published",
                    settings.threads(),
                    workload.size());
            StreamsFloor.Result floor = StreamsFloor.measure(
                    bootstrap,
                    admin,
                    workload,
                    dataDir.resolve("streams-floor"),
                    settings.threads(),
                    settings.phaseTimeout());
            report.row(
                    "1 raw limit",
                    "Kafka Streams, no-op processor",
                    "%s",
                    floor.events().describe("events"));
            report.row(
                    "1 raw limit",
                    "  its publishing (all acked)",
                    "%s",
                    floor.publish().describe("events"));
            report.row(
                    "1 raw limit",
                    "  floor / raw produce",
                    "%.2f",
                    floor.events().perSecond() / raw.produce().perSecond());

            log.info("phase 2: starting the aggregator and the sink JVMs");
            try (PipelineServices services = PipelineServices.startSink(bootstrap, dataDir, settings.partitions())) {
                running.set(services);
                ChildJvm aggregator = services.startAggregator(settings.threads());
                rss.watch("aggregator", aggregator.pid());
                rss.watch("sink", services.sink().pid());
                services.awaitReady(admin, START_TIMEOUT);
                return runOnPipeline(dataDir, bootstrap, admin, workload, services, raw, floor, rss);
            }
        }
    }

    /**
     * On SIGTERM or Ctrl-C: the service JVMs first, while the broker still answers them, then the broker, then the
     * data directory (the finally of {@link #run()} does not run when the JVM is stopped).
     *
     * @return where to put the services while they run
     */
    private AtomicReference<PipelineServices> stopOnExit(LocalCluster cluster, Path dataDir) {
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
        return running;
    }

    private FiguresOf runOnPipeline(
            Path dataDir,
            String bootstrap,
            Admin admin,
            Workload workload,
            PipelineServices services,
            RawThroughput.Result raw,
            StreamsFloor.Result floor,
            PeakRss rss)
            throws Exception {
        try (BenchDatabase db = BenchDatabase.open(services.db())) {
            CatchUp catchUp = services.catchUp(admin, db);

            log.info("phase 2: publishing {} events to the raw topics; waiting for the database", workload.size());
            PipelineRun.Result pipeline = PipelineRun.measure(bootstrap, workload, catchUp, settings.phaseTimeout());
            report.row(
                    "2 pipeline",
                    "events in to database complete",
                    "%s",
                    pipeline.events().describe("events"));
            report.row(
                    "2 pipeline",
                    "of which publishing (all acked)",
                    "%s",
                    pipeline.publish().describe("events"));
            AggregatorGroup group =
                    AggregatorGroup.describe(admin, AggregatorSettings.DEFAULT_APPLICATION_ID, START_TIMEOUT);
            report.row(
                    "2 pipeline",
                    "aggregator stream threads, host tasks",
                    "%s threads, %s tasks (%d partitions)",
                    group.threads(),
                    group.hostTasks(),
                    settings.partitions());
            String metrics = services.aggregatorMetrics();
            Files.writeString(dataDir.resolve("aggregator-metrics.txt"), metrics);
            report.row(
                    "2 pipeline", "aggregator restatements", "%,.0f", metric(metrics, "ada_carbon_restatements_total"));
            double late = lateEvents(metrics);
            report.row("2 pipeline", "events dead-lettered as late", "%,.0f", late);
            report.row("2 pipeline", "fact_usage rows in the database", "%,d", db.count("fact_usage"));
            report.row(
                    "2 pipeline",
                    "pipeline / streams floor",
                    "%.2f (target >= %.2f: %s)",
                    pipeline.events().perSecond() / floor.events().perSecond(),
                    FLOOR_TARGET,
                    met(pipeline.events().perSecond() / floor.events().perSecond() >= FLOOR_TARGET));
            report.ratio(pipeline.events(), raw.produce());
            report.floorRatio(pipeline.events(), floor.events());
            // Phase 4 restates some of these figures: what the backfill is compared with is kept as phase 2 left it.
            Path afterPhase2 = dataDir.resolve("bench-after-phase-2.db");
            db.copyTo(afterPhase2);
            FiguresOf live;
            try (BenchDatabase copy = BenchDatabase.open(afterPhase2)) {
                live = new FiguresOf("phase 2", copy.figures(), afterPhase2, late);
            }

            log.info("phase 3: the sink against plain SQLite");
            FactsTopic.Contents facts = FactsTopic.read(bootstrap, settings.phaseTimeout());
            SinkReplay.Result sink = SinkReplay.measure(
                    bootstrap, admin, dataDir.resolve("sink-replay.db"), facts.records(), settings.phaseTimeout());
            report.row(
                    "3 sink",
                    "SinkService replay of the outputs",
                    "%s",
                    sink.facts().describe("fact rows"));
            report.row(
                    "3 sink",
                    "  its records and transactions",
                    "%,d records (%,d of %s), %,d transactions, %.1f ms" + " each in SQLite",
                    sink.recordsApplied(),
                    facts.records(),
                    Topics.FACTS,
                    sink.batches(),
                    sink.batches() == 0 ? 0.0 : sink.commitNanos() / 1e6 / sink.batches());
            Rate plain = PlainUpsert.run(dataDir.resolve("plain-upsert.db"), facts.rows());
            report.row("3 sink", "plain JDBC batched upsert", "%s", plain.describe("fact rows"));
            report.row("3 sink", "  sink / plain", "%.2f", sink.facts().perSecond() / plain.perSecond());

            log.info("phase 4: {} restatements, one at a time", settings.restatements());
            RestatementProbe.Result restated = RestatementProbe.measure(
                    bootstrap,
                    db,
                    AccountingConfig.defaults().grain(),
                    settings.restatements(),
                    catchUp,
                    PROBE_TIMEOUT);
            report.row(
                    "4 restatement",
                    "new actual to all bucket facts",
                    "p50 %.0f ms, p99 %.0f ms (%d of %d probes" + " observed)",
                    restated.percentileMillis(50),
                    restated.percentileMillis(99),
                    restated.latencies().size(),
                    restated.requested());
            report.row("4 restatement", "  p99 under 1 s", "%s", met(restated.percentileMillis(99) < 1000));

            Map<String, OptionalLong> peaks = rss.peaksKb();
            for (String name : List.of("broker", "aggregator", "sink")) {
                report.row(
                        "5 memory",
                        "peak RSS (VmHWM) " + name,
                        "%s",
                        BenchReport.mibEach(List.of(kbToBytes(peaks.getOrDefault(name, OptionalLong.empty())))));
            }
            report.row("5 memory", "aggregator state directory", "%,.1f MiB", sizeOf(services.stateDir()) / 1048576.0);
            return live;
        }
    }

    /** One configuration of phase 6 on a broker of its own, under {@code dataDir/backfill-<label>}. */
    private Backfill.Result backfill(Path dataDir, Backfill.Setup setup, Workload workload) throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("backfill-" + setup.label()));
        try (LocalCluster cluster = LocalCluster.of(null, KafkaClientProperties.NONE, dir);
                Admin admin = Cluster.admin(cluster.bootstrapServers())) {
            AtomicReference<PipelineServices> running = stopOnExit(cluster, dataDir);
            TopicProvisioning.ensure(cluster.bootstrapServers(), setup.partitions());
            return Backfill.measure(
                    cluster.bootstrapServers(),
                    admin,
                    cluster.brokerPid(),
                    workload,
                    setup,
                    dir,
                    running,
                    START_TIMEOUT,
                    settings.phaseTimeout());
        }
    }

    /**
     * The backfill's table; the scaling from one thread to two and the heap of each of two instances against one's,
     * each against its target; and whether every database holds the same figures, the run failing if not.
     */
    private void reportBackfill(List<Backfill.Result> backfills, FiguresOf live) {
        backfills.forEach(report::backfill);
        Backfill.Result one = backfills.get(0);
        Backfill.Result twoThreads = backfills.get(1);
        Backfill.Result twoInstances = backfills.get(2);
        double scaling = twoThreads.events().perSecond() / one.events().perSecond();
        report.scaling(scaling);
        report.row(
                "6 backfill",
                "scaling (b) / (a), 2 threads / 1 thread",
                "%.2f (target >= %.2f: %s)",
                scaling,
                SCALING_TARGET,
                met(scaling >= SCALING_TARGET));
        OptionalLong single = twoThreads.aggregators().get(0).liveHeapBytes();
        List<Double> shares = twoInstances.aggregators().stream()
                .map(i -> single.isPresent() && i.liveHeapBytes().isPresent()
                        ? (double) i.liveHeapBytes().getAsLong() / single.getAsLong()
                        : Double.NaN)
                .toList();
        report.row(
                "6 backfill",
                "live heap of each instance of (c) / (b)",
                "%s (target <= %.2f each: %s)",
                shares.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(" + ")),
                HEAP_SHARE_TARGET,
                met(shares.stream().allMatch(x -> x <= HEAP_SHARE_TARGET)));
        compareFigures(backfills, live);
    }

    /**
     * Every backfill's database, and the live pipeline's after phase 2, against configuration (a)'s: one partition.
     * A difference fails the run, but for phase 2's when it dead-lettered events as late: read while it is being
     * published, a workload longer than the horizon can have one topic read ahead of another (README, "Choices
     * where the SPEC leaves room"), and then its figures rightly lack those events. That is reported, not failed.
     */
    private void compareFigures(List<Backfill.Result> backfills, FiguresOf live) {
        List<FiguresOf> all = new ArrayList<>();
        backfills.forEach(
                b -> all.add(new FiguresOf("(" + b.setup().label() + ")", b.figures(), b.db(), b.lateEvents())));
        all.add(live);
        FiguresOf reference = all.get(0);
        List<String> differing = new ArrayList<>();
        for (FiguresOf other : all.subList(1, all.size())) {
            if (other.figures().equals(reference.figures())) {
                continue;
            }
            boolean lateWhenLive = other == live && live.lateEvents() > 0;
            differing.add(other.name()
                    + (lateWhenLive
                            ? String.format(Locale.ROOT, " (%,.0f events late, read live)", live.lateEvents())
                            : ""));
            String what = String.format(
                    Locale.ROOT,
                    "the figures of %s differ from %s's, one partition: %,d fact_usage"
                            + " and %,d fact_intensity rows against %,d and %,d; first difference, %s",
                    other.name(),
                    reference.name(),
                    other.figures().factUsageRows(),
                    other.figures().factIntensityRows(),
                    reference.figures().factUsageRows(),
                    reference.figures().factIntensityRows(),
                    firstDifference(reference.db(), other.db()));
            if (lateWhenLive) {
                report.warn(what
                        + String.format(
                                Locale.ROOT, "; phase 2 dead-lettered %,.0f events as late", live.lateEvents()));
            } else {
                report.fail(what);
            }
        }
        BenchDatabase.Figures f = reference.figures();
        report.row(
                "6 backfill",
                "figures of (b), (c) and phase 2 against (a)",
                "%s",
                differing.isEmpty()
                        ? String.format(
                                Locale.ROOT,
                                "identical: %,d fact_usage and %,d fact_intensity rows (sha-256 %s...)",
                                f.factUsageRows(),
                                f.factIntensityRows(),
                                f.sha256().substring(0, 16))
                        : "DIFFER: " + String.join(", ", differing) + " (below)");
    }

    private static String firstDifference(Path reference, Path other) {
        try (BenchDatabase a = BenchDatabase.open(reference);
                BenchDatabase b = BenchDatabase.open(other)) {
            return BenchDatabase.firstDifference(a.figureRows(), b.figureRows()).orElse("none found row by row");
        }
    }

    /** A size in kB (as /proc gives it) in bytes. */
    static OptionalLong kbToBytes(OptionalLong kb) {
        return kb.isPresent() ? OptionalLong.of(kb.getAsLong() * 1024) : OptionalLong.empty();
    }

    static String met(boolean met) {
        return met ? "met" : "not met";
    }

    private void describeWorkload(Workload w, double simulatedSeconds) {
        var config = w.config();
        report.header(
                "ada-carbon bench: %,d hosts x %d days, cpu interval %d s, seed %d (simulated in %.1f s)",
                config.hosts(), config.days(), config.stepSeconds(), config.seed(), simulatedSeconds);
        report.header(
                "workload: %,d events (%,d cpu, %,d intensity, %,d workspace, %,d user), %,.1f MiB of Avro values",
                w.size(),
                w.count(EventKind.CPU),
                w.count(EventKind.INTENSITY),
                w.count(EventKind.WORKSPACE),
                w.count(EventKind.USER),
                w.valueBytes() / 1048576.0);
        report.header(
                "services: embedded broker (KRaft, one node), aggregator and sink JVMs with -Xmx%s; %d cores",
                PipelineServices.HEAP, Runtime.getRuntime().availableProcessors());
        report.header(
                "phases 1 to 5: topics of %d partitions, the aggregator and the streams floor with %d stream threads",
                settings.partitions(), settings.threads());
    }

    /** The events an aggregator dead-lettered as late (SPEC 2.6), from its /metrics; NaN when absent. */
    static double lateEvents(String prometheusText) {
        return metric(prometheusText, "ada_carbon_events_rejected_total", "reason=\"late\"");
    }

    /** The sum of a Prometheus metric's samples, or NaN when absent. */
    static double metric(String prometheusText, String name) {
        return metric(prometheusText, name, "");
    }

    /** The sum of the samples of a Prometheus metric that carry a label (e.g. {@code reason="late"}), or NaN. */
    static double metric(String prometheusText, String name, String label) {
        double sum = Double.NaN;
        for (String line : prometheusText.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(label)) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    private static int partitionsOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .size();
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
            return all.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (NoSuchFileException gone) {
                            return 0;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
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

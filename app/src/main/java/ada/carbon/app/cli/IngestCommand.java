package ada.carbon.app.cli;

import ada.carbon.app.metrics.Health;
import ada.carbon.app.metrics.ServiceMetrics;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.JsonLinesIngest;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.ingest.source.common.Anomalies;
import ada.carbon.ingest.source.common.Checkpoint;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.FollowClock;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.HttpSettings;
import ada.carbon.ingest.source.common.JsonLinesFileSink;
import ada.carbon.ingest.source.common.PublisherSink;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.SourceTimes;
import ada.carbon.ingest.source.common.WindowedSource;
import ada.carbon.ingest.source.intensity.IntensityClient;
import ada.carbon.ingest.source.intensity.IntensitySeries;
import ada.carbon.ingest.source.intensity.IntensitySettings;
import ada.carbon.ingest.source.intensity.IntensitySource;
import ada.carbon.ingest.source.prometheus.PrometheusClient;
import ada.carbon.ingest.source.prometheus.PrometheusSettings;
import ada.carbon.ingest.source.prometheus.PrometheusSource;
import ada.carbon.ingest.source.registry.RegistryInput;
import ada.carbon.ingest.source.registry.RegistryMapping;
import ada.carbon.ingest.source.registry.RegistrySource;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.ClusterAccess;
import ada.carbon.stack.LocalCluster;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Publishes raw events. A new source is a new subcommand here, publishing through {@link EventPublisher}. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Publish raw events to the raw topics.",
        subcommands = {
            IngestCommand.Files.class,
            IngestCommand.Simulate.class,
            IngestCommand.Prometheus.class,
            IngestCommand.Intensity.class,
            IngestCommand.Registry.class
        })
public final class IngestCommand {

    @Command(name = "file", mixinStandardHelpOptions = true, description = "Publish SPEC JSON Lines files.")
    static final class Files implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Mixin
        KafkaConfigOption kafka;

        @Mixin
        MetricsBindOption metricsBind;

        @Mixin
        PartitionsOption partitions;

        @Parameters(arity = "1..*", paramLabel = "EVENTS.jsonl")
        List<Path> files;

        @Option(
                names = "--metrics-port",
                paramLabel = "PORT",
                description =
                        "Serve /health and /metrics on this port while publishing; 0: none (default ${DEFAULT-VALUE}).")
        int metricsPort = 9400;

        @Override
        public Integer call() throws Exception {
            try (Cluster cluster = Cluster.connect(bootstrapServers, kafka.properties());
                    EventPublisher publisher = publisher(cluster, partitions);
                    ServiceMetrics metrics = ingestMetrics(metricsBind, metricsPort, publisher)) {
                var counts = new JsonLinesIngest(publisher).ingest(files);
                publisher.flush();
                System.out.println(counts);
            }
            return 0;
        }
    }

    @Command(
            name = "simulate",
            mixinStandardHelpOptions = true,
            description = "Publish the events of a simulated Ada platform (deterministic for a seed).")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Mixin
        KafkaConfigOption kafka;

        @Mixin
        MetricsBindOption metricsBind;

        @Mixin
        PartitionsOption partitions;

        @Option(names = "--hosts", description = "default ${DEFAULT-VALUE}")
        int hosts = 200;

        @Option(names = "--days", description = "default ${DEFAULT-VALUE}")
        int days = 7;

        @Option(
                names = "--step",
                description = "CPU interval, e.g. 5m or PT5M (default ${DEFAULT-VALUE})",
                defaultValue = "5m")
        Duration step;

        @Option(names = "--start", description = "First instant, ISO-8601 UTC (default 2025-09-01T00:00:00Z)")
        Instant start = Instant.parse("2025-09-01T00:00:00Z");

        @Option(names = "--seed", description = "default ${DEFAULT-VALUE}")
        long seed = 2025;

        @Option(
                names = "--metrics-port",
                paramLabel = "PORT",
                description =
                        "Serve /health and /metrics on this port while publishing; 0: none (default ${DEFAULT-VALUE}).")
        int metricsPort = 9400;

        @Override
        public Integer call() throws Exception {
            var config = SimulatorConfig.defaults()
                    .withHosts(hosts)
                    .withDays(days)
                    .withStep(step)
                    .withStart(start)
                    .withSeed(seed);
            try (Cluster cluster = Cluster.connect(bootstrapServers, kafka.properties());
                    EventPublisher publisher = publisher(cluster, partitions);
                    ServiceMetrics metrics = ingestMetrics(metricsBind, metricsPort, publisher)) {
                new PlatformSimulator(config).run(publisher::publish);
                publisher.flush();
                System.out.println(publisher.counts());
            }
            return 0;
        }
    }

    /** /health and /metrics of a publishing ingest while it runs, or null for port 0. */
    static ServiceMetrics ingestMetrics(MetricsBindOption bind, int port, EventPublisher publisher)
            throws java.io.IOException {
        return port == 0
                ? null
                : ServiceMetrics.of("ingest")
                        .bindIngest(publisher::counts)
                        .serve(bind.at(port), () -> Health.up("publishing"));
    }

    /** A publisher to the raw topics of {@code cluster}, once they exist and it may write them. */
    static EventPublisher publisher(Cluster cluster, PartitionsOption partitions) {
        ClusterAccess.ingest().withPartitions(partitions.partitions).prepare(cluster);
        return EventPublisher.connect(
                cluster.bootstrapServers(), cluster.client().asMap());
    }

    // ----------------------------------------------------------------------------------------------
    // The real sources: prometheus, carbon-intensity, registry.

    /** Where a source's events go (the raw topics, or a JSON Lines file) and where its progress is kept. */
    static final class OutputOptions {
        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description = "Publish to this Kafka cluster (default: the embedded broker under --data-dir).")
        String bootstrapServers;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "The embedded broker's data and the default checkpoints (default ${DEFAULT-VALUE}).")
        Path dataDir = Path.of(".ada-carbon");

        @Option(
                names = "--out",
                paramLabel = "FILE.jsonl",
                description = "Write the events to this SPEC JSON Lines file instead of publishing them.")
        Path out;

        @Option(
                names = "--checkpoint",
                paramLabel = "FILE",
                description = "This run's checkpoint (default:"
                        + " DIR/checkpoints/SOURCE.json, or FILE.jsonl.checkpoint.json with --out).")
        Path checkpoint;

        @Option(names = "--restart", description = "Ignore the checkpoint: start the job from its beginning.")
        boolean restart;

        @Mixin
        KafkaConfigOption kafka;

        @Mixin
        PartitionsOption partitions;
    }

    /** How the sources talk HTTP. */
    static final class HttpOptions {
        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                description = "Longest wait for one whole answer, its body and redirects included, e.g. 60s"
                        + " (default ${DEFAULT-VALUE}).",
                defaultValue = "60s")
        Duration timeout;

        @Option(
                names = "--connect-timeout",
                paramLabel = "DURATION",
                description = "default ${DEFAULT-VALUE}",
                defaultValue = "10s")
        Duration connectTimeout;

        @Option(
                names = "--retries",
                description = "Further attempts after a timeout, a refused connection, 429 or"
                        + " 5xx (default ${DEFAULT-VALUE}).")
        int retries = HttpSettings.DEFAULT_RETRIES;

        @Option(
                names = "--backoff",
                paramLabel = "DURATION",
                description = "Wait before the first retry, doubled for each further one (default ${DEFAULT-VALUE}).",
                defaultValue = "1s")
        Duration backoff;

        @Option(
                names = "--max-backoff",
                paramLabel = "DURATION",
                description = "Longest wait between attempts, Retry-After included (default ${DEFAULT-VALUE}).",
                defaultValue = "1m")
        Duration maxBackoff;

        @Option(
                names = "--header",
                paramLabel = "NAME=VALUE",
                description = "An HTTP header sent with every request (repeatable), e.g. Authorization='Bearer …';"
                        + " only ever to the configured URL's origin.")
        Map<String, String> headers = new LinkedHashMap<>();

        @Option(
                names = "--max-body",
                paramLabel = "SIZE",
                converter = ByteSize.class,
                defaultValue = "64MB",
                description = "The longest answer taken, e.g. 64MB, 512KB (powers of 1024); a longer one fails the"
                        + " request and is read no further (default ${DEFAULT-VALUE}).")
        long maxBody;

        HttpFetcher fetcher() {
            return new HttpFetcher(
                    new HttpSettings(connectTimeout, timeout, retries, backoff, maxBackoff, headers, maxBody));
        }
    }

    /** A number of bytes: {@code 1048576}, {@code 512KB}, {@code 64MB}, {@code 1GB} (K, M and G are powers of 1024). */
    static final class ByteSize implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE =
                Pattern.compile("(\\d{1,18})\\s*(?:([kmg])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

        @Override
        public Long convert(String text) {
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException(
                        "not a size: '" + text + "' (e.g. 1048576, 512KB, 64MB, 1GB)");
            }
            long unit = m.group(2) == null
                    ? 1
                    : switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "k" -> 1L << 10;
                        case "m" -> 1L << 20;
                        default -> 1L << 30;
                    };
            try {
                return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            } catch (ArithmeticException e) {
                throw new CommandLine.TypeConversionException("too large a size: '" + text + "'");
            }
        }
    }

    /** {@code --from T --to T}, or {@code --follow} (optionally {@code --from T}). */
    static final class RangeOptions {
        @Option(
                names = "--from",
                paramLabel = "TIME",
                description = "Start: 2025-09-01, 2025-09-01T06:00Z, now-7d. With --follow: catch up from here first.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End (exclusive) of a backfill.")
        String to;

        @Option(names = "--follow", description = "Keep going: emit new data as it becomes complete, until stopped.")
        boolean follow;

        void check() {
            if (follow && to != null) {
                throw new IllegalArgumentException("--to does not go with --follow");
            }
            if (!follow && (from == null || to == null)) {
                throw new IllegalArgumentException("give --from and --to for a backfill, or --follow");
            }
        }

        Optional<Instant> from() {
            return Optional.ofNullable(from).map(f -> SourceTimes.argument(f, Instant.now()));
        }

        Instant to() {
            return SourceTimes.argument(to, Instant.now());
        }

        /**
         * Follows or backfills, as the options say; returns what the source left out.
         *
         * @param from {@link #from()} as the job was described with (a relative time is read once)
         */
        Anomalies run(WindowedSource source, Optional<Instant> from, Optional<ObjectNode> resume, FollowClock clock) {
            if (follow) {
                source.follow(from, resume, clock);
            } else {
                source.backfill(from.orElseThrow(), to(), resume);
            }
            return source.anomalies();
        }
    }

    @FunctionalInterface
    interface SourceBody {
        /** Runs the source; returns what it left out, for the summary. */
        Anomalies run(EventSink sink, Committer committer, Optional<ObjectNode> resume, FollowClock clock);
    }

    /** How long a stopping source may take to close its sink (its last acknowledgements) before the JVM exits. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Opens the sink (a file, a cluster, or the embedded broker), reads the checkpoint of this job, runs
     * the source and prints a summary. A failure is printed loudly and exits 1; the checkpoint holds
     * every window completed before it, so the same command resumes.
     *
     * <p>SIGTERM or Ctrl-C stops it at once, whatever it is doing: a follower starts no new window, the
     * request in flight is abandoned and no retry is made (a window left half done is done again by the
     * next run), and the sink is closed. The JVM exits after at most {@link #STOP_TIMEOUT}, even if the
     * source's thread is blocked. A thread that dies of a {@link VirtualMachineError} (out of memory) ends
     * the process at once: a source with a dead HTTP client or producer could only hang.
     */
    static int runSource(String source, OutputOptions o, HttpFetcher http, ObjectNode job, SourceBody body) {
        if (o.out != null && o.bootstrapServers != null) {
            throw new IllegalArgumentException("--out and --bootstrap-servers do not go together: one or the other");
        }
        Path checkpointFile = o.checkpoint != null
                ? o.checkpoint
                : o.out != null
                        ? Path.of(o.out + ".checkpoint.json")
                        : o.dataDir.resolve("checkpoints").resolve(source + ".json");
        job.put(
                "sink",
                o.out != null
                        ? "file " + o.out.toAbsolutePath().normalize()
                        : o.bootstrapServers != null
                                ? "kafka " + o.bootstrapServers
                                : "kafka embedded " + o.dataDir.toAbsolutePath().normalize());
        Checkpoint checkpoint = new Checkpoint(checkpointFile, source, job);
        Optional<ObjectNode> resume = o.restart ? Optional.empty() : checkpoint.resumable();
        Cluster cluster = null;
        EventSink sink = null;
        FollowClock.SystemClock clock = FollowClock.system();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    clock.stop();
                    http.stop();
                    try {
                        if (!finished.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                            System.err.println("ada-carbon ingest " + source + ": not stopped within "
                                    + STOP_TIMEOUT.toSeconds() + " s; exiting anyway (checkpoint " + checkpointFile
                                    + ": the last complete window)");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "ada-carbon-ingest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread.UncaughtExceptionHandler uncaught = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(haltOnVirtualMachineError(source, uncaught));
        try {
            if (o.out != null) {
                sink = JsonLinesFileSink.open(o.out, Committer.outBytes(resume));
            } else {
                cluster = LocalCluster.of(o.bootstrapServers, o.kafka.properties(), o.dataDir);
                sink = new PublisherSink(publisher(cluster, o.partitions), "kafka " + cluster.bootstrapServers());
            }
            Anomalies leftOut = body.run(sink, new Committer(sink, checkpoint), resume, clock);
            sink.flush();
            System.out.println(source + ": " + sink.counts()
                    + (leftOut.total() > 0 ? "; left out (see the warnings): " + leftOut : "") + "; to "
                    + sink.describe() + "; checkpoint " + checkpointFile);
            return 0;
        } catch (SourceException e) {
            if (clock.stopped()) {
                System.err.println(
                        "ada-carbon ingest " + source + ": stopped (SIGTERM or Ctrl-C) during: " + e.getMessage());
                System.err.println("  Everything before it is saved (checkpoint " + checkpointFile
                        + "); the same command resumes from there.");
                return 130;
            }
            System.err.println("ada-carbon ingest " + source + ": FAILED: " + e.getMessage());
            System.err.println("  Everything before the failure is saved (checkpoint " + checkpointFile
                    + "); the same command resumes from there.");
            if (sink != null) {
                System.err.println("  So far: " + sink.counts());
            }
            return 1;
        } finally {
            try {
                if (sink != null) {
                    sink.close();
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
                Thread.setDefaultUncaughtExceptionHandler(uncaught);
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it is waiting for `finished`
                }
            }
        }
    }

    /**
     * Ends the process at once when a thread dies of a {@link VirtualMachineError}; passes anything else
     * on. Halting leaves the checkpoint as the last complete window left it, which is all a rerun needs.
     */
    private static Thread.UncaughtExceptionHandler haltOnVirtualMachineError(
            String source, Thread.UncaughtExceptionHandler next) {
        return (thread, e) -> {
            if (e instanceof VirtualMachineError) {
                try {
                    System.err.println("ada-carbon ingest " + source + ": FAILED: thread " + thread.getName()
                            + " died of " + e + "; exiting. The same command resumes from the checkpoint.");
                } finally {
                    Runtime.getRuntime().halt(1);
                }
            }
            if (next != null) {
                next.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        };
    }

    @Command(
            name = "prometheus",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "CPU seconds from Prometheus: one cpu event per instance per step, busy = every mode but"
                        + " idle, summed over cores, from increase(node_cpu_seconds_total[STEP]) by instance, project"
                        + " and machine labels (counter resets corrected per series).",
                "A backfill (--from --to) is cut into chunks under Prometheus' 11,000 points per series and"
                        + " checkpointed after each; --follow emits each step once it is complete."
            })
    static final class Prometheus implements Callable<Integer> {
        @Option(
                names = "--url",
                required = true,
                paramLabel = "URL",
                description = "The server, e.g. http://prometheus:9090.")
        URI url;

        @Mixin
        RangeOptions range = new RangeOptions();

        @Option(
                names = "--step",
                paramLabel = "DURATION",
                description = "The CPU interval (default ${DEFAULT-VALUE}).",
                defaultValue = "5m")
        Duration step;

        @Option(
                names = "--delay",
                paramLabel = "DURATION",
                description =
                        "With --follow: how long after its end a step is complete (scrape delay; default ${DEFAULT-VALUE}).",
                defaultValue = "1m")
        Duration delay;

        @Option(
                names = "--chunk",
                paramLabel = "DURATION",
                description =
                        "The longest range of one request, and the checkpoint interval (default ${DEFAULT-VALUE}).",
                defaultValue = "6h")
        Duration chunk;

        @Option(names = "--max-points", description = "Points per series in one answer (default ${DEFAULT-VALUE}).")
        int maxPoints = PrometheusSettings.PROMETHEUS_MAX_POINTS;

        @Option(names = "--metric", description = "default ${DEFAULT-VALUE}")
        String metric = "node_cpu_seconds_total";

        @Option(
                names = "--selector",
                paramLabel = "MATCHERS",
                description = "Extra label matchers, e.g. 'job=\"node\"'.")
        String selector = "";

        @Option(names = "--instance-label", description = "default ${DEFAULT-VALUE}")
        String instanceLabel = "instance";

        @Option(names = "--project-label", description = "default ${DEFAULT-VALUE}")
        String projectLabel = "cloud_project_name";

        @Option(names = "--machine-label", description = "default ${DEFAULT-VALUE}")
        String machineLabel = "machine_name";

        @Option(names = "--iowait-idle", description = "Count mode iowait as idle rather than busy.")
        boolean iowaitIdle;

        @Option(
                names = "--max-cores",
                description = "More CPU seconds than this many cores give in a step is"
                        + " reported as implausible and left out (default ${DEFAULT-VALUE}).")
        int maxCores = 1024;

        @Mixin
        HttpOptions http = new HttpOptions();

        @Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() {
            range.check();
            PrometheusSettings s = new PrometheusSettings(
                    url,
                    step,
                    delay,
                    chunk,
                    maxPoints,
                    metric,
                    selector,
                    instanceLabel,
                    projectLabel,
                    machineLabel,
                    iowaitIdle,
                    maxCores,
                    Duration.ofMinutes(1));
            Optional<Instant> from = range.from();
            ObjectNode job = range.follow
                    ? PrometheusSource.followJob(s, from)
                    : PrometheusSource.backfillJob(s, from.orElseThrow(), range.to());
            HttpFetcher fetcher = http.fetcher();
            return runSource(PrometheusSource.NAME, output, fetcher, job, (sink, committer, resume, clock) -> {
                return range.run(
                        new PrometheusSource(
                                s, new PrometheusClient(fetcher, url), sink, committer, System.err::println),
                        from,
                        resume,
                        clock);
            });
        }
    }

    @Command(
            name = "carbon-intensity",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Grid carbon intensity from the UK Carbon Intensity API (/intensity/{from}/{to}): one"
                        + " intensity event per half hour, actual null until the API has it.",
                "With --region or --postcode, a region's series instead (/regional/intensity/{from}/{to}/regionid/{id}"
                        + " or .../postcode/{postcode}): forecasts only, each event with the region's regionid.",
                "A backfill reads at most 14 days per request, checkpointed after each; --follow reads the"
                        + " last 48 hours and the next 48 at every poll and publishes what is new or changed,"
                        + " so actuals that arrive later restate the facts."
            })
    static final class Intensity implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "BASE", description = "The API (default ${DEFAULT-VALUE}).")
        URI url = IntensitySettings.DEFAULT_URL;

        @Option(
                names = "--region",
                paramLabel = "ID",
                description = "Read this region's series: a regionid from 1"
                        + " to 17, e.g. 12 (South England, where the Rutherford Appleton Laboratory is). Empty: the national"
                        + " series.")
        String region;

        @Option(
                names = "--postcode",
                paramLabel = "OUTWARD",
                description = "Read the series of this outward"
                        + " postcode's region, e.g. OX11; the events carry the regionid the API answers with.")
        String postcode;

        @Mixin
        RangeOptions range = new RangeOptions();

        @Option(
                names = "--window",
                paramLabel = "DURATION",
                description = "The longest range of one request, at most 14d (default ${DEFAULT-VALUE}).",
                defaultValue = "14d")
        Duration window;

        @Option(
                names = "--ahead",
                paramLabel = "DURATION",
                description = "With --follow (default ${DEFAULT-VALUE}).",
                defaultValue = "48h")
        Duration ahead;

        @Option(
                names = "--behind",
                paramLabel = "DURATION",
                description = "With --follow (default ${DEFAULT-VALUE}).",
                defaultValue = "48h")
        Duration behind;

        @Option(
                names = "--interval",
                paramLabel = "DURATION",
                description = "With --follow: time between polls (default ${DEFAULT-VALUE}).",
                defaultValue = "30m")
        Duration interval;

        @Mixin
        HttpOptions http = new HttpOptions();

        @Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() {
            range.check();
            IntensitySettings s = new IntensitySettings(
                    url, IntensitySeries.of(region, postcode), window, ahead, behind, interval, Duration.ofMinutes(1));
            Optional<Instant> from = range.from();
            ObjectNode job = range.follow
                    ? IntensitySource.followJob(s, from)
                    : IntensitySource.backfillJob(s, from.orElseThrow(), range.to());
            HttpFetcher fetcher = http.fetcher();
            return runSource(s.series().sourceName(), output, fetcher, job, (sink, committer, resume, clock) -> {
                return range.run(
                        new IntensitySource(
                                s,
                                new IntensityClient(fetcher, url, s.series()),
                                sink,
                                committer,
                                System.err::println,
                                clock),
                        from,
                        resume,
                        clock);
            });
        }
    }

    @Command(
            name = "registry",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "The platform's workspace and user records (JSON: an array, Eve's pages of _items,"
                        + " or JSON Lines as mongoexport writes them) as workspace and user events.",
                "Publishes only records that changed since the checkpoint; --follow polls."
            })
    static final class Registry implements Callable<Integer> {
        @Option(names = "--workspaces-url", paramLabel = "URL")
        URI workspacesUrl;

        @Option(names = "--users-url", paramLabel = "URL")
        URI usersUrl;

        @Option(names = "--workspaces", paramLabel = "FILE")
        Path workspacesFile;

        @Option(names = "--users", paramLabel = "FILE")
        Path usersFile;

        @Option(
                names = "--mapping",
                paramLabel = "FILE",
                description = "Field mapping (properties): which field holds what, tag.<TAG>.project, …")
        Path mapping;

        @Option(names = "--follow", description = "Poll until stopped.")
        boolean follow;

        @Option(
                names = "--interval",
                paramLabel = "DURATION",
                description = "With --follow: time between polls (default ${DEFAULT-VALUE}).",
                defaultValue = "5m")
        Duration interval;

        @Mixin
        HttpOptions http = new HttpOptions();

        @Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            if (workspacesUrl != null && workspacesFile != null || usersUrl != null && usersFile != null) {
                throw new IllegalArgumentException("give each of workspaces and users as a URL or as a file, not both");
            }
            HttpFetcher fetcher = http.fetcher();
            Optional<RegistryInput> ws = Optional.ofNullable(workspacesUrl)
                    .map(u -> RegistryInput.url(fetcher, u))
                    .or(() -> Optional.ofNullable(workspacesFile).map(RegistryInput::file));
            Optional<RegistryInput> us = Optional.ofNullable(usersUrl)
                    .map(u -> RegistryInput.url(fetcher, u))
                    .or(() -> Optional.ofNullable(usersFile).map(RegistryInput::file));
            if (ws.isEmpty() && us.isEmpty()) {
                throw new IllegalArgumentException("give --workspaces-url/--users-url or --workspaces/--users");
            }
            RegistryMapping m = mapping == null ? RegistryMapping.defaults() : RegistryMapping.load(mapping);
            return runSource(
                    RegistrySource.NAME,
                    output,
                    fetcher,
                    RegistrySource.job(m, ws, us),
                    (sink, committer, resume, clock) -> {
                        RegistrySource source = new RegistrySource(m, ws, us, sink, committer, System.err::println);
                        if (follow) {
                            source.follow(resume, clock, interval, Duration.ofMinutes(1));
                        } else {
                            source.once(resume);
                        }
                        return source.anomalies();
                    });
        }
    }
}

package ada.carbon.app.cli;

import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.report.FacilitySummary;
import ada.carbon.report.HtmlReport;
import ada.carbon.report.ReportPeriod;
import ada.carbon.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Simulate a platform on the embedded broker, run ingest, aggregator and sink, and print"
                + " what a facility manager wants to see. Leaves the SQLite database behind.")
public final class DemoCommand implements Callable<Integer> {
    /**
     * The site's grid first (the simulated region's forecasts, SPEC 2.3) and embodied carbon with one machine type
     * on other hardware (SPEC 2.9), so that the demo answers all three questions of the footprint.
     */
    static final AccountingConfig DEMO_ACCOUNTING = AccountingConfig.from(Map.of(
            AccountingConfig.REGION,
            Integer.toString(SimulatorConfig.REGION),
            "embodied.server.kgco2eq.Muon",
            "2400",
            "embodied.server.cores.Muon",
            "16"));

    @Option(names = "--hosts", description = "Hosts on the simulated platform (default ${DEFAULT-VALUE}).")
    int hosts = 200;

    @Option(names = "--days", description = "Days simulated (default ${DEFAULT-VALUE}).")
    int days = 7;

    @Option(names = "--seed", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed = 2025;

    @Option(names = "--db", paramLabel = "FILE", description = "Database to write (default ${DEFAULT-VALUE}).")
    Path db = Path.of("ada-carbon-demo.db");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Broker and state (default ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".ada-carbon-demo");

    @Mixin
    ParallelismOptions parallel;

    @Override
    public Integer call() throws Exception {
        freshStart();
        var sim = new PlatformSimulator(
                SimulatorConfig.defaults().withHosts(hosts).withDays(days).withSeed(seed));
        long started = System.nanoTime();
        Progress progress = new Progress();
        System.err.printf(
                "ada-carbon demo: %d hosts, %d days, the grid of region %d first, Muon's hardware as a"
                        + " 2,400 kg server of 16 cores; starting the embedded Kafka broker...%n",
                hosts, days, SimulatorConfig.REGION);
        try (LocalStack stack = LocalStack.start(
                dataDir, null, KafkaClientProperties.NONE, parallel.parallelism(), DEMO_ACCOUNTING, db)) {
            EventPublisher publisher = stack.publisher();
            System.err.printf(
                    "broker up at %s after %.1f s; publishing simulated events%n",
                    stack.bootstrapServers(), seconds(started));
            var counts = sim.run(event -> {
                publisher.publish(event);
                progress.tick(() -> String.format(
                        Locale.ROOT,
                        "  published %,d events",
                        publisher.counts().read()));
            });
            publisher.flush();
            System.err.printf(
                    Locale.ROOT,
                    "published %,d events (%,d cpu, %,d intensity, %,d workspace, %,d user) in %.1f s;"
                            + " waiting for the facts%n",
                    counts.total(),
                    counts.cpu(),
                    counts.intensity(),
                    counts.workspaces(),
                    counts.users(),
                    seconds(started));
            Thread watcher = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                Thread.sleep(2000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            System.err.printf(
                                    Locale.ROOT,
                                    "  database: %,d records applied%n",
                                    stack.sink().recordsApplied());
                        }
                    },
                    "demo-progress");
            watcher.setDaemon(true);
            watcher.start();
            stack.awaitCaughtUp(Duration.ofMinutes(20));
            watcher.interrupt();
            System.err.printf(Locale.ROOT, "done in %.1f s%n", seconds(started));
        }
        FacilitySummary.print(db, System.out);
        System.out.printf("%nThe database is %s (the views v_* are the place to start).%n", db.toAbsolutePath());
        Path report = Path.of(db.toString().replaceFirst("\\.db$", "") + "-report.html");
        HtmlReport.write(db, ReportPeriod.ALL, report);
        System.out.printf("The report is %s (open it in a browser; it needs no network).%n", report.toAbsolutePath());
        System.out.printf(
                "Serve it live (API and dashboard on http://127.0.0.1:8080/): ./ada-carbon serve --db %s%n",
                db.toAbsolutePath());
        return 0;
    }

    /** A demo starts from nothing; it only removes what an earlier demo left. */
    private void freshStart() throws IOException {
        if (Files.exists(dataDir)) {
            if (!Files.exists(dataDir.resolve("accounting.properties")) && !isEmpty(dataDir)) {
                throw new IllegalArgumentException(
                        dataDir + " exists and is not a demo's data directory; pick another" + " --data-dir");
            }
            try (Stream<Path> all = Files.walk(dataDir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Prints a progress line at most every two seconds. */
    private static final class Progress {
        private long last = System.nanoTime();

        void tick(java.util.function.Supplier<String> line) {
            long now = System.nanoTime();
            if (now - last > 2_000_000_000L) {
                last = now;
                System.err.println(line.get());
            }
        }
    }
}

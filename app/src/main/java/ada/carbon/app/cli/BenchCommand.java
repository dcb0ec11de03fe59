package ada.carbon.app.cli;

import ada.carbon.bench.Bench;
import ada.carbon.bench.BenchReport;
import ada.carbon.bench.BenchSettings;
import ada.carbon.schemas.Topics;
import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark a simulated platform on the embedded broker: the broker's raw limit, the pipeline"
                    + " (aggregator and sink as separate JVMs), the sink against plain SQLite, restatement latency,"
                    + " peak memory, and the backfill with 1 partition and thread, N partitions and 2 threads, and"
                    + " 2 instances. See BENCHMARKS.md.",
            "Ends with the lines 'ratio pipeline/raw-produce: R', 'ratio pipeline/streams-floor: F' and"
                    + " 'scaling backfill 2 threads/1 thread: S'. Exits 1 if the databases' figures differ."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", description = "Simulated hosts (default ${DEFAULT-VALUE}).")
    int hosts = BenchSettings.DEFAULT_HOSTS;

    @Option(names = "--days", description = "Simulated days (default ${DEFAULT-VALUE}).")
    int days = BenchSettings.DEFAULT_DAYS;

    @Option(names = "--seed", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed = 2025;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Broker, state and databases; absent or empty (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--keep", description = "Keep the data directory afterwards (default: delete it).")
    boolean keep;

    @Option(names = "--restatements", description = "Restatement probes (default ${DEFAULT-VALUE}).")
    int restatements = BenchSettings.DEFAULT_RESTATEMENTS;

    @Option(
            names = "--phase-timeout",
            paramLabel = "MINUTES",
            description = "Fail if a phase takes longer (default ${DEFAULT-VALUE}).")
    int phaseTimeoutMinutes = 60;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of the topics of the live phases and of the backfill's configurations (b) and (c)"
                    + " (default ${DEFAULT-VALUE}).")
    int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(
            names = "--threads",
            paramLabel = "T",
            description =
                    "Stream threads of the live aggregator and of the Kafka Streams floor (default ${DEFAULT-VALUE});"
                            + " the backfill's configurations set their own.")
    int threads = BenchSettings.DEFAULT_THREADS;

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = new BenchSettings(
                hosts,
                days,
                seed,
                dataDir,
                keep,
                restatements,
                Duration.ofMinutes(phaseTimeoutMinutes),
                partitions,
                threads);
        showProgress();
        BenchReport report = new Bench(settings).run();
        PrintWriter out = spec.commandLine().getOut();
        report.print(out);
        return report.failed() ? 1 : 0;
    }

    /** A bench runs for minutes: show its progress (INFO) even though the application logs WARN by default. */
    private static void showProgress() {
        if (System.getenv("ADA_CARBON_LOG_LEVEL") == null
                && LoggerFactory.getLogger("ada.carbon.bench") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.INFO);
        }
    }
}

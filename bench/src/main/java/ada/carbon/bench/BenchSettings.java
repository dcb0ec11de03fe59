package ada.carbon.bench;

import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one bench run does.
 *
 * @param hosts         simulated hosts
 * @param days          simulated days
 * @param seed          simulator seed
 * @param dataDir       broker data, aggregator state and databases; must be absent or empty
 * @param keep          leave {@code dataDir} behind
 * @param restatements  how many restatement probes (phase 4)
 * @param phaseTimeout  how long any one phase may take before the bench fails
 * @param partitions    of every topic of the live phases, and of the backfill's configurations (b) and (c)
 * @param threads       the live aggregator's stream threads, and the streams floor's
 */
public record BenchSettings(
        int hosts,
        int days,
        long seed,
        Path dataDir,
        boolean keep,
        int restatements,
        Duration phaseTimeout,
        int partitions,
        int threads) {
    public static final int DEFAULT_HOSTS = 1000;
    public static final int DEFAULT_DAYS = 7;
    public static final int DEFAULT_RESTATEMENTS = 48;
    /** Two stream threads: one per core of the machine the targets are set for. */
    public static final int DEFAULT_THREADS = 2;
    /** The cpu interval the bench's workload is defined with (SPEC's Prometheus default step). */
    public static final long CPU_INTERVAL_SECONDS = 300;

    public BenchSettings {
        if (hosts < 1 || days < 1) {
            throw new IllegalArgumentException("--hosts and --days must be at least 1");
        }
        if (restatements < 1) {
            throw new IllegalArgumentException("--restatements must be at least 1");
        }
        if (partitions < 1 || threads < 1) {
            throw new IllegalArgumentException(
                    "--partitions and --threads must be at least 1, not " + partitions + " and " + threads);
        }
    }

    /** How the live phases run: the topics' partitions and the aggregator's stream threads. */
    LocalStack.Parallelism live() {
        return new LocalStack.Parallelism(partitions, threads);
    }

    /** The simulated platform: the project's own simulator, with its default 5-minute scrape step. */
    SimulatorConfig simulator() {
        return SimulatorConfig.defaults().withHosts(hosts).withDays(days).withSeed(seed);
    }
}

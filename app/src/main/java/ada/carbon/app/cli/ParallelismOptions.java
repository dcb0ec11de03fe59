package ada.carbon.app.cli;

import ada.carbon.schemas.Topics;
import ada.carbon.stack.LocalStack;
import picocli.CommandLine.Option;

/**
 * {@code --partitions N} and {@code --threads T} (SPEC 2.8): how many partitions the topics a command creates
 * get (topics that exist are used as they are), and how many stream threads its aggregator runs.
 */
public final class ParallelismOptions {
    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of the topics this command creates (default ${DEFAULT-VALUE}); topics that"
                    + " exist keep theirs. The raw topics' partitions are the aggregator's unit of work.")
    int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(
            names = "--threads",
            paramLabel = "T",
            description = "The aggregator's stream threads (default: the machine's cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    LocalStack.Parallelism parallelism() {
        return new LocalStack.Parallelism(partitions, threads);
    }
}

package ada.carbon.app.cli;

import ada.carbon.schemas.Topics;
import picocli.CommandLine.Option;

/** {@code --partitions N}, for a service that creates the topics it uses when they are missing. */
public final class PartitionsOption {
    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Partitions of the topics this service creates when they are missing (default"
                    + " ${DEFAULT-VALUE}); topics that exist keep theirs.")
    int partitions = Topics.DEFAULT_PARTITIONS;
}

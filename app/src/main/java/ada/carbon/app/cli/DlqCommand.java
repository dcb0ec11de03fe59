package ada.carbon.app.cli;

import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.DeadLetters;
import ada.carbon.kafka.logging.Printable;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.LocalCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "List the dead-letter topic readably: counts by reason and the first few of each reason.")
public final class DlqCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "A running cluster.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Or the data directory of an embedded broker (default ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".ada-carbon");

    @Option(names = "--examples", description = "Records shown per reason (default ${DEFAULT-VALUE}).")
    int examples = 5;

    @Override
    public Integer call() {
        try (Cluster cluster = LocalCluster.of(bootstrapServers, kafka.properties(), dataDir)) {
            var report = DeadLetters.read(cluster, Map.of(), examples);
            System.out.printf("%s: %,d records%n", Topics.DEAD_LETTER, report.total());
            // Everything below but the counts comes from the records and their headers, which anyone who can
            // write to a raw topic (or to the dead-letter topic) chooses: printed through Printable, so no
            // escape sequence reaches the terminal and no CR or LF starts a line of its own.
            report.byReason().forEach((reason, n) -> {
                System.out.printf("%n%s: %,d%n", Printable.of(reason), n);
                for (var e : report.examples().getOrDefault(reason, java.util.List.of())) {
                    System.out.printf(
                            "  from %s[%s]@%s: %s%n    %s%n",
                            Printable.of(e.source()),
                            Printable.of(e.partition()),
                            Printable.of(e.offset()),
                            Printable.of(e.detail()),
                            Printable.of(abbreviate(e.original())));
                }
            });
        }
        return 0;
    }

    /** The first 200 characters (whole code points) of {@code s}, and an ellipsis if there were more. */
    private static String abbreviate(String s) {
        return s.codePointCount(0, s.length()) > 200 ? s.substring(0, s.offsetByCodePoints(0, 200)) + "…" : s;
    }
}

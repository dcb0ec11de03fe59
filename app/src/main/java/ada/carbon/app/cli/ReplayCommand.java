package ada.carbon.app.cli;

import ada.carbon.kafka.Cluster;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.LocalCluster;
import ada.carbon.stack.Quiescence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Rebuild a database from the aggregator's output topics alone (compacted by key), e.g. after"
                + " losing the file. The raw topics and the aggregator are not involved.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, paramLabel = "FILE", description = "The database to (re)build.")
    Path db;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "A running cluster.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Or the data directory of the embedded broker (default: .ada-carbon/ beside the database).")
    Path dataDir;

    @Option(names = "--timeout", description = "Longest wait (e.g. 45m, 2h or PT30M; default 30m).")
    Duration timeout = Duration.ofMinutes(30);

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : StackOptions.besideDatabase(db);
        // A group of its own: sharing the live sink's group would split the partitions between the two.
        String group = "ada-carbon-replay-" + UUID.randomUUID();
        try (Cluster cluster = LocalCluster.of(bootstrapServers, kafka.properties(), dir)) {
            Admin admin = cluster.admin();
            long applied;
            try (SinkService sink = new SinkService(
                    cluster.bootstrapServers(),
                    db,
                    group,
                    Topics.Outputs.LIVE,
                    cluster.client().asMap())) {
                Thread loop = new Thread(sink::runUntilStopped, "ada-carbon-replay");
                loop.start();
                new Quiescence(admin, null, List.of(), Topics.OUTPUT, sink::storedOffsets)
                        .await(timeout, loop::isAlive);
                applied = sink.recordsApplied();
            }
            admin.deleteConsumerGroups(List.of(group)).all().get();
            System.out.printf("replayed %,d records into %s%n", applied, db.toAbsolutePath());
        }
        return 0;
    }
}

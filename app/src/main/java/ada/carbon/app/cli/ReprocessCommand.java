package ada.carbon.app.cli;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.ConfigFiles;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.ClusterAccess;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.LocalCluster;
import ada.carbon.stack.Quiescence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Recomputes everything from the raw topics with a new configuration, as Kafka Streams' application reset
 * does: a new application id, fresh local state, and output topics of the run's own, so the live database
 * and topics are never touched. The new database appears under its name only once it is complete.
 */
@Command(
        name = "reprocess",
        mixinStandardHelpOptions = true,
        description = "Recompute a new database from the raw topics with a new configuration (a different power"
                + " model, PUE or fallback). The live database and topics are left untouched.")
public final class ReprocessCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ReprocessCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "The new accounting settings (properties).")
    Path config;

    @Option(names = "--db", required = true, paramLabel = "NEW.db", description = "The database to create.")
    Path db;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "A running cluster.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Or the data directory of the embedded broker holding the raw topics"
                    + " (default: .ada-carbon/ beside the database).")
    Path dataDir;

    @Option(names = "--timeout", description = "Longest wait (e.g. 90m, 4h or PT2H; default 2h).")
    Duration timeout = Duration.ofHours(2);

    @Mixin
    ParallelismOptions parallel;

    @Override
    public Integer call() throws Exception {
        var accounting = ConfigFiles.load(config);
        if (Files.exists(db)) {
            throw new IllegalArgumentException(db + " exists; reprocess writes a new database and leaves others alone");
        }
        Path dir = dataDir != null ? dataDir : StackOptions.besideDatabase(db);
        String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Topics.Outputs outputs = Topics.Outputs.ofRun(run);
        String applicationId = AggregatorSettings.DEFAULT_APPLICATION_ID + "-run-" + run;
        String sinkGroup = SinkService.DEFAULT_GROUP_ID + "-run-" + run;
        Path partial = Path.of(db + ".partial");
        Path stateDir = dir.resolve("reprocess-" + run);

        try (Cluster cluster = LocalCluster.of(bootstrapServers, kafka.properties(), dir)) {
            Admin admin = cluster.admin();
            String bootstrap = cluster.bootstrapServers();
            // The run's own output topics are created here, with the raw topics if missing.
            ClusterAccess.aggregator(applicationId, outputs)
                    .and(ClusterAccess.sink(sinkGroup, outputs))
                    .withPartitions(parallel.partitions)
                    .prepare(cluster);
            long applied;
            try (AggregatorService aggregator = new AggregatorService(
                                    accounting,
                                    AggregatorSettings.of(bootstrap, stateDir.resolve("streams"))
                                            .withApplicationId(applicationId)
                                            .withClientProperties(
                                                    cluster.client().asMap())
                                            .withThreads(parallel.threads),
                                    outputs)
                            .start();
                    SinkService sink = new SinkService(
                            bootstrap,
                            partial,
                            sinkGroup,
                            outputs,
                            cluster.client().asMap())) {
                Thread loop = new Thread(sink::runUntilStopped, "ada-carbon-reprocess-sink");
                loop.start();
                new Quiescence(admin, applicationId, Topics.RAW, outputs.all(), sink::storedOffsets)
                        .await(timeout, loop::isAlive);
                applied = sink.recordsApplied();
            }
            complete(partial, db);
            System.out.printf("reprocessed the raw topics into %s (%,d records)%n", db.toAbsolutePath(), applied);
            cleanUp(admin, outputs, applicationId, sinkGroup, stateDir);
        }
        return 0;
    }

    /** Gives the finished database its name; a write-ahead log left beside it moves with it, first. */
    private static void complete(Path partial, Path db) throws java.io.IOException {
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path side = Path.of(partial + suffix);
            if (Files.exists(side)) {
                Files.move(side, Path.of(db + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(partial, db, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The run's topics, consumer groups and local state served only to build the new database. */
    private static void cleanUp(
            Admin admin, Topics.Outputs outputs, String applicationId, String sinkGroup, Path stateDir) {
        try {
            List<String> topics = new ArrayList<>(outputs.all());
            admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(applicationId + "-"))
                    .forEach(topics::add);
            admin.deleteTopics(topics).all().get();
            admin.deleteConsumerGroups(List.of(applicationId, sinkGroup)).all().get();
            try (Stream<Path> files = Files.walk(stateDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (Exception e) {
            log.warn(
                    "the new database is complete, but cleaning up the run's topics and state failed: {}",
                    e.toString());
        }
    }
}

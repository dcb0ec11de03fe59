package ada.carbon.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that run the whole pipeline in one process. */
public final class StackOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Accounting settings (properties).")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Broker data and aggregator state (default: .ada-carbon/ beside the database).")
    Path dataDir;

    @Option(names = "--db", paramLabel = "FILE", required = true, description = "The SQLite database to write.")
    Path db;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting the embedded broker.")
    String bootstrapServers;

    Path dataDir() {
        return dataDir != null ? dataDir : besideDatabase(db);
    }

    /** Where the state of a database lives unless {@code --data-dir} says otherwise. */
    static Path besideDatabase(Path db) {
        return db.toAbsolutePath().getParent().resolve(".ada-carbon");
    }
}

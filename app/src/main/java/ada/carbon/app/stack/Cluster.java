package ada.carbon.app.stack;

import ada.carbon.app.broker.EmbeddedBroker;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster a command talks to: the one named by {@code --bootstrap-servers}, or else the embedded
 * broker of a data directory, started (or reused, if one is running there) for the command and stopped
 * when it closes.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final EmbeddedBroker broker;
    private final String bootstrapServers;

    private Cluster(EmbeddedBroker broker, String bootstrapServers) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
    }

    /** @param bootstrapServers a running cluster, or null for the embedded broker under {@code dataDir/kafka} */
    public static Cluster of(String bootstrapServers, Path dataDir) {
        if (bootstrapServers != null) {
            return new Cluster(null, bootstrapServers);
        }
        log.info("starting the embedded Kafka broker in {}", dataDir.resolve("kafka"));
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("kafka"));
        return new Cluster(broker, broker.bootstrapServers());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The embedded broker's process id (the bench samples its memory); empty for an external cluster. */
    public java.util.OptionalLong brokerPid() {
        return broker == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(broker.pid());
    }

    /**
     * Runs {@code onExit} instead of the embedded broker's own stop at JVM exit; see {@link EmbeddedBroker}.
     * Public for the bench, whose service JVMs must stop before the broker does.
     */
    public void replaceShutdownHook(Runnable onExit) {
        if (broker != null) {
            broker.replaceShutdownHook(onExit);
        }
    }

    boolean embedded() {
        return broker != null;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}

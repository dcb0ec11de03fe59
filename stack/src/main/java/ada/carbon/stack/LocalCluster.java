package ada.carbon.stack;

import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster of a command that may run without one: the one named by {@code --bootstrap-servers}, or else
 * the embedded broker of a data directory, started (or reused, if one is running there) for the command and
 * stopped when it closes.
 */
public final class LocalCluster extends Cluster {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    private final EmbeddedBroker broker;

    private LocalCluster(EmbeddedBroker broker, String bootstrapServers, KafkaClientProperties client) {
        super(bootstrapServers, client);
        this.broker = broker;
    }

    /**
     * @param bootstrapServers a running cluster, or null for the embedded broker under {@code dataDir/kafka}
     * @param client           how to connect to the running cluster ({@link KafkaClientProperties#NONE}: plainly)
     * @throws ada.carbon.kafka.KafkaAccessException when the running cluster refuses the credentials, saying so
     */
    public static LocalCluster of(String bootstrapServers, KafkaClientProperties client, Path dataDir) {
        if (bootstrapServers != null) {
            return checked(new LocalCluster(null, bootstrapServers, client));
        }
        if (!client.isEmpty()) {
            throw new IllegalArgumentException("--kafka-config is for a cluster named with --bootstrap-servers; the"
                    + " embedded broker takes plain connections from this machine only");
        }
        log.info("starting the embedded Kafka broker in {}", dataDir.resolve("kafka"));
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("kafka"));
        try {
            return new LocalCluster(broker, broker.bootstrapServers(), KafkaClientProperties.NONE);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The embedded broker's process id (the bench samples its memory); empty for an external or reused one. */
    public OptionalLong brokerPid() {
        return broker == null ? OptionalLong.empty() : broker.pid();
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
        try {
            super.close();
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}

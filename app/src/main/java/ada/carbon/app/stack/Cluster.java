package ada.carbon.app.stack;

import ada.carbon.app.broker.EmbeddedBroker;
import ada.carbon.ingest.EventPublisher;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster a command talks to: the one named by {@code --bootstrap-servers}, or else the embedded
 * broker of a data directory, started (or reused, if one is running there) for the command and stopped
 * when it closes. It holds how to talk to it ({@code --kafka-config}) and one admin client, closed with it.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final EmbeddedBroker broker;
    private final String bootstrapServers;
    private final KafkaClientProperties client;
    private final Admin admin;

    private Cluster(EmbeddedBroker broker, String bootstrapServers, KafkaClientProperties client) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.client = client;
        this.admin = LocalStack.admin(bootstrapServers, client);
    }

    /**
     * @param bootstrapServers a running cluster, or null for the embedded broker under {@code dataDir/kafka}
     * @param client           how to connect to the running cluster ({@link KafkaClientProperties#NONE}: plainly)
     * @throws KafkaAccessException when the running cluster refuses the credentials, saying so
     */
    public static Cluster of(String bootstrapServers, KafkaClientProperties client, Path dataDir) {
        if (bootstrapServers != null) {
            return connect(bootstrapServers, client);
        }
        if (!client.isEmpty()) {
            throw new IllegalArgumentException("--kafka-config is for a cluster named with --bootstrap-servers; the"
                    + " embedded broker takes plain connections from this machine only");
        }
        log.info("starting the embedded Kafka broker in {}", dataDir.resolve("kafka"));
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("kafka"));
        return new Cluster(broker, broker.bootstrapServers(), KafkaClientProperties.NONE);
    }

    /**
     * A running cluster, its credentials checked at once.
     *
     * @throws KafkaAccessException when it refuses them, saying for whom
     */
    public static Cluster connect(String bootstrapServers, KafkaClientProperties client) {
        Cluster cluster = new Cluster(null, bootstrapServers, client);
        try {
            ClusterAccess.authenticate(cluster.admin, bootstrapServers, client);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How every client of this cluster connects. */
    public KafkaClientProperties client() {
        return client;
    }

    /** The cluster's admin client, closed with it. */
    public Admin admin() {
        return admin;
    }

    /** A publisher to the raw topics; the caller closes it. */
    public EventPublisher publisher() {
        return EventPublisher.connect(bootstrapServers, client.asMap());
    }

    /** The embedded broker's process id (the bench samples its memory); empty for an external or reused one. */
    public java.util.OptionalLong brokerPid() {
        return broker == null ? java.util.OptionalLong.empty() : broker.pid();
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
            admin.close(java.time.Duration.ofSeconds(5));
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}

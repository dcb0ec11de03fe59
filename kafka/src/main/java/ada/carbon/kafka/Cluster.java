package ada.carbon.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka cluster a command talks to: where it is ({@code --bootstrap-servers}), how to talk to it
 * ({@code --kafka-config}) and one admin client, closed with it. The local stack's embedded broker is one
 * too ({@code ada.carbon.stack.LocalCluster}); the services only ever connect to a running cluster.
 */
public class Cluster implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaClientProperties client;
    private final Admin admin;

    protected Cluster(String bootstrapServers, KafkaClientProperties client) {
        this.bootstrapServers = bootstrapServers;
        this.client = client;
        this.admin = admin(bootstrapServers, client);
    }

    /**
     * A running cluster, its credentials checked at once.
     *
     * @throws KafkaAccessException when it refuses them, saying for whom
     */
    public static Cluster connect(String bootstrapServers, KafkaClientProperties client) {
        return checked(new Cluster(bootstrapServers, client));
    }

    /** {@code cluster} once it has accepted its credentials; closed, and the refusal thrown, when it does not. */
    protected static <C extends Cluster> C checked(C cluster) {
        try {
            ClusterAccess.authenticate(cluster.admin(), cluster.bootstrapServers(), cluster.client());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** An admin client of a cluster reached plainly (the embedded broker); the caller closes it. */
    public static Admin admin(String bootstrapServers) {
        return admin(bootstrapServers, KafkaClientProperties.NONE);
    }

    /** An admin client of a cluster; the caller closes it. */
    public static Admin admin(String bootstrapServers, KafkaClientProperties client) {
        return Admin.create(client.over(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
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

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

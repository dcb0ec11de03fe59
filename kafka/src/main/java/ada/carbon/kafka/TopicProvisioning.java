package ada.carbon.kafka;

import ada.carbon.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates ada-carbon's topics ({@link Topics#layout}) where they are missing: the one way topics are made,
 * by the services as they start ({@link ClusterAccess#prepare}), the local stack, the bench and the tests.
 * Topics that exist are used as they are.
 */
public final class TopicProvisioning {
    /** How long a creation or a metadata wait may take. */
    static final long TIMEOUT_SECONDS = 60;

    private TopicProvisioning() {}

    /** Creates the topics of {@link Topics#layout} that do not exist yet, on a cluster reached plainly (tests, bench). */
    public static void ensure(String bootstrapServers) {
        ensure(bootstrapServers, Topics.DEFAULT_PARTITIONS);
    }

    /** As {@link #ensure(String)}, with {@code partitions} each. */
    public static void ensure(String bootstrapServers, int partitions) {
        try (Admin admin = Cluster.admin(bootstrapServers)) {
            List<String> denied = createMissing(admin, Topics.layout(partitions));
            if (!denied.isEmpty()) {
                throw new KafkaAccessException("not authorized to create topics " + denied + " on " + bootstrapServers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e, e);
        }
    }

    /**
     * Creates those of {@code topics} that do not exist yet, idempotently (existing topics are left as they
     * are, also when another client creates them at the same time).
     *
     * @return the topics it could neither see nor create
     */
    public static List<String> createMissing(Admin admin, List<NewTopic> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing =
                topics.stream().filter(t -> !existing.contains(t.name())).toList();
        List<String> denied = new ArrayList<>();
        if (missing.isEmpty()) {
            return denied;
        }
        var creations = admin.createTopics(missing).values();
        List<String> created = new ArrayList<>();
        for (NewTopic topic : missing) {
            if (create(creations.get(topic.name()))) {
                created.add(topic.name());
            } else {
                denied.add(topic.name());
            }
        }
        awaitMetadata(admin, created);
        return denied;
    }

    /**
     * Waits until every partition of the new topics has a leader that answers. A creation completes once the
     * controller has it; a describe right after can still find the topic unknown, and a producer that writes at once
     * to a partition its broker has not yet taken on can lose a batch: refused as not the leader's, the next one
     * accepted, and the first then refused as out of sequence until it expires (KAFKA-15591).
     */
    private static void awaitMetadata(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .values()
                        .forEach(d -> d.partitions()
                                .forEach(p ->
                                        ends.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(ends).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    /** Whether a topic creation succeeded or found the topic there; false if the principal may not create it. */
    static boolean create(KafkaFuture<Void> creation)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            creation.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                return false;
            }
            throw e;
        }
    }
}

package ada.carbon.kafka;

import ada.carbon.schemas.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

/**
 * What a service needs of the cluster, checked when it starts. On a cluster with an authorizer, a missing
 * ACL would otherwise show late and vaguely: a stream thread failing and being replaced again and again,
 * a consumer or a send failing after the service reported itself up. Checked first, the service fails at
 * once and says which permission it lacks ("not authorized to READ group ada-carbon-sink") and who the
 * cluster took it for. On a cluster without an authorizer every check passes.
 *
 * <p>The checks ask the cluster what the principal may do ({@code includeAuthorizedOperations}) where Kafka
 * can say: topics, and groups that exist. A group not yet created is checked for DESCRIBE (which READ
 * implies), a transactional id prefix for DESCRIBE ({@code describeTransactions}), and topic creation under a
 * prefix by a create that only validates. README, "Secured clusters", lists the ACLs of each service.
 */
public final class ClusterAccess {
    private static final long TIMEOUT_SECONDS = TopicProvisioning.TIMEOUT_SECONDS;
    /** A name under a prefix, for the checks that need one; never created. */
    private static final String PROBE = "-ada-carbon-access-check";

    private final Map<String, Set<AclOperation>> topics = new LinkedHashMap<>();
    /** The output topics among {@link #topics}, whose layout is a set's ({@link Topics.Outputs#layout}). */
    private final Set<Topics.Outputs> outputSets = new LinkedHashSet<>();
    /** How many partitions {@link #prepare} gives each topic it creates. */
    private int partitions = Topics.DEFAULT_PARTITIONS;

    private final Set<String> groups = new LinkedHashSet<>();
    private final Set<String> transactionalIdPrefixes = new LinkedHashSet<>();
    private final Set<String> topicPrefixes = new LinkedHashSet<>();

    private ClusterAccess() {}

    /** An ingest: publishes to the raw topics and dead-letters what it cannot publish. */
    public static ClusterAccess ingest() {
        return new ClusterAccess()
                .topics(Topics.RAW, AclOperation.WRITE)
                .topics(List.of(Topics.DEAD_LETTER), AclOperation.WRITE);
    }

    /**
     * The aggregator, a Kafka Streams application: it reads the raw topics, writes {@code outputs} and dead
     * letters in transactions named after its application id, and keeps its state in topics prefixed with it.
     */
    public static ClusterAccess aggregator(String applicationId, Topics.Outputs outputs) {
        ClusterAccess a = new ClusterAccess()
                .topics(Topics.RAW, AclOperation.READ)
                .outputs(outputs, AclOperation.WRITE)
                .topics(List.of(Topics.DEAD_LETTER), AclOperation.WRITE);
        a.groups.add(applicationId);
        a.transactionalIdPrefixes.add(applicationId);
        a.topicPrefixes.add(applicationId);
        return a;
    }

    /** The sink: reads {@code outputs} in its consumer group, and dead-letters the records it cannot apply. */
    public static ClusterAccess sink(String groupId, Topics.Outputs outputs) {
        ClusterAccess s = new ClusterAccess()
                .outputs(outputs, AclOperation.READ)
                .topics(List.of(Topics.DEAD_LETTER), AclOperation.WRITE);
        s.groups.add(groupId);
        return s;
    }

    /** What both need: one process running several services as one principal ({@code load}). */
    public ClusterAccess and(ClusterAccess other) {
        ClusterAccess both = new ClusterAccess();
        for (ClusterAccess one : List.of(this, other)) {
            one.topics.forEach((t, ops) ->
                    both.topics.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(ops));
            both.outputSets.addAll(one.outputSets);
            both.groups.addAll(one.groups);
            both.transactionalIdPrefixes.addAll(one.transactionalIdPrefixes);
            both.topicPrefixes.addAll(one.topicPrefixes);
        }
        both.partitions = partitions;
        return both;
    }

    /** The topics it reads or writes: those {@link #prepare} creates when they are missing. */
    public List<String> topics() {
        return List.copyOf(topics.keySet());
    }

    /**
     * Creates the missing topics this service uses (with their partitions, retention and compaction), then
     * checks its permissions.
     *
     * @throws KafkaAccessException listing every permission it lacks
     */
    public void prepare(Cluster cluster) {
        Admin admin = cluster.admin();
        List<String> denied = new ArrayList<>();
        try {
            List<String> unseen = TopicProvisioning.createMissing(admin, layouts());
            for (String topic : unseen) {
                denied.add(ops(topic) + " topic " + topic + " (it is missing, or hidden from this principal, which may"
                        + " not CREATE it either)");
            }
            denied.addAll(checkTopics(admin, unseen));
            for (String group : groups) {
                checkGroup(admin, group).ifPresent(denied::add);
            }
            for (String prefix : transactionalIdPrefixes) {
                try {
                    admin.describeTransactions(List.of(prefix + PROBE)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TransactionalIdAuthorizationException) {
                        denied.add("WRITE transactional ids prefixed " + prefix);
                    } else if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                        throw e;
                    }
                }
            }
            for (String prefix : topicPrefixes) {
                var probe = admin.createTopics(
                                List.of(new NewTopic(prefix + PROBE, 1, (short) 1)),
                                new CreateTopicsOptions().validateOnly(true))
                        .all();
                if (!TopicProvisioning.create(probe)) {
                    denied.add("CREATE topics prefixed " + prefix + " (Kafka Streams' state topics)");
                }
            }
        } catch (ExecutionException e) {
            throw explain(e.getCause(), cluster);
        } catch (TimeoutException e) {
            throw new KafkaAccessException(
                    "the cluster at " + cluster.bootstrapServers() + " did not answer within " + TIMEOUT_SECONDS + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking access to " + cluster.bootstrapServers(), e);
        }
        if (!denied.isEmpty()) {
            throw new KafkaAccessException(cluster.client().principal() + " is not authorized to "
                    + String.join("; nor to ", denied) + " on " + cluster.bootstrapServers()
                    + ". The README's \"Secured clusters\" lists the ACLs of each service.");
        }
    }

    /** Checks that {@code admin} reaches the cluster with credentials it accepts. */
    static void authenticate(Admin admin, String bootstrapServers, KafkaClientProperties client) {
        try {
            admin.describeCluster().clusterId().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException failed) {
                throw authenticationFailed(failed, bootstrapServers, client);
            }
            throw new KafkaAccessException(
                    "cannot reach the cluster at " + bootstrapServers + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAccessException(
                    "the cluster at " + bootstrapServers + " did not answer within " + TIMEOUT_SECONDS
                            + " s (is --bootstrap-servers right, and --kafka-config's security.protocol?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers, e);
        }
    }

    private static KafkaAccessException authenticationFailed(
            AuthenticationException e, String bootstrapServers, KafkaClientProperties client) {
        return new KafkaAccessException(
                "authentication failed for " + client.principal() + " at " + bootstrapServers + ": " + e.getMessage(),
                e);
    }

    private static KafkaAccessException explain(Throwable e, Cluster cluster) {
        if (e instanceof AuthenticationException failed) {
            return authenticationFailed(failed, cluster.bootstrapServers(), cluster.client());
        }
        return new KafkaAccessException(
                "cannot check access to " + cluster.bootstrapServers() + " as "
                        + cluster.client().principal() + ": " + e,
                e);
    }

    /** The topics it creates when missing ({@code --partitions}); those that exist are used as they are. */
    public ClusterAccess withPartitions(int count) {
        Topics.layout(count); // refuses a count below one
        this.partitions = count;
        return this;
    }

    /** How {@link #prepare} creates each of {@link #topics} when it is missing. */
    private List<NewTopic> layouts() {
        Map<String, NewTopic> layouts = new LinkedHashMap<>();
        Topics.layout(partitions).stream()
                .filter(t -> topics.containsKey(t.name()))
                .forEach(t -> layouts.put(t.name(), t));
        outputSets.forEach(o -> o.layout(partitions).forEach(t -> layouts.put(t.name(), t)));
        return List.copyOf(layouts.values());
    }

    private ClusterAccess topics(List<String> names, AclOperation operation) {
        names.forEach(t -> topics.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(operation));
        return this;
    }

    private ClusterAccess outputs(Topics.Outputs outputs, AclOperation operation) {
        outputSets.add(outputs);
        outputs.all()
                .forEach(t ->
                        topics.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(operation));
        return this;
    }

    /** What the principal may not do on the topics, as "READ topic ada.facts". */
    private List<String> checkTopics(Admin admin, List<String> unseen)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> denied = new ArrayList<>();
        List<String> names =
                topics.keySet().stream().filter(t -> !unseen.contains(t)).toList();
        var described = admin.describeTopics(names, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .topicNameValues();
        for (var e : topics.entrySet()) {
            if (unseen.contains(e.getKey())) {
                continue;
            }
            TopicDescription d;
            try {
                d = described.get(e.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof TopicAuthorizationException) {
                    e.getValue().forEach(op -> denied.add(op + " topic " + e.getKey()));
                    continue;
                }
                throw failed;
            }
            Set<AclOperation> allowed = d.authorizedOperations();
            if (allowed != null) {
                e.getValue().stream()
                        .filter(op -> !allowed.contains(op))
                        .forEach(op -> denied.add(op + " topic " + e.getKey()));
            }
        }
        return denied;
    }

    /** READ on the group, or on a group not created yet DESCRIBE (its coordinator is found only then). */
    private static java.util.Optional<String> checkGroup(Admin admin, String group)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            var d = admin.describeConsumerGroups(
                            List.of(group), new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(group);
            Set<AclOperation> allowed = d.authorizedOperations();
            return allowed == null || allowed.contains(AclOperation.READ)
                    ? java.util.Optional.empty()
                    : java.util.Optional.of("READ group " + group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                return java.util.Optional.of("READ group " + group);
            }
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    private String ops(String topic) {
        return String.join(
                ", ", topics.get(topic).stream().map(AclOperation::name).toList());
    }
}

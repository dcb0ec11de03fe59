package ada.carbon.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic ada-carbon reads or writes outside a Kafka Streams application's own internal topics.
 * The raw topics take events from any producer; the output topics are compacted tables keyed by identity.
 */
public final class Topics {
    /** SPEC 1.1 cpu events (value {@code CpuEvent}), keyed by host (SPEC 2.8). */
    public static final String RAW_CPU = "ada.raw.cpu";
    /** SPEC 1.2 intensity events (value {@code IntensityEvent}). */
    public static final String RAW_INTENSITY = "ada.raw.intensity";
    /** SPEC 1.3 workspace events (value {@code WorkspaceEvent}). */
    public static final String RAW_WORKSPACE = "ada.raw.workspace";
    /** SPEC 1.4 user events (value {@code UserEvent}). */
    public static final String RAW_USER = "ada.raw.user";
    /** Rejected input: the original bytes, with the reason and origin in headers ({@link DeadLetter}). */
    public static final String DEAD_LETTER = "ada.dead-letter";

    /** Facts: key {@code FactId}, value {@code Fact} (absolute figures) or null when the fact is gone. */
    public static final String FACTS = "ada.facts";
    /** fact_intensity rows: key {@code SlotId}, value {@code SlotIntensity}. */
    public static final String SLOT_INTENSITY = "ada.slot-intensity";
    /** The latest event of each workspace: key workspace_key (string), value {@code WorkspaceEvent}. */
    public static final String WORKSPACES = "ada.workspaces";
    /** The latest event of each user: key user_id (string), value {@code UserEvent}. */
    public static final String USERS = "ada.users";
    /** Each (instance, project, machine) named by cpu events: key and value {@code CpuLabel}. */
    public static final String CPU_LABELS = "ada.cpu-labels";

    /**
     * How many partitions the topics ada-carbon creates get, unless {@code --partitions} says otherwise
     * (SPEC 2.8: the raw topics' partitions are the aggregator's unit of work). Chosen by measurement on one
     * two-core machine (BENCHMARKS.md, "Partitions"); topics that already exist are used as they are.
     */
    public static final int DEFAULT_PARTITIONS = 4;

    public static final List<String> RAW = List.of(RAW_CPU, RAW_INTENSITY, RAW_WORKSPACE, RAW_USER);
    public static final List<String> OUTPUT = List.of(FACTS, SLOT_INTENSITY, WORKSPACES, USERS, CPU_LABELS);

    /**
     * The aggregator's output topics. The live pipeline writes {@link #LIVE}; a reprocess with other
     * settings writes a set of its own ({@link #ofRun}), so the live tables are never mixed with its figures.
     */
    public record Outputs(String facts, String slotIntensity, String workspaces, String users, String cpuLabels) {
        public static final Outputs LIVE = new Outputs(FACTS, SLOT_INTENSITY, WORKSPACES, USERS, CPU_LABELS);

        public static Outputs ofRun(String run) {
            String prefix = "ada.run." + run + ".";
            return new Outputs(
                    prefix + "facts",
                    prefix + "slot-intensity",
                    prefix + "workspaces",
                    prefix + "users",
                    prefix + "cpu-labels");
        }

        public List<String> all() {
            return List.of(facts, slotIntensity, workspaces, users, cpuLabels);
        }

        /** Creates them as {@link #layout} does the live ones: compacted tables. */
        public List<NewTopic> layout(int partitions) {
            return all().stream()
                    .map(t -> topic(
                            t,
                            partitions,
                            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
                    .toList();
        }
    }

    /**
     * How each topic is created. Raw topics keep everything (retention -1): {@code reprocess} recomputes
     * the database from them with a new configuration, so they are the system of record. The output topics
     * are compacted tables keyed by identity: {@code replay} rebuilds a database from them alone. Dead
     * letters are kept 30 days, long enough to look into and re-send.
     *
     * @param partitions of every topic
     */
    public static List<NewTopic> layout(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topics have at least one partition, not " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String raw : RAW) {
            topics.add(topic(raw, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        topics.add(topic(
                DEAD_LETTER,
                partitions,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(30L * 24 * 3600 * 1000))));
        topics.addAll(Outputs.LIVE.layout(partitions));
        return topics;
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        // Replication as the cluster's default: one on the embedded broker, more on a real cluster.
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }

    private Topics() {}
}

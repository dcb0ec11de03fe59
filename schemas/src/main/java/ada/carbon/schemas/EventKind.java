package ada.carbon.schemas;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The four input event kinds of SPEC 1: their JSON {@code kind} name, Avro class and raw topic, and how
 * each is keyed (SPEC 2.8) and checked. The one place that switches on the type of an input event: the
 * publisher keys by it, and the aggregator reads it to know where each raw record belongs.
 */
public enum EventKind {
    CPU("cpu", CpuEvent.class, Topics.RAW_CPU),
    INTENSITY("intensity", IntensityEvent.class, Topics.RAW_INTENSITY),
    WORKSPACE("workspace", WorkspaceEvent.class, Topics.RAW_WORKSPACE),
    USER("user", UserEvent.class, Topics.RAW_USER);

    private final String jsonName;
    private final Class<? extends SpecificRecord> type;
    private final String topic;

    EventKind(String jsonName, Class<? extends SpecificRecord> type, String topic) {
        this.jsonName = jsonName;
        this.type = type;
        this.topic = topic;
    }

    /** The value of the JSON {@code kind} field. */
    public String jsonName() {
        return jsonName;
    }

    public Class<? extends SpecificRecord> type() {
        return type;
    }

    /** The raw topic this kind is published to. */
    public String topic() {
        return topic;
    }

    /** The kind whose raw topic this is, if any. */
    public static Optional<EventKind> ofTopic(String topic) {
        for (EventKind k : values()) {
            if (k.topic.equals(topic)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The kind named by a JSON {@code kind} value (exact, lower case), if any. */
    public static Optional<EventKind> ofJsonName(String name) {
        for (EventKind k : values()) {
            if (k.jsonName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** @throws IllegalArgumentException when the record is none of the four input events */
    public static EventKind of(SpecificRecord event) {
        if (event instanceof CpuEvent) {
            return CPU;
        }
        if (event instanceof IntensityEvent) {
            return INTENSITY;
        }
        if (event instanceof WorkspaceEvent) {
            return WORKSPACE;
        }
        if (event instanceof UserEvent) {
            return USER;
        }
        throw new IllegalArgumentException("not an input event: "
                + (event == null ? "null" : event.getClass().getName()));
    }

    /**
     * The Kafka key (SPEC 2.8): what keeps every version of one thing on one partition, so that a replacement
     * is never overtaken by the event it replaces, and one host's readings and tenures on the same partition
     * as each other, so that the aggregator accounts for a host where its records are: its host, lower-cased,
     * for {@code cpu} and {@code workspace}; {@code from} for {@code intensity}; {@code user_id} for {@code user}.
     */
    public String key(SpecificRecord event) {
        return switch (this) {
            case CPU -> InstanceLabel.hostKey(((CpuEvent) event).getInstance());
            case INTENSITY -> Times.format(((IntensityEvent) event).getFrom());
            case WORKSPACE -> InstanceLabel.hostKey(((WorkspaceEvent) event).getInstance());
            case USER -> ((UserEvent) event).getUserId();
        };
    }

    /** The Avro value bytes, exactly as {@link AdaSerdes} writes them. */
    public byte[] serialize(SpecificRecord event) {
        return switch (this) {
            case CPU -> AdaSerdes.CPU_EVENT.serialize(topic, (CpuEvent) event);
            case INTENSITY -> AdaSerdes.INTENSITY_EVENT.serialize(topic, (IntensityEvent) event);
            case WORKSPACE -> AdaSerdes.WORKSPACE_EVENT.serialize(topic, (WorkspaceEvent) event);
            case USER -> AdaSerdes.USER_EVENT.serialize(topic, (UserEvent) event);
        };
    }

    /** The SPEC rule the event breaks ({@link EventRules}), or empty when it may be applied. */
    public Optional<String> violation(SpecificRecord event) {
        return switch (this) {
            case CPU -> EventRules.check((CpuEvent) event);
            case INTENSITY -> EventRules.check((IntensityEvent) event);
            case WORKSPACE -> EventRules.check((WorkspaceEvent) event);
            case USER -> EventRules.check((UserEvent) event);
        };
    }
}

package ada.carbon.aggregator.validation;

import ada.carbon.schemas.DeadLetter;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a raw record and checks it against the SPEC rules (SPEC 2.7): the event, or why it is refused.
 * Nothing a producer sends can make this throw.
 */
public final class EventReader<T> {
    private final Deserializer<T> deserializer;
    private final Rules<T> rules;

    /** The rules an event must keep, judged at the wall clock time it is read (SPEC 2.7 bounds times by it). */
    public interface Rules<T> {
        Optional<String> check(T event, long nowMillis);
    }

    public EventReader(Deserializer<T> deserializer, Rules<T> rules) {
        this.deserializer = deserializer;
        this.rules = rules;
    }

    public Checked<T> read(String topic, byte[] bytes, long nowMillis) {
        if (bytes == null) {
            return Checked.rejected(DeadLetter.MALFORMED, "empty value (tombstone) on a raw topic");
        }
        T event;
        try {
            event = deserializer.deserialize(topic, bytes);
        } catch (RuntimeException e) {
            return Checked.rejected(DeadLetter.MALFORMED, String.valueOf(e.getMessage()));
        }
        Optional<String> broken;
        try {
            broken = rules.check(event, nowMillis);
        } catch (RuntimeException e) {
            broken = Optional.of(String.valueOf(e.getMessage()));
        }
        return broken.isPresent() ? Checked.rejected(DeadLetter.INVALID, broken.get()) : Checked.accepted(event);
    }
}

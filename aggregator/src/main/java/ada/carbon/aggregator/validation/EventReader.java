package ada.carbon.aggregator.validation;

import ada.carbon.schemas.DeadLetter;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a raw record and checks it against the SPEC rules (SPEC 2.7): the event, or why it is refused.
 * Nothing a producer sends can make this throw.
 */
public final class EventReader<T> {
    private final Deserializer<T> deserializer;
    private final Function<T, Optional<String>> rules;

    public EventReader(Deserializer<T> deserializer, Function<T, Optional<String>> rules) {
        this.deserializer = deserializer;
        this.rules = rules;
    }

    public Checked<T> read(String topic, byte[] bytes) {
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
            broken = rules.apply(event);
        } catch (RuntimeException e) {
            broken = Optional.of(String.valueOf(e.getMessage()));
        }
        return broken.isPresent() ? Checked.rejected(DeadLetter.INVALID, broken.get())
                : Checked.accepted(event);
    }
}

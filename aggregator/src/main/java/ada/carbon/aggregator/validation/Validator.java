package ada.carbon.aggregator.validation;

import ada.carbon.schemas.DeadLetter;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads a raw record and checks it against the SPEC rules (SPEC 2.7). Rejected records keep their
 * original bytes and get the dead-letter headers here, where the source topic, partition and offset
 * are still known. Nothing a producer sends can make this throw.
 */
public final class Validator<T> implements FixedKeyProcessor<byte[], byte[], Checked<T>> {
    private final Deserializer<T> deserializer;
    private final Function<T, Optional<String>> rules;
    private FixedKeyProcessorContext<byte[], Checked<T>> context;

    public Validator(Deserializer<T> deserializer, Function<T, Optional<String>> rules) {
        this.deserializer = deserializer;
        this.rules = rules;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Checked<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        byte[] bytes = record.value();
        if (bytes == null) {
            reject(record, DeadLetter.MALFORMED, "empty value (tombstone) on a raw topic");
            return;
        }
        T event;
        try {
            event = deserializer.deserialize(topic(), bytes);
        } catch (RuntimeException e) {
            reject(record, DeadLetter.MALFORMED, e.getMessage());
            return;
        }
        Optional<String> broken;
        try {
            broken = rules.apply(event);
        } catch (RuntimeException e) {
            broken = Optional.of(String.valueOf(e.getMessage()));
        }
        if (broken.isPresent()) {
            reject(record, DeadLetter.INVALID, broken.get());
        } else {
            context.forward(record.withValue(Checked.accepted(event, bytes)));
        }
    }

    private void reject(FixedKeyRecord<byte[], byte[]> record, String reason, String detail) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        var headers = DeadLetter.headers(reason, detail,
                meta.map(RecordMetadata::topic).orElse("unknown"),
                meta.map(RecordMetadata::partition).orElse(-1),
                meta.map(RecordMetadata::offset).orElse(-1L));
        context.forward(record.withValue(Checked.<T>rejected(record.value(), reason, detail)).withHeaders(headers));
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(null);
    }
}

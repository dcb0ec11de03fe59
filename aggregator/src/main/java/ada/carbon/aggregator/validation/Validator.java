package ada.carbon.aggregator.validation;

import ada.carbon.schemas.DeadLetter;
import java.time.Duration;
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
    private final Function<String, Deserializer<? extends T>> deserializerOfTopic;
    private final Function<T, Optional<String>> rules;
    private final Function<T, Long> eventTime;
    private final Duration horizon;
    private FixedKeyProcessorContext<byte[], Checked<T>> context;
    private HorizonGate gate;
    private final java.util.Map<String, org.apache.kafka.common.metrics.Sensor> rejections = new java.util.HashMap<>();

    private Validator(Function<String, Deserializer<? extends T>> deserializerOfTopic, Function<T, Optional<String>> rules,
                      Function<T, Long> eventTime, Duration horizon) {
        this.deserializerOfTopic = deserializerOfTopic;
        this.rules = rules;
        this.eventTime = eventTime;
        this.horizon = horizon;
    }

    /** Reads and checks events of one kind that always apply (workspaces, users). */
    public static <T> Validator<T> of(Deserializer<T> deserializer, Function<T, Optional<String>> rules) {
        return new Validator<>(topic -> deserializer, rules, null, null);
    }

    /**
     * Reads and checks events of several kinds, by source topic, that are refused when older than the
     * horizon behind the newest time seen (SPEC 2.6); needs the {@link #horizonStore()} store.
     */
    public static <T> Validator<T> withHorizon(Function<String, Deserializer<? extends T>> deserializerOfTopic,
                                               Function<T, Optional<String>> rules, Function<T, Long> eventTime,
                                               Duration horizon) {
        return new Validator<>(deserializerOfTopic, rules, eventTime, horizon);
    }

    public static String horizonStore() {
        return HorizonGate.STORE;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Checked<T>> context) {
        this.context = context;
        if (horizon != null) {
            this.gate = new HorizonGate(horizon, context.getStateStore(HorizonGate.STORE));
        }
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
            event = deserializerOfTopic.apply(topic()).deserialize(topic(), bytes);
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
            return;
        }
        Optional<String> late = gate == null ? Optional.empty() : gate.admit(eventTime.apply(event));
        if (late.isPresent()) {
            reject(record, DeadLetter.LATE, late.get());
        } else {
            context.forward(record.withValue(Checked.accepted(event, bytes)));
        }
    }

    private void reject(FixedKeyRecord<byte[], byte[]> record, String reason, String detail) {
        rejections.computeIfAbsent(reason, r -> ada.carbon.aggregator.PipelineSensors.rejected(context.metrics(), r))
                .record();
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

package ada.carbon.aggregator.errors;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The input records whose application failed for a reason no rule foresaw (SPEC 2.7, reason {@code error}),
 * by topic, partition and offset, for as long as the aggregator runs.
 *
 * <p>A failure may strike halfway through an event, with part of its effect on the in-memory pieces and
 * ledger and part not; nothing short of going back can make that state right. So the failing record is
 * remembered here and the task is failed ({@link PoisonRecordException}): Kafka Streams replaces the
 * thread, the transaction is aborted, and the task starts again from its last commit with its state
 * restored. When the record comes round again it is dead-lettered instead of applied, and every other
 * record since the commit is applied again, exactly once. One record costs one restart, never a loop.
 */
public final class PoisonRecords {
    private record At(String topic, int partition, long offset) {}

    private final Map<At, String> failures = new ConcurrentHashMap<>();

    /** Why applying the record at {@code meta} failed before, if it did. */
    public Optional<String> failureOf(RecordMetadata meta) {
        return Optional.ofNullable(failures.get(at(meta)));
    }

    /** Remembers the failure and returns what to throw: it fails the task, which then restarts without it. */
    public PoisonRecordException failed(RecordMetadata meta, RuntimeException failure) {
        String detail = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        failures.put(at(meta), detail);
        return new PoisonRecordException(meta.topic() + "-" + meta.partition() + "@" + meta.offset(), detail, failure);
    }

    public int size() {
        return failures.size();
    }

    private static At at(RecordMetadata meta) {
        return new At(meta.topic(), meta.partition(), meta.offset());
    }
}

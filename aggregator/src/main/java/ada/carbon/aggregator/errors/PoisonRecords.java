package ada.carbon.aggregator.errors;

import ada.carbon.aggregator.flow.Origin;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<Origin, String> failures = new ConcurrentHashMap<>();

    /** Why applying the record read at {@code origin} failed before, if it did. */
    public Optional<String> failureOf(Origin origin) {
        return Optional.ofNullable(failures.get(origin));
    }

    /** Remembers the failure and returns what to throw: it fails the task, which then restarts without it. */
    public PoisonRecordException failed(Origin origin, RuntimeException failure) {
        String detail = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        failures.put(origin, detail);
        return new PoisonRecordException(origin.toString(), detail, failure);
    }

    public int size() {
        return failures.size();
    }
}

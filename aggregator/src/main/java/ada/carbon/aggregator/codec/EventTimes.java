package ada.carbon.aggregator.codec;

import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import java.time.Instant;

/**
 * The time a raw event is about, read from its bytes: a {@code cpu} event's {@code ts}, an {@code intensity}
 * event's {@code from}, a {@code workspace} event's {@code created_time}. A {@code user} event has no time of
 * its own. The aggregator reads its raw topics merged in this order, so that a backfill longer than the
 * restatement horizon is read as it happened rather than one topic ahead of another (SPEC 2.6 judges
 * lateness against the newest time seen).
 *
 * <p>A workspace counts from its start even when the record also ends it (a registry's first read sends a
 * long-gone workspace once, with both times): its tenure must be known before the usage it explains is
 * read, since once that usage is a horizon old it is final and no later record can give it its owner.
 */
public final class EventTimes {
    /** No time: a user event, or bytes that do not read as an event (the aggregator dead-letters those). */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private EventTimes() {}

    /** Epoch milliseconds, or {@link #UNKNOWN}. */
    public static long of(String topic, byte[] value) {
        if (Topics.RAW_CPU.equals(topic)) {
            return CpuEventDecoder.CURRENT.eventTime(value);
        }
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return switch (topic) {
                case Topics.RAW_INTENSITY ->
                    millis(AdaSerdes.INTENSITY_EVENT.deserialize(topic, value).getFrom());
                case Topics.RAW_WORKSPACE ->
                    millis(AdaSerdes.WORKSPACE_EVENT.deserialize(topic, value).getCreatedTime());
                default -> UNKNOWN;
            };
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static long millis(Instant t) {
        return t == null ? UNKNOWN : t.toEpochMilli();
    }
}

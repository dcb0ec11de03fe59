package ada.carbon.aggregator.flow;

import ada.carbon.schemas.EventKind;
import org.apache.avro.specific.SpecificRecord;

/**
 * An input event that keeps SPEC section 1's rules and 2.7's bounds, with the bytes it came in (a late one
 * is dead-lettered with them), where it came from, and where it is to be applied ({@link Delivery}).
 *
 * @param published a workspace record's Kafka timestamp, which orders the versions of one workspace read on
 *                  different partitions; {@link #UNKNOWN} for other events
 */
public record RawEvent(
        EventKind kind,
        SpecificRecord event,
        byte[] key,
        byte[] value,
        Origin origin,
        long published,
        Delivery delivery)
        implements ReadResult {
    /** {@link #published} when the record's publication time is not known. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /**
     * Where a raw event is applied (SPEC 2.8). Each host partition accounts for the hosts whose events are
     * keyed to it; a workspace record is applied by every one, since a workspace may move from a host of one
     * partition to a host of another, and the partition it left must learn it has gone. Whatever arrives from
     * another partition is applied as {@link #LOCAL}.
     */
    public enum Delivery {
        /** On its own partition: applied here. */
        LOCAL,
        /** Keyed otherwise by its producer: sent once to the partition of its key, and applied there. */
        REROUTE,
        /** A workspace applied here: sent to every other partition too, and applied there. */
        BROADCAST
    }

    public RawEvent delivered(Delivery delivery) {
        return new RawEvent(kind, event, key, value, origin, published, delivery);
    }
}

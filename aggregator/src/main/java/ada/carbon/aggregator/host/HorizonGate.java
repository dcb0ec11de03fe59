package ada.carbon.aggregator.host;

import ada.carbon.core.Horizon;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * SPEC 2.6: a cpu or intensity event more than the horizon behind the newest such time seen is not
 * applied. Each host partition keeps its own newest time (SPEC 2.8), in a store so that it survives
 * restarts; it never rejects an event that one clock over every partition would accept, since its newest
 * time is never ahead of that clock's.
 */
final class HorizonGate {
    static final String STORE = "newest-event-time-store";
    private static final String NEWEST = "newest";

    private final Horizon horizon;
    private final KeyValueStore<String, Long> store;
    private Long newest;

    HorizonGate(Horizon horizon, KeyValueStore<String, Long> store) {
        this.horizon = horizon;
        this.store = store;
        this.newest = store.get(NEWEST);
    }

    /** The reason an event at {@code eventTime} is late, or empty (and the newest time moves on). */
    Optional<String> admit(long eventTime) {
        if (newest != null && horizon.isLate(eventTime, newest)) {
            return Optional.of(Instant.ofEpochMilli(eventTime) + " is more than "
                    + horizon.length().toDays() + " days (the restatement horizon) behind the newest time seen, "
                    + Instant.ofEpochMilli(newest));
        }
        if (newest == null || eventTime > newest) {
            newest = eventTime;
            store.put(NEWEST, eventTime);
        }
        return Optional.empty();
    }

    /** The newest cpu or intensity time this partition has admitted, if any. */
    OptionalLong newest() {
        return newest == null ? OptionalLong.empty() : OptionalLong.of(newest);
    }

    /** The first bucket an admitted event may still change on this partition; every earlier one is final here. */
    OptionalLong firstOpenBucket() {
        return newest == null ? OptionalLong.empty() : OptionalLong.of(horizon.firstOpenBucket(newest));
    }
}

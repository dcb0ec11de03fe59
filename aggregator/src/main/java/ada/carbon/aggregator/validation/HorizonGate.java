package ada.carbon.aggregator.validation;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * SPEC 2.6: a cpu or intensity event more than the horizon behind the newest such time seen is not
 * applied. "Seen" is per input partition (one task reads partition p of both raw topics): the order of
 * events within a partition is well defined, across partitions it is not, so a per-partition newest time
 * keeps the decision a function of each partition's order. The newest time survives restarts (changelog).
 */
final class HorizonGate {
    static final String STORE = "newest-event-time-store";
    private static final String NEWEST = "newest";

    private final long horizonMillis;
    private final KeyValueStore<String, Long> newest;

    HorizonGate(Duration horizon, KeyValueStore<String, Long> newest) {
        this.horizonMillis = horizon.toMillis();
        this.newest = newest;
    }

    /** The reason an event at {@code eventTime} is late, or empty (and the newest time moves on). */
    Optional<String> admit(long eventTime) {
        Long seen = newest.get(NEWEST);
        if (seen != null && eventTime < seen - horizonMillis) {
            return Optional.of(java.time.Instant.ofEpochMilli(eventTime) + " is more than " + horizonMillis / 86_400_000
                    + " days (the restatement horizon) behind the newest time seen, " + java.time.Instant.ofEpochMilli(seen));
        }
        if (seen == null || eventTime > seen) {
            newest.put(NEWEST, eventTime);
        }
        return Optional.empty();
    }
}

package ada.carbon.core;

import java.time.Duration;

/**
 * The restatement horizon (SPEC 2.6). A cpu or intensity event more than the horizon behind the newest
 * such time seen is late. Every event that is not late falls in a bucket at or after
 * {@link #firstOpenBucket}, so the buckets before it are final: their figures can no longer change and
 * what they were computed from can be dropped.
 */
public record Horizon(Duration length, Grain grain) {

    public boolean isLate(long eventTime, long newestSeen) {
        return eventTime < newestSeen - length.toMillis();
    }

    /** The first bucket that an event which is not late may still change. */
    public long firstOpenBucket(long newestSeen) {
        return grain.bucketStart(newestSeen - length.toMillis());
    }
}

package ada.carbon.core;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The newest event time of every host partition, as each last said (SPEC 2.6, 2.8): each partition keeps its
 * own clock, and a bucket is final only once it is final on every one of them. Until a partition has a clock
 * at all (it has read no cpu or intensity event yet) it could still send anything, so nothing is final.
 */
public final class PartitionClocks {
    private static final long NONE = Long.MIN_VALUE;

    private final Horizon horizon;
    private final long[] newest;

    public PartitionClocks(Horizon horizon, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("at least one partition, not " + partitions);
        }
        this.horizon = horizon;
        this.newest = new long[partitions];
        Arrays.fill(newest, NONE);
    }

    /**
     * The partition's clock now reads {@code newestSeen}; a clock only moves forward, so an older reading
     * (sent again after a restart) changes nothing. A partition beyond the count is not one of the host
     * partitions (the raw topics were given more since): it is ignored.
     *
     * @return whether the clock moved
     */
    public boolean advance(int partition, long newestSeen) {
        if (partition < 0 || partition >= newest.length || newestSeen <= newest[partition]) {
            return false;
        }
        newest[partition] = newestSeen;
        return true;
    }

    /** The first bucket some partition may still change; every earlier one is final. Empty while one has no clock. */
    public OptionalLong firstOpenBucket() {
        long oldest = Long.MAX_VALUE;
        for (long n : newest) {
            if (n == NONE) {
                return OptionalLong.empty();
            }
            oldest = Math.min(oldest, n);
        }
        return OptionalLong.of(horizon.firstOpenBucket(oldest));
    }

    public int partitions() {
        return newest.length;
    }

    /** The partition's clock, or empty when it has none yet. */
    public OptionalLong newest(int partition) {
        return newest[partition] == NONE ? OptionalLong.empty() : OptionalLong.of(newest[partition]);
    }
}

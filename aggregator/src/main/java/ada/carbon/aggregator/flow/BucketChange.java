package ada.carbon.aggregator.flow;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.core.Cell;
import ada.carbon.core.CellSums;
import ada.carbon.core.FactKey;
import java.util.Map;

/**
 * What a host partition tells the bucket stage, keyed by bucket so that one bucket's changes meet in one
 * task: the sums of a cell it changed, a slot's latest intensity reading, and its clock. The one internal
 * topic carries these: a small fraction of the input, since a cell's sums go out at most once per write.
 */
public sealed interface BucketChange extends HostOutput
        permits BucketChange.CellChanged,
                BucketChange.HostCounts,
                BucketChange.SlotReading,
                BucketChange.PartitionClock {

    /** The bucket whose task it goes to; a clock goes to every task. */
    long bucketStart();

    /**
     * A cell's sums on one host partition now, absolute: they replace what it said before.
     *
     * @param sums null when none of its pieces is left in the bucket
     */
    record CellChanged(int partition, long bucketStart, Cell cell, CellSums sums) implements BucketChange {}

    /**
     * How many distinct hosts of one partition each fact of the bucket has pieces of now (SPEC 2.10), sent with
     * the bucket's changed cells: a host is on one partition only, so the bucket stage adds the counts up.
     *
     * @param counts empty when the partition has no piece left in the bucket
     */
    record HostCounts(int partition, long bucketStart, Map<FactKey, Integer> counts) implements BucketChange {}

    /** The latest intensity reading of a slot (SPEC 1.2), admitted by the horizon of the partition that read it. */
    record SlotReading(long bucketStart, long slotStart, IntensityEvent reading) implements BucketChange {}

    /**
     * A host partition's clock (SPEC 2.6): the newest event time it has seen. Everything it sent before came
     * from events it admitted before; nothing it sends after can change a bucket final on this clock.
     */
    record PartitionClock(int partition, long newest) implements BucketChange {
        @Override
        public long bucketStart() {
            return Long.MIN_VALUE;
        }
    }
}

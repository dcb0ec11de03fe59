package ada.carbon.aggregator.host;

import ada.carbon.aggregator.flow.BucketChange;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a host partition's change goes: to the task of its bucket, so that one bucket's changes meet in one
 * place; a partition's clock goes to every task, since every bucket waits for it.
 */
public final class ByBucket implements StreamPartitioner<Long, BucketChange> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, Long bucket, BucketChange change, int partitions) {
        if (change instanceof BucketChange.PartitionClock) {
            Set<Integer> all = new HashSet<>();
            for (int p = 0; p < partitions; p++) {
                all.add(p);
            }
            return Optional.of(all);
        }
        byte[] key =
                ByteBuffer.allocate(Long.BYTES).putLong(change.bucketStart()).array();
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(key)) % partitions));
    }
}

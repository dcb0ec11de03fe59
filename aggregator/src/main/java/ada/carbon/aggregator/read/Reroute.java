package ada.carbon.aggregator.read;

import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.aggregator.flow.RawEvent.Delivery;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a raw event that leaves its partition goes: a rerouted one to the partition of its key, as Kafka's
 * default partitioner would have put it; a workspace's copies to every partition but the one that read it.
 */
public final class Reroute implements StreamPartitioner<String, RawEvent> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, RawEvent event, int partitions) {
        if (event.delivery() == Delivery.BROADCAST) {
            Set<Integer> others = new HashSet<>();
            for (int p = 0; p < partitions; p++) {
                if (p != event.origin().partition()) {
                    others.add(p);
                }
            }
            return Optional.of(others);
        }
        return Optional.of(Set.of(HostPartitions.partitionOf(key, partitions)));
    }
}

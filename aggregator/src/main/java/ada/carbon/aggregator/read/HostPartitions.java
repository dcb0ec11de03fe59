package ada.carbon.aggregator.read;

import ada.carbon.avro.CpuEvent;
import ada.carbon.schemas.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Where each raw event belongs (SPEC 2.8): its key ({@link EventKind#key}) and the partition Kafka's default
 * partitioner gives that key among the host partitions, as the publisher's producer would have chosen it.
 * Every cpu event asks, so a cpu event's route is remembered by its instance label (a cache: cleared if it
 * grows past a bound, which costs speed, never correctness).
 */
public final class HostPartitions {
    private static final int LIMIT = 200_000;

    /** Where an event belongs: its key and its partition. */
    public record Route(String key, int partition) {}

    private final int count;
    private final Map<String, Route> cpuRoutes = new HashMap<>();

    /** @param count the number of host partitions: the raw cpu topic's */
    public HostPartitions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one partition, not " + count);
        }
        this.count = count;
    }

    public int count() {
        return count;
    }

    public Route route(EventKind kind, SpecificRecord event) {
        if (kind == EventKind.CPU) {
            String instance = ((CpuEvent) event).getInstance();
            Route known = cpuRoutes.get(instance);
            if (known != null) {
                return known;
            }
            if (cpuRoutes.size() >= LIMIT) {
                cpuRoutes.clear();
            }
            Route route = of(kind.key(event));
            cpuRoutes.put(instance, route);
            return route;
        }
        return of(kind.key(event));
    }

    public int partitionOf(String key) {
        return partitionOf(key, count);
    }

    /** The partition of a key among {@code count}: Kafka's default partitioner, murmur2 of its UTF-8 bytes. */
    public static int partitionOf(String key, int count) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count;
    }

    private Route of(String key) {
        return new Route(key, partitionOf(key));
    }
}

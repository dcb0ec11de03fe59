package ada.carbon.bench;

import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.schemas.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated platform's events, serialized once into memory exactly as {@code EventPublisher} would
 * send them (its topic, key and Avro bytes per kind), so that every phase sends the same bytes and no
 * phase's timing includes simulation or serialization.
 */
final class Workload {
    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    /** One event as it goes on the wire. */
    record Event(EventKind kind, byte[] key, byte[] value) {}

    private final SimulatorConfig config;
    private final List<Event> events;
    private final Map<EventKind, Long> counts;
    private final long valueBytes;

    private Workload(SimulatorConfig config, List<Event> events, Map<EventKind, Long> counts, long valueBytes) {
        this.config = config;
        this.events = events;
        this.counts = counts;
        this.valueBytes = valueBytes;
    }

    static Workload simulate(SimulatorConfig config) {
        if (config.stepSeconds() != BenchSettings.CPU_INTERVAL_SECONDS) {
            // The figures in BENCHMARKS.md are defined for 5-minute cpu intervals; say so if the simulator moved.
            log.warn(
                    "the simulator's cpu interval is {} s, not the {} s the bench is defined for",
                    config.stepSeconds(),
                    BenchSettings.CPU_INTERVAL_SECONDS);
        }
        List<Event> events = new ArrayList<>();
        Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
        // Keys repeat (one per host, slot, workspace or user): share one array per distinct key.
        Map<String, byte[]> keys = new HashMap<>();
        long bytes = 0;
        long invalid = 0;
        for (SpecificRecord e : new PlatformSimulator(config)) {
            EventKind kind = EventKind.of(e);
            if (kind.violation(e).isPresent()) {
                invalid++; // the publisher would dead-letter it, not publish it; the simulator makes none
                continue;
            }
            byte[] key = keys.computeIfAbsent(kind.key(e), k -> k.getBytes(StandardCharsets.UTF_8));
            byte[] value = kind.serialize(e);
            bytes += value.length;
            events.add(new Event(kind, key, value));
            counts.merge(kind, 1L, Long::sum);
        }
        if (invalid > 0) {
            log.warn("{} simulated events break a SPEC rule and are left out", invalid);
        }
        return new Workload(config, List.copyOf(events), counts, bytes);
    }

    SimulatorConfig config() {
        return config;
    }

    List<Event> events() {
        return events;
    }

    int size() {
        return events.size();
    }

    long count(EventKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Bytes of all values (keys not counted). */
    long valueBytes() {
        return valueBytes;
    }
}

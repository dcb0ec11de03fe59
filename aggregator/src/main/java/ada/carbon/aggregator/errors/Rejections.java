package ada.carbon.aggregator.errors;

import ada.carbon.aggregator.PipelineSensors;
import ada.carbon.aggregator.flow.Origin;
import ada.carbon.aggregator.flow.Rejected;
import ada.carbon.schemas.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Makes a processor's dead letters (SPEC 2.7): the original bytes with the reason, detail and origin in the
 * headers, stamped with the time they were rejected (so the dead-letter topic's retention counts from then,
 * not from the event's own time), and counted per reason.
 */
public final class Rejections {
    private final StreamsMetrics metrics;
    private final Map<String, Sensor> byReason = new HashMap<>();

    public Rejections(StreamsMetrics metrics) {
        this.metrics = metrics;
    }

    /** The dead letter of the bytes read at {@code origin}, to forward as it is. */
    public <K> Record<K, Rejected> of(
            K key, byte[] originalKey, byte[] originalValue, Origin origin, String reason, String detail, long now) {
        count(reason);
        var headers = DeadLetter.headers(reason, detail, origin.topic(), origin.partition(), origin.offset());
        return new Record<>(key, new Rejected(originalKey, originalValue), now, headers);
    }

    /** Counts a rejection that has no record to dead-letter (a fact that could not be worked out). */
    public void count(String reason) {
        byReason.computeIfAbsent(reason, r -> PipelineSensors.rejected(metrics, r))
                .record();
    }
}

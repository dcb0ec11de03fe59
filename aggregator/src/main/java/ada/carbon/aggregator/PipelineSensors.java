package ada.carbon.aggregator;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The aggregator's own counters, registered with Kafka Streams' metrics (group {@value #GROUP}), so that
 * whatever exports those (the services' /metrics) exports these too.
 */
public final class PipelineSensors {
    /** The metric group Kafka Streams gives sensors of scope {@value #SCOPE}. */
    public static final String GROUP = "stream-ada-carbon-metrics";
    static final String SCOPE = "ada-carbon";

    private PipelineSensors() {}

    /** Counts records dead-lettered for one reason: metric {@code rejected-<reason>-total}. */
    public static Sensor rejected(StreamsMetrics metrics, String reason) {
        return metrics.addRateTotalSensor(SCOPE, "dead-letter", "rejected-" + reason, Sensor.RecordingLevel.INFO);
    }

    /**
     * Counts restatements: a host-slot's contribution to the facts replaced by a new one (metric
     * {@code restatement-total}). Each one recomputes every fact the host-slot feeds; it happens as CPU time
     * accumulates within a slot, and when a correction, a late intensity reading or a late workspace record
     * arrives.
     */
    public static Sensor restatements(StreamsMetrics metrics) {
        return metrics.addRateTotalSensor(SCOPE, "ledger", "restatement", Sensor.RecordingLevel.INFO);
    }
}

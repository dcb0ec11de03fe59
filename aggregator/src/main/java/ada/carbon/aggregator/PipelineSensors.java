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
     * Counts restatements (metric {@code restatement-total}): a cpu event corrected (same identity, new
     * figures), an intensity reading for a bucket that already has facts (a forecast superseded by an
     * actual, a fallback by a late reading), or a workspace record that moves pieces to another owner.
     */
    public static Sensor restatements(StreamsMetrics metrics) {
        return metrics.addRateTotalSensor(SCOPE, "ledger", "restatement", Sensor.RecordingLevel.INFO);
    }
}

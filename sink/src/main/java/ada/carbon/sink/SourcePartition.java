package ada.carbon.sink;

import java.util.Objects;

/** A partition of a topic the sink reads, without Kafka's types: the key of a stored offset. */
public record SourcePartition(String topic, int partition) {
    public SourcePartition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}

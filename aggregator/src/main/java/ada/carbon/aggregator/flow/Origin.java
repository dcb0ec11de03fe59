package ada.carbon.aggregator.flow;

/** Where a raw record was read: its dead letter says so, and a record that failed is known by it. */
public record Origin(String topic, int partition, long offset) {
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}

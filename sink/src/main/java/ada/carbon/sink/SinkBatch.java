package ada.carbon.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one database transaction applies: changes in consumption order (a later change of the same
 * identity wins) and the next offset of each partition they came from, committed together.
 */
public final class SinkBatch {

    /**
     * A change and where it came from, for the log line and the dead letter if it has to be skipped.
     *
     * @param source the record it was read from; null for a change made in this process
     */
    public record Entry(SinkChange change, SourceRecord source) {
        public String origin() {
            return source == null ? "an unnamed source" : source.toString();
        }
    }

    /** A record of an output topic as it was read, for its dead letter. */
    public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<SourcePartition, Long> offsets = new LinkedHashMap<>();

    public SinkBatch add(SinkChange change) {
        return add(change, (SourceRecord) null);
    }

    /** @param source the record the change was read from; may be null */
    public SinkBatch add(SinkChange change, SourceRecord source) {
        entries.add(new Entry(change, source));
        return this;
    }

    /** The same offsets with only {@code kept} of its entries: a retry without the ones that failed. */
    SinkBatch with(List<Entry> kept) {
        SinkBatch b = new SinkBatch();
        b.entries.addAll(kept);
        b.offsets.putAll(offsets);
        return b;
    }

    /** Records that reading {@code partition} resumes at {@code nextOffset} once this batch is stored. */
    public SinkBatch offset(SourcePartition partition, long nextOffset) {
        offsets.put(partition, nextOffset);
        return this;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public Map<SourcePartition, Long> offsets() {
        return Collections.unmodifiableMap(offsets);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty() && offsets.isEmpty();
    }
}

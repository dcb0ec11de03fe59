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

    /** A change and where it came from, for the log line if it has to be skipped. */
    public record Entry(SinkChange change, String origin) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<SourcePartition, Long> offsets = new LinkedHashMap<>();

    public SinkBatch add(SinkChange change) {
        return add(change, null);
    }

    /** @param origin a description of the source record, e.g. {@code ada.facts-0@42}; may be null */
    public SinkBatch add(SinkChange change, String origin) {
        entries.add(new Entry(change, origin));
        return this;
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

package ada.carbon.sink;

import java.util.List;

/**
 * The outcome of one committed batch.
 *
 * @param applied changes written (tombstones and no-ops included)
 * @param rejected changes refused (invalid) or that failed to apply (error); their offsets advanced all the same
 */
public record ApplyResult(int applied, List<Rejected> rejected) {
    public ApplyResult {
        rejected = List.copyOf(rejected);
    }

    public int skipped() {
        return rejected.size();
    }

    /**
     * A change the database did not apply, with the dead-letter reason and what was wrong.
     *
     * @param entry the change and its source record
     */
    public record Rejected(SinkBatch.Entry entry, String reason, String detail) {}
}

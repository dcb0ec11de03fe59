package ada.carbon.sink;

/**
 * The outcome of one committed batch.
 *
 * @param applied changes written (tombstones and no-ops included)
 * @param skipped changes refused as invalid and logged; their offsets advanced all the same
 */
public record ApplyResult(int applied, int skipped) {}

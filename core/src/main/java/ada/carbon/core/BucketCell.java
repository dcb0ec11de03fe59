package ada.carbon.core;

/** A cell of a bucket: what the host stage keeps and sends sums of ({@link CellLedger}). */
public record BucketCell(long bucketStart, Cell cell) {}

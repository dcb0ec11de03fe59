package ada.carbon.core;

/** A cell of a bucket as one host partition sent its sums: what the bucket stage keeps ({@link FactLedger}). */
public record BucketPart(long bucketStart, int partition, Cell cell) {}

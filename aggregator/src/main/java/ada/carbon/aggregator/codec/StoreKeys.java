package ada.carbon.aggregator.codec;

import ada.carbon.core.BucketCell;
import ada.carbon.core.BucketPart;
import ada.carbon.schemas.BinaryCursor;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Keys of the stores the stages keep per bucket, bucket first in an order-preserving form (big-endian, sign
 * bit flipped), so that a bucket's entries sit together in RocksDB, in time order: the host stage's cells not
 * yet sent ({@link BucketCell}), the bucket stage's sums and host counts of each host partition
 * ({@link BucketPart}, {@link BucketPartition}) and its readings of each slot ({@link SlotSeries}).
 */
public final class StoreKeys {
    public static final Serde<BucketCell> BUCKET_CELL =
            serde(k -> bucketFirst(k.bucketStart(), w -> Binary.cell(w, k.cell())), b -> {
                BinaryCursor in = new BinaryCursor(b, 8);
                return new BucketCell(bucketOf(b), Binary.cell(in));
            });

    public static final Serde<BucketPart> BUCKET_PART =
            serde(k -> bucketFirst(k.bucketStart(), w -> Binary.cell(w.varLong(k.partition()), k.cell())), b -> {
                BinaryCursor in = new BinaryCursor(b, 8);
                return new BucketPart(bucketOf(b), in.count(Integer.MAX_VALUE), Binary.cell(in));
            });

    /** One host partition's entry of a bucket: the bucket stage's host counts. */
    public record BucketPartition(long bucketStart, int partition) {}

    public static final Serde<BucketPartition> BUCKET_PARTITION = serde(
            k -> bucketFirst(k.bucketStart(), w -> w.varLong(k.partition())),
            b -> new BucketPartition(bucketOf(b), (int) new BinaryCursor(b, 8).varLong()));

    /**
     * One series' reading of a half hour: {@code series} is 0 for the national series, else the regionid. Slot
     * first, so that what falls out of the horizon is one range.
     */
    public record SlotSeries(long slotStart, int series) {}

    public static final Serde<SlotSeries> SLOT_SERIES = serde(
            k -> bucketFirst(k.slotStart(), w -> w.varLong(k.series())),
            b -> new SlotSeries(bucketOf(b), (int) new BinaryCursor(b, 8).varLong()));

    private StoreKeys() {}

    private interface Rest {
        void write(BinaryCursor.Writer out);
    }

    private static byte[] bucketFirst(long bucketStart, Rest rest) {
        BinaryCursor.Writer out = new BinaryCursor.Writer(48).fixed64(Long.reverseBytes(bucketStart ^ Long.MIN_VALUE));
        rest.write(out);
        return out.toArray();
    }

    private static long bucketOf(byte[] key) {
        return ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE;
    }

    private static <T> Serde<T> serde(Function<T, byte[]> encode, Function<byte[], T> decode) {
        return Serdes.serdeFrom(
                (topic, k) -> k == null ? null : encode.apply(k), (topic, b) -> b == null ? null : decode.apply(b));
    }
}

package ada.carbon.aggregator.codec;

import ada.carbon.aggregator.flow.BucketChange;
import ada.carbon.aggregator.flow.BucketChange.CellChanged;
import ada.carbon.aggregator.flow.BucketChange.HostCounts;
import ada.carbon.aggregator.flow.BucketChange.PartitionClock;
import ada.carbon.aggregator.flow.BucketChange.SlotReading;
import ada.carbon.core.FactKey;
import ada.carbon.core.Scope;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.BinaryCursor;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The values of the internal topic between the stages ({@link BucketChange}): a tag byte, then the change.
 * Private to the aggregator: only it writes and reads them, so a version byte leads, and a record of
 * another version is refused, not misread.
 */
public final class BucketChangeSerde {
    public static final Serde<BucketChange> SERDE =
            Serdes.serdeFrom(BucketChangeSerde::serialize, BucketChangeSerde::deserialize);

    private static final byte VERSION = 1;
    private static final byte CELL = 0;
    private static final byte SLOT = 1;
    private static final byte CLOCK = 2;
    private static final byte HOSTS = 3;

    private static byte[] serialize(String topic, BucketChange change) {
        if (change == null) {
            return null;
        }
        BinaryCursor.Writer out = new BinaryCursor.Writer(64).byte8(VERSION);
        if (change instanceof CellChanged c) {
            out.byte8(CELL).varLong(c.partition()).varLong(c.bucketStart());
            Binary.cell(out, c.cell());
            if (c.sums() == null) {
                out.byte8((byte) 0);
            } else {
                Binary.sums(out.byte8((byte) 1), c.sums());
            }
        } else if (change instanceof SlotReading s) {
            out.byte8(SLOT)
                    .varLong(s.bucketStart())
                    .varLong(s.slotStart())
                    .bytes(AdaSerdes.INTENSITY_EVENT.serialize(topic, s.reading()));
        } else if (change instanceof PartitionClock p) {
            out.byte8(CLOCK).varLong(p.partition()).varLong(p.newest());
        } else if (change instanceof HostCounts h) {
            out.byte8(HOSTS)
                    .varLong(h.partition())
                    .varLong(h.bucketStart())
                    .varLong(h.counts().size());
            h.counts().forEach((fact, n) -> {
                out.varLong(fact.scope().ordinal());
                Binary.nullableString(out, fact.entity());
                out.varLong(n);
            });
        }
        return out.toArray();
    }

    private static BucketChange deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            BinaryCursor in = new BinaryCursor(data, 0);
            byte version = in.byte8();
            if (version != VERSION) {
                throw new SerializationException("a bucket change of version " + version + "; this aggregator reads "
                        + VERSION + " (run every instance at one version)");
            }
            byte tag = in.byte8();
            return switch (tag) {
                case CELL ->
                    new CellChanged(
                            in.count(Integer.MAX_VALUE),
                            in.varLong(),
                            Binary.cell(in),
                            in.byte8() == 0 ? null : Binary.sums(in));
                case SLOT ->
                    new SlotReading(
                            in.varLong(), in.varLong(), AdaSerdes.INTENSITY_EVENT.deserialize(topic, in.bytes()));
                case CLOCK -> new PartitionClock(in.count(Integer.MAX_VALUE), in.varLong());
                case HOSTS -> hostCounts(in);
                default -> throw new SerializationException("not a bucket change (tag " + tag + ")");
            };
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("not a readable bucket change: " + e.getMessage(), e);
        }
    }

    private static HostCounts hostCounts(BinaryCursor in) {
        int partition = in.count(Integer.MAX_VALUE);
        long bucket = in.varLong();
        int size = in.count(Integer.MAX_VALUE);
        Map<FactKey, Integer> counts = new HashMap<>();
        for (int i = 0; i < size; i++) {
            Scope scope = Scope.values()[in.count(Scope.values().length - 1)];
            counts.put(new FactKey(scope, bucket, Binary.nullableString(in)), in.count(Integer.MAX_VALUE));
        }
        return new HostCounts(partition, bucket, counts);
    }

    private BucketChangeSerde() {}
}

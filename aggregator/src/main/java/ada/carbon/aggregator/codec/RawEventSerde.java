package ada.carbon.aggregator.codec;

import ada.carbon.aggregator.flow.Origin;
import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.aggregator.flow.RawEvent.Delivery;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.BinaryCursor;
import ada.carbon.schemas.EventKind;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A raw event on its way to another host partition (rerouted, or a workspace's copy): its kind, where it was
 * read, and its original key and value bytes (read again on arrival; they were checked before they left).
 * It arrives as {@link Delivery#LOCAL}, to be applied where it arrives.
 */
public final class RawEventSerde {
    public static final Serde<RawEvent> SERDE = Serdes.serdeFrom(RawEventSerde::serialize, RawEventSerde::deserialize);

    private static final byte VERSION = 1;

    private static byte[] serialize(String topic, RawEvent e) {
        if (e == null) {
            return null;
        }
        if (e.delivery() != Delivery.REROUTE && e.delivery() != Delivery.BROADCAST) {
            throw new SerializationException("only a rerouted or broadcast event leaves its partition, not " + e);
        }
        BinaryCursor.Writer out = new BinaryCursor.Writer(e.value().length + 64)
                .byte8(VERSION)
                .varLong(e.kind().ordinal())
                .varLong(e.published());
        Binary.nullableString(out, e.origin().topic());
        out.varLong(e.origin().partition()).varLong(e.origin().offset());
        if (e.key() == null) {
            out.byte8((byte) 0);
        } else {
            out.byte8((byte) 1).bytes(e.key());
        }
        return out.bytes(e.value()).toArray();
    }

    private static RawEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            BinaryCursor in = new BinaryCursor(data, 0);
            byte version = in.byte8();
            if (version != VERSION) {
                throw new SerializationException(
                        "a rerouted event of version " + version + "; this aggregator reads " + VERSION);
            }
            EventKind kind = EventKind.values()[in.count(EventKind.values().length - 1)];
            long published = in.varLong();
            Origin origin = new Origin(Binary.nullableString(in), (int) in.varLong(), in.varLong());
            byte[] key = in.byte8() == 0 ? null : in.bytes();
            byte[] value = in.bytes();
            return new RawEvent(
                    kind, event(kind, origin.topic(), value), key, value, origin, published, Delivery.LOCAL);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("not a readable rerouted event: " + e.getMessage(), e);
        }
    }

    private static SpecificRecord event(EventKind kind, String topic, byte[] value) {
        return switch (kind) {
            case CPU -> CpuEventDecoder.CURRENT.deserialize(topic, value);
            case INTENSITY -> AdaSerdes.INTENSITY_EVENT.deserialize(topic, value);
            case WORKSPACE -> AdaSerdes.WORKSPACE_EVENT.deserialize(topic, value);
            case USER -> AdaSerdes.USER_EVENT.deserialize(topic, value);
        };
    }

    private RawEventSerde() {}
}

package ada.carbon.aggregator.codec;

import ada.carbon.core.HostSlotId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Host-slot keys in an order-preserving form: the host's UTF-8 bytes, a 0 byte, then the slot start as a
 * big-endian long with its sign bit flipped. Byte order is then (host, time) order, so the store keeps
 * a host's slots together and in time order, and a range query finds them (for an operator reading the
 * store; the aggregator itself only scans it whole, when it starts). Avro's encoding (zig-zag varints)
 * does not sort, hence this one by hand.
 */
public final class HostSlotKeys {
    private HostSlotKeys() {}

    public static byte[] encode(HostSlotId id) {
        byte[] host = id.host().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(host.length + 9)
                .put(host)
                .put((byte) 0)
                .putLong(id.slotStart() ^ Long.MIN_VALUE)
                .array();
    }

    public static HostSlotId decode(byte[] bytes) {
        int hostLength = bytes.length - 9;
        if (hostLength < 0 || bytes[hostLength] != 0) {
            throw new IllegalArgumentException("not a host-slot key: " + bytes.length + " bytes");
        }
        String host = new String(bytes, 0, hostLength, StandardCharsets.UTF_8);
        return new HostSlotId(host, ByteBuffer.wrap(bytes, hostLength + 1, 8).getLong() ^ Long.MIN_VALUE);
    }

    /** The serde of host-slot store keys. */
    public static Serde<HostSlotId> serde() {
        return Serdes.serdeFrom(
                (topic, id) -> id == null ? null : encode(id), (topic, bytes) -> bytes == null ? null : decode(bytes));
    }
}

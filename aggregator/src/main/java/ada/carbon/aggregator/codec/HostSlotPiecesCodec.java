package ada.carbon.aggregator.codec;

import ada.carbon.core.HostSlotPieces;
import ada.carbon.core.UsagePiece;
import ada.carbon.schemas.BinaryCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The aggregator's stored host-slots, in a compact form of their own: a version byte, the slot, a table
 * of the distinct strings (a host-slot's pieces share their instance, project, machine and usually their
 * owner), then each piece: indexes into the table, its times as varints relative to the slot, and its
 * CPU seconds as exact doubles. Every open host-slot is written at least once, to RocksDB and its
 * changelog, so this is on the aggregator's hot path; Avro spent most of its time re-encoding the same
 * strings, and its records were twice the size.
 */
public final class HostSlotPiecesCodec {
    private static final byte VERSION = 2;

    private HostSlotPiecesCodec() {}

    public static Serde<HostSlotPieces> serde() {
        return Serdes.serdeFrom(
                (topic, v) -> v == null ? null : encode(v), (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    public static byte[] encode(HostSlotPieces value) {
        int n = value.size();
        long slot = value.slotStart();
        // The table of distinct strings, found by a short linear search: a host-slot has a handful.
        List<String> strings = new ArrayList<>(4);
        int[] indexes = new int[4 * n];
        for (int i = 0; i < n; i++) {
            UsagePiece p = value.get(i);
            indexes[4 * i] = indexOf(p.instance(), strings);
            indexes[4 * i + 1] = indexOf(p.project(), strings);
            indexes[4 * i + 2] = indexOf(p.machine(), strings);
            indexes[4 * i + 3] = p.owner() == null ? 0 : 1 + indexOf(p.owner(), strings);
        }
        BinaryCursor.Writer out = new BinaryCursor.Writer(24 + 40 * n + 24 * strings.size());
        out.byte8(VERSION).fixed64(slot).varLong(strings.size());
        strings.forEach(s -> out.bytes(s.getBytes(StandardCharsets.UTF_8)));
        out.varLong(n);
        for (int i = 0; i < n; i++) {
            UsagePiece p = value.get(i);
            out.varLong(indexes[4 * i])
                    .varLong(p.ts() - slot)
                    .varLong(p.periodSeconds())
                    .varLong(indexes[4 * i + 1])
                    .varLong(indexes[4 * i + 2])
                    .varLong(p.pieceStart() - slot)
                    .float64(p.busySeconds())
                    .float64(p.idleSeconds())
                    .varLong(indexes[4 * i + 3]);
        }
        return out.toArray();
    }

    public static HostSlotPieces decode(byte[] bytes) {
        try {
            if (bytes.length == 0 || bytes[0] != VERSION) {
                throw new SerializationException(
                        "host-slot pieces of version " + (bytes.length == 0 ? "none" : bytes[0]) + ", not " + VERSION);
            }
            BinaryCursor in = new BinaryCursor(bytes, 1);
            long slot = in.fixed64();
            String[] strings = new String[in.count(bytes.length)];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = in.string();
            }
            int n = in.count(bytes.length);
            List<UsagePiece> pieces = new ArrayList<>(n);
            int last = strings.length - 1;
            for (int i = 0; i < n; i++) {
                String instance = strings[in.count(last)];
                long ts = slot + in.varLong();
                long period = in.varLong();
                String project = strings[in.count(last)];
                String machine = strings[in.count(last)];
                long pieceStart = slot + in.varLong();
                double busy = in.float64();
                double idle = in.float64();
                int owner = in.count(strings.length);
                pieces.add(new UsagePiece(
                        instance,
                        ts,
                        period,
                        project,
                        machine,
                        slot,
                        pieceStart,
                        busy,
                        idle,
                        owner == 0 ? null : strings[owner - 1]));
            }
            if (!in.atEnd()) {
                throw new SerializationException((bytes.length - in.position()) + " bytes after the host-slot pieces");
            }
            return new HostSlotPieces(slot, pieces);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new SerializationException("not host-slot pieces: " + e.getMessage(), e);
        }
    }

    private static int indexOf(String s, List<String> strings) {
        for (int i = 0; i < strings.size(); i++) {
            if (strings.get(i).equals(s)) {
                return i;
            }
        }
        strings.add(s);
        return strings.size() - 1;
    }
}

package ada.carbon.schemas;

import ada.carbon.core.HostSlotPieces;
import ada.carbon.core.UsagePiece;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The aggregator's stored host-slots, in a compact form of their own: a version byte, the slot, a table
 * of the distinct strings (a host-slot's pieces share their instance, project, machine and usually their
 * owner), then each piece's numbers with indexes into the table. Every open host-slot is written at
 * least once, so this is on the aggregator's hot path; Avro spent most of its time re-encoding the
 * same strings.
 */
public final class HostSlotPiecesCodec {
    private static final byte VERSION = 1;
    private static final int NO_OWNER = -1;
    /** instance, ts, period, project, machine, piece start, busy, idle, owner */
    private static final int PIECE_BYTES = 4 + 8 + 8 + 4 + 4 + 8 + 8 + 8 + 4;

    private HostSlotPiecesCodec() {}

    public static Serde<HostSlotPieces> serde() {
        return Serdes.serdeFrom((topic, v) -> v == null ? null : encode(v),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    public static byte[] encode(HostSlotPieces value) {
        int n = value.size();
        // The table of distinct strings, found by a short linear search: a host-slot has a handful.
        List<byte[]> strings = new ArrayList<>(4);
        List<String> seen = new ArrayList<>(4);
        int[] indexes = new int[4 * n];
        for (int i = 0; i < n; i++) {
            UsagePiece p = value.get(i);
            indexes[4 * i] = indexOf(p.instance(), seen, strings);
            indexes[4 * i + 1] = indexOf(p.project(), seen, strings);
            indexes[4 * i + 2] = indexOf(p.machine(), seen, strings);
            indexes[4 * i + 3] = p.owner() == null ? NO_OWNER : indexOf(p.owner(), seen, strings);
        }
        int size = 1 + 8 + 4 + 4 + n * PIECE_BYTES;
        for (byte[] utf8 : strings) {
            size += 4 + utf8.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putLong(value.slotStart()).putInt(strings.size());
        for (byte[] utf8 : strings) {
            out.putInt(utf8.length).put(utf8);
        }
        out.putInt(n);
        for (int i = 0; i < n; i++) {
            UsagePiece p = value.get(i);
            out.putInt(indexes[4 * i]).putLong(p.ts()).putLong(p.periodSeconds())
                    .putInt(indexes[4 * i + 1]).putInt(indexes[4 * i + 2]).putLong(p.pieceStart())
                    .putDouble(p.busySeconds()).putDouble(p.idleSeconds()).putInt(indexes[4 * i + 3]);
        }
        return out.array();
    }

    public static HostSlotPieces decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("host-slot pieces of version " + version + ", not " + VERSION);
            }
            long slotStart = in.readLong();
            String[] strings = new String[count(in, bytes.length)];
            for (int i = 0; i < strings.length; i++) {
                byte[] utf8 = new byte[count(in, bytes.length)];
                in.readFully(utf8);
                strings[i] = new String(utf8, StandardCharsets.UTF_8);
            }
            int n = count(in, bytes.length);
            List<UsagePiece> pieces = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String instance = strings[in.readInt()];
                long ts = in.readLong();
                long period = in.readLong();
                String project = strings[in.readInt()];
                String machine = strings[in.readInt()];
                long pieceStart = in.readLong();
                double busy = in.readDouble();
                double idle = in.readDouble();
                int owner = in.readInt();
                pieces.add(new UsagePiece(instance, ts, period, project, machine, slotStart, pieceStart, busy, idle,
                        owner == NO_OWNER ? null : strings[owner]));
            }
            if (in.available() != 0) {
                throw new SerializationException(in.available() + " bytes after the host-slot pieces");
            }
            return new HostSlotPieces(slotStart, pieces);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new SerializationException("not host-slot pieces: " + e, e);
        }
    }

    /** A count or length, which cannot exceed the bytes there are. */
    private static int count(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > limit) {
            throw new SerializationException("not host-slot pieces: a count of " + n + " in " + limit + " bytes");
        }
        return n;
    }

    private static int indexOf(String s, List<String> seen, List<byte[]> strings) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).equals(s)) {
                return i;
            }
        }
        seen.add(s);
        strings.add(s.getBytes(StandardCharsets.UTF_8));
        return seen.size() - 1;
    }
}

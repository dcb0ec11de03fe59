package ada.carbon.schemas;

import java.nio.charset.StandardCharsets;

/**
 * Reads Avro's binary encoding by hand: zig-zag varints, length-prefixed UTF-8, little-endian doubles.
 * For the two hot paths that skip Avro's general machinery ({@link CpuEventDecoder}, {@link
 * HostSlotPiecesCodec}) and for {@link AvroBounds}; malformed input throws {@link IllegalArgumentException} or
 * {@link ArrayIndexOutOfBoundsException}, which their callers turn into what they report. A length is
 * never trusted beyond the bytes that are left ({@link #count}), so nothing here allocates more than the
 * input's size.
 */
final class BinaryCursor {
    private final byte[] b;
    private int pos;

    BinaryCursor(byte[] b, int pos) {
        this.b = b;
        this.pos = pos;
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos == b.length;
    }

    long varLong() {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte next = b[pos++];
            raw |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    /** A count or index: a varint from 0 to {@code limit}. */
    int count(int limit) {
        long n = varLong();
        if (n < 0 || n > limit) {
            throw new IllegalArgumentException("a count of " + n + " where at most " + limit + " fit");
        }
        return (int) n;
    }

    String string() {
        int length = count(b.length - pos);
        String s = new String(b, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** Moves past {@code n} bytes, which must be there. */
    void skip(int n) {
        if (n < 0 || n > b.length - pos) {
            throw new IllegalArgumentException(n + " bytes where " + (b.length - pos) + " are left");
        }
        pos += n;
    }

    void skipString() {
        int length = count(b.length - pos); // first: it moves pos past the length
        pos += length;
    }

    double float64() {
        return Double.longBitsToDouble(fixed64());
    }

    long fixed64() {
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (b[pos + i] & 0xFF);
        }
        pos += 8;
        return bits;
    }

    /** The writing side, into a growing array. */
    static final class Writer {
        private byte[] b;
        private int pos;

        Writer(int capacity) {
            b = new byte[Math.max(16, capacity)];
        }

        Writer varLong(long v) {
            ensure(10);
            long zz = (v << 1) ^ (v >> 63);
            while ((zz & ~0x7FL) != 0) {
                b[pos++] = (byte) ((zz & 0x7F) | 0x80);
                zz >>>= 7;
            }
            b[pos++] = (byte) zz;
            return this;
        }

        Writer bytes(byte[] utf8) {
            varLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, b, pos, utf8.length);
            pos += utf8.length;
            return this;
        }

        Writer float64(double d) {
            return fixed64(Double.doubleToRawLongBits(d));
        }

        Writer fixed64(long bits) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                b[pos++] = (byte) (bits >>> (8 * i));
            }
            return this;
        }

        Writer byte8(byte v) {
            ensure(1);
            b[pos++] = v;
            return this;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(b, pos);
        }

        private void ensure(int more) {
            if (pos + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, pos + more));
            }
        }
    }
}

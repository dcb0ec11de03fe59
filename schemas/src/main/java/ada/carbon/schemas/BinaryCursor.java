package ada.carbon.schemas;

import java.nio.charset.StandardCharsets;

/**
 * Reads Avro's binary encoding by hand: zig-zag varints, length-prefixed UTF-8, little-endian doubles.
 * For {@link AvroBounds}, and for the aggregator's hot paths and private codecs that skip Avro's general
 * machinery (its {@code CpuEventDecoder} and {@code HostSlotPiecesCodec}); malformed input throws {@link IllegalArgumentException} or
 * {@link ArrayIndexOutOfBoundsException}, which their callers turn into what they report. A length is
 * never trusted beyond the bytes that are left ({@link #count}), so nothing here allocates more than the
 * input's size.
 */
public final class BinaryCursor {
    private final byte[] b;
    private int pos;

    public BinaryCursor(byte[] b, int pos) {
        this.b = b;
        this.pos = pos;
    }

    public int position() {
        return pos;
    }

    public boolean atEnd() {
        return pos == b.length;
    }

    public long varLong() {
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
    public int count(int limit) {
        long n = varLong();
        if (n < 0 || n > limit) {
            throw new IllegalArgumentException("a count of " + n + " where at most " + limit + " fit");
        }
        return (int) n;
    }

    /** A UTF-8 string of {@code length} bytes, which must be there (its length written apart from it). */
    public String string(long length) {
        if (length < 0 || length > b.length - pos) {
            throw new IllegalArgumentException(
                    "a string of " + length + " bytes where " + (b.length - pos) + " are left");
        }
        String s = new String(b, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    public String string() {
        int length = count(b.length - pos);
        String s = new String(b, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** Length-prefixed bytes, as {@link Writer#bytes} writes them. */
    public byte[] bytes() {
        int length = count(b.length - pos);
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + length);
        pos += length;
        return out;
    }

    public byte byte8() {
        return b[pos++];
    }

    /** Moves past {@code n} bytes, which must be there. */
    public void skip(int n) {
        if (n < 0 || n > b.length - pos) {
            throw new IllegalArgumentException(n + " bytes where " + (b.length - pos) + " are left");
        }
        pos += n;
    }

    public void skipString() {
        int length = count(b.length - pos); // first: it moves pos past the length
        pos += length;
    }

    public double float64() {
        return Double.longBitsToDouble(fixed64());
    }

    public long fixed64() {
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (b[pos + i] & 0xFF);
        }
        pos += 8;
        return bits;
    }

    /** The writing side, into a growing array. */
    public static final class Writer {
        private byte[] b;
        private int pos;

        public Writer(int capacity) {
            b = new byte[Math.max(16, capacity)];
        }

        public Writer varLong(long v) {
            ensure(10);
            long zz = (v << 1) ^ (v >> 63);
            while ((zz & ~0x7FL) != 0) {
                b[pos++] = (byte) ((zz & 0x7F) | 0x80);
                zz >>>= 7;
            }
            b[pos++] = (byte) zz;
            return this;
        }

        /** Length-prefixed bytes: a UTF-8 string's, or any. */
        public Writer bytes(byte[] utf8) {
            varLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, b, pos, utf8.length);
            pos += utf8.length;
            return this;
        }

        /** The bytes as they are, no length before them. */
        public Writer raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, b, pos, bytes.length);
            pos += bytes.length;
            return this;
        }

        public Writer float64(double d) {
            return fixed64(Double.doubleToRawLongBits(d));
        }

        public Writer fixed64(long bits) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                b[pos++] = (byte) (bits >>> (8 * i));
            }
            return this;
        }

        public Writer byte8(byte v) {
            ensure(1);
            b[pos++] = v;
            return this;
        }

        public byte[] toArray() {
            return java.util.Arrays.copyOf(b, pos);
        }

        private void ensure(int more) {
            if (pos + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, pos + more));
            }
        }
    }
}

package ada.carbon.aggregator.codec;

import ada.carbon.core.Cell;
import ada.carbon.core.CellSums;
import ada.carbon.core.ExactSum;
import ada.carbon.core.SlotSums;
import ada.carbon.schemas.BinaryCursor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The pieces the aggregator's private codecs are made of, in Avro's binary primitives ({@link BinaryCursor}):
 * strings that may be null, exact sums, a cell and its sums. Exact sums travel as their mantissa and scale,
 * so the bucket stage adds up exactly what the host stage summed.
 */
final class Binary {
    private Binary() {}

    /** A string that may be null: its length plus one (0: null), then its UTF-8 bytes. */
    static void nullableString(BinaryCursor.Writer out, String s) {
        if (s == null) {
            out.varLong(0);
        } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.varLong(utf8.length + 1L);
            out.raw(utf8);
        }
    }

    static String nullableString(BinaryCursor in) {
        long n = in.varLong();
        if (n == 0) {
            return null;
        }
        return in.string(n - 1);
    }

    static void cell(BinaryCursor.Writer out, Cell cell) {
        out.bytes(cell.project().getBytes(StandardCharsets.UTF_8));
        out.bytes(cell.machine().getBytes(StandardCharsets.UTF_8));
        nullableString(out, cell.owner());
    }

    static Cell cell(BinaryCursor in) {
        return new Cell(in.string(), in.string(), nullableString(in));
    }

    /** Small mantissas (most sums) as a varint; others as their two's-complement bytes. */
    static void exact(BinaryCursor.Writer out, ExactSum sum) {
        if (sum.fitsLong()) {
            out.byte8((byte) 0).varLong(sum.longMantissa());
        } else {
            out.byte8((byte) 1).bytes(sum.mantissa().toByteArray());
        }
        out.varLong(sum.scale());
    }

    static ExactSum exact(BinaryCursor in) {
        byte form = in.byte8();
        BigInteger mantissa = switch (form) {
            case 0 -> BigInteger.valueOf(in.varLong());
            case 1 -> new BigInteger(in.bytes());
            default -> throw new IllegalArgumentException("not an exact sum (form " + form + ")");
        };
        long scale = in.varLong();
        if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an exact sum's scale out of range: " + scale);
        }
        return ExactSum.of(mantissa, (int) scale);
    }

    static void sums(BinaryCursor.Writer out, CellSums sums) {
        out.varLong(sums.slotCount());
        for (int i = 0; i < sums.slotCount(); i++) {
            SlotSums s = sums.slot(i);
            if (s == null) {
                out.varLong(0);
            } else {
                out.varLong(s.pieces());
                out.varLong(s.hostMillis());
                exact(out, s.busySeconds());
                exact(out, s.idleSeconds());
                exact(out, s.busyKwh());
                exact(out, s.idleKwh());
            }
        }
    }

    static CellSums sums(BinaryCursor in) {
        SlotSums[] slots = new SlotSums[in.count(2)];
        for (int i = 0; i < slots.length; i++) {
            long pieces = in.varLong();
            if (pieces != 0) {
                long hostMillis = in.varLong();
                slots[i] = new SlotSums(exact(in), exact(in), exact(in), exact(in), hostMillis, pieces);
            }
        }
        return new CellSums(slots);
    }
}

package ada.carbon.core;

import java.math.BigInteger;

/**
 * A sum of doubles kept exactly, as {@code mantissa × 2^scale}. Every double is such a number, so sums,
 * differences and products of them are too, without rounding: retracting a value restores the sum to the
 * bit, and a set of values sums to the same number in any order. Rounded once, on reading.
 *
 * <p>Binary rather than {@link java.math.BigDecimal}: turning a double into a decimal costs a power of
 * five per value, and that was the aggregator's hottest spot; here it is a shift.
 */
public final class ExactSum {
    /** Below this magnitude the mantissa is kept in {@link #small}: most sums of a few pieces stay there. */
    private static final long SMALL_LIMIT = 1L << 62;

    /** The mantissa while it fits, when {@link #big} is null. */
    private long small;

    private BigInteger big;
    private int scale;

    public void add(double x) {
        addScaled(x, 1);
    }

    public void subtract(double x) {
        addScaled(x, -1);
    }

    /** Adds {@code sum × factor}, exactly. */
    public void addProduct(ExactSum sum, double factor) {
        if (factor == 0 || sum.signum() == 0) {
            return;
        }
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("not a finite number: " + factor);
        }
        long bits = Double.doubleToRawLongBits(factor);
        addBig(sum.mantissa().multiply(BigInteger.valueOf(signedMantissa(bits))), sum.scale + exponent(bits));
    }

    public void add(ExactSum other) {
        if (other.signum() == 0) {
            return;
        }
        if (big == null && other.big == null && addLong(other.small, other.scale)) {
            return;
        }
        addBig(other.mantissa(), other.scale);
    }

    /**
     * Adds {@code m × 2^e} ({@code |m| < 2^62}) to a long mantissa when the result still fits one; false
     * (and nothing changed) otherwise. Summing a fact's cells goes this way: they are sums of alike values.
     */
    private boolean addLong(long m, int e) {
        if (small == 0) {
            small = m;
            scale = e;
            return true;
        }
        int d = e - scale;
        long r;
        if (d >= 0) {
            if (d >= 62 || Math.abs(m) >= SMALL_LIMIT >> d) {
                return false;
            }
            r = small + (m << d); // both below 2^62: no overflow
        } else {
            if (-d >= 62 || Math.abs(small) >= SMALL_LIMIT >> -d) {
                return false;
            }
            r = (small << -d) + m;
        }
        if (Math.abs(r) >= SMALL_LIMIT) {
            return false;
        }
        small = r;
        scale = Math.min(scale, e);
        return true;
    }

    public int signum() {
        return big != null ? big.signum() : Long.signum(small);
    }

    /**
     * The sum is {@code mantissa() × 2^scale()}: the two of them carry it exactly (from one stage of the
     * aggregator to the next, say), and {@link #of} makes it again.
     */
    public BigInteger mantissa() {
        return big != null ? big : BigInteger.valueOf(small);
    }

    public int scale() {
        return scale;
    }

    /** The mantissa when it fits a long ({@link #fitsLong()}), without making a BigInteger. */
    public long longMantissa() {
        return big != null ? big.longValueExact() : small;
    }

    public boolean fitsLong() {
        return big == null || big.bitLength() < 63;
    }

    /** {@code mantissa × 2^scale}, exactly. */
    public static ExactSum of(BigInteger mantissa, int scale) {
        ExactSum s = new ExactSum();
        if (mantissa.bitLength() < 62) {
            s.small = mantissa.longValue();
        } else {
            s.big = mantissa;
        }
        s.scale = mantissa.signum() == 0 ? 0 : scale;
        return s;
    }

    /** {@code mantissa × 2^scale}, exactly, for a mantissa that fits a long. */
    public static ExactSum of(long mantissa, int scale) {
        return of(BigInteger.valueOf(mantissa), scale);
    }

    public ExactSum copy() {
        ExactSum s = new ExactSum();
        s.small = small;
        s.big = big;
        s.scale = scale;
        return s;
    }

    /** The sum rounded to the nearest double (ties to even), once, subnormal results included. */
    public double doubleValue() {
        if (signum() == 0) {
            return 0.0;
        }
        BigInteger mantissa = mantissa();
        BigInteger abs = mantissa.abs();
        // The exponent of the result's last bit: 52 below its leading bit, but never below a subnormal's.
        int lastBit = Math.max(abs.bitLength() - 1 + scale - 52, -1074);
        int shift = lastBit - scale;
        double magnitude;
        if (shift <= 0) {
            magnitude = Math.scalb(abs.doubleValue(), scale); // at most 53 bits, on the grid: exact
        } else {
            // Round here, half to even; what is left has at most 53 bits (2^53 after a carry), so neither
            // the conversion nor the scaling rounds again.
            BigInteger kept = abs.shiftRight(shift);
            boolean half = abs.testBit(shift - 1);
            boolean belowHalf = abs.getLowestSetBit() < shift - 1;
            if (half && (belowHalf || kept.testBit(0))) {
                kept = kept.add(BigInteger.ONE);
            }
            magnitude = Math.scalb(kept.doubleValue(), lastBit);
        }
        return mantissa.signum() < 0 ? -magnitude : magnitude;
    }

    private void addScaled(double x, int sign) {
        if (x == 0) {
            return;
        }
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite number: " + x);
        }
        long bits = Double.doubleToRawLongBits(x);
        long m = signedMantissa(bits);
        int e = exponent(bits);
        int zeros = Long.numberOfTrailingZeros(m);
        addSmall(sign * (m >> zeros), e + zeros);
    }

    /** Adds {@code m × 2^e}, {@code |m| < 2^53}: in a long while the sum fits, else as a BigInteger. */
    private void addSmall(long m, int e) {
        if (big == null && addLong(m, e)) {
            return;
        }
        addBig(BigInteger.valueOf(m), e);
    }

    private void addBig(BigInteger m, int e) {
        BigInteger mantissa = mantissa();
        if (mantissa.signum() == 0) {
            big = m;
            scale = e;
        } else if (e >= scale) {
            big = mantissa.add(m.shiftLeft(e - scale));
        } else {
            big = mantissa.shiftLeft(scale - e).add(m);
            scale = e;
        }
    }

    private static long signedMantissa(long bits) {
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long fraction = bits & ((1L << 52) - 1);
        long m = biased == 0 ? fraction : fraction | (1L << 52);
        return bits < 0 ? -m : m;
    }

    private static int exponent(long bits) {
        int biased = (int) ((bits >>> 52) & 0x7ff);
        return (biased == 0 ? 1 : biased) - 1075;
    }
}

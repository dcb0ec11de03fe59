package ada.carbon.core;

import java.math.BigDecimal;

/**
 * A sum of doubles kept exactly. Every double is a finite binary fraction, so a BigDecimal holds it, and
 * sums and differences of them, without rounding: adding then retracting a value restores the sum to the
 * bit, and the sum of a set does not depend on the order it was added in. Rounded once, on reading.
 */
public record ExactSum(BigDecimal value) {
    public static final ExactSum ZERO = new ExactSum(BigDecimal.ZERO);

    public ExactSum plus(double x) {
        return x == 0 ? this : new ExactSum(value.add(new BigDecimal(x)));
    }

    public ExactSum minus(double x) {
        return x == 0 ? this : new ExactSum(value.subtract(new BigDecimal(x)));
    }

    public ExactSum plus(ExactSum o) {
        return new ExactSum(value.add(o.value));
    }

    public double doubleValue() {
        return value.doubleValue();
    }

    public int signum() {
        return value.signum();
    }
}

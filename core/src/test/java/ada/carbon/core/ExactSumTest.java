package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactSum}: sums, differences and products of doubles kept exactly and rounded once, to the
 * nearest double with ties to even. The reference is {@link BigDecimal}: {@code new BigDecimal(x)} is the
 * double's exact value and {@link BigDecimal#doubleValue()} rounds correctly.
 */
class ExactSumTest {

    // ---- references and generators ----

    private static BigDecimal exact(List<Double> xs) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double x : xs) {
            sum = sum.add(new BigDecimal(x));
        }
        return sum;
    }

    private static ExactSum sumOf(List<Double> xs) {
        ExactSum s = new ExactSum();
        xs.forEach(s::add);
        return s;
    }

    private static ExactSum sumOf(double... xs) {
        ExactSum s = new ExactSum();
        for (double x : xs) {
            s.add(x);
        }
        return s;
    }

    /** Bit-exact comparison, so that 0.0 and -0.0 or neighbouring doubles are told apart. */
    private static void assertSameDouble(double actual, double expected) {
        assertThat(Double.doubleToRawLongBits(actual))
                .as(
                        "%s (%s) vs expected %s (%s)",
                        actual, Double.toHexString(actual), expected, Double.toHexString(expected))
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    /** Doubles of either sign from 1e-300 to 1e15 in magnitude, with full random 53-bit mantissas. */
    @Provide
    Arbitrary<Double> wide() {
        return Combinators.combine(
                        Arbitraries.longs().between(1L << 52, (1L << 53) - 1),
                        Arbitraries.integers().between(-997 - 52, 49 - 52),
                        Arbitraries.of(1.0, -1.0))
                .as((m, e, sign) -> sign * Math.scalb((double) m, e));
    }

    /** Like {@link #wide()} but also subnormals, zeros, and values close to each other in magnitude. */
    @Provide
    Arbitrary<Double> anyFinite() {
        return Arbitraries.oneOf(
                wide(),
                Arbitraries.longs().between(1, (1L << 52) - 1).map(Double::longBitsToDouble),
                Arbitraries.longs().between(1, (1L << 52) - 1).map(b -> -Double.longBitsToDouble(b)),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, 0.1, -0.1),
                Arbitraries.doubles().between(-1e6, 1e6));
    }

    // ---- exactness of sums ----

    @Property(tries = 300)
    void roundsTheExactSumOnceToTheNearestDouble(@ForAll @Size(max = 40) List<@From("wide") Double> xs) {
        assertSameDouble(sumOf(xs).doubleValue(), exact(xs).doubleValue());
        assertThat(sumOf(xs).signum()).isEqualTo(exact(xs).signum());
    }

    @Property(tries = 300)
    void roundsCorrectlyWithSubnormalsAndZerosToo(@ForAll @Size(max = 30) List<@From("anyFinite") Double> xs) {
        assertSameDouble(sumOf(xs).doubleValue(), exact(xs).doubleValue());
    }

    @Property(tries = 200)
    void theSumDoesNotDependOnTheOrder(
            @ForAll @Size(min = 2, max = 40) List<@From("wide") Double> xs, @ForAll long seed) {
        double reference = sumOf(xs).doubleValue();
        List<Double> shuffled = new ArrayList<>(xs);
        Random random = new Random(seed);
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(shuffled, random);
            assertSameDouble(sumOf(shuffled).doubleValue(), reference);
        }
    }

    @Property(tries = 200)
    void subtractingWhatWasAddedRestoresTheSumToTheBit(
            @ForAll @Size(max = 20) List<@From("wide") Double> kept,
            @ForAll @Size(min = 1, max = 20) List<@From("wide") Double> retracted,
            @ForAll long seed) {
        // Add both sets interleaved, then take the second back in another order.
        List<Double> all = new ArrayList<>(kept);
        all.addAll(retracted);
        Collections.shuffle(all, new Random(seed));
        ExactSum s = sumOf(all);
        List<Double> back = new ArrayList<>(retracted);
        Collections.shuffle(back, new Random(seed + 1));
        back.forEach(s::subtract);
        assertSameDouble(s.doubleValue(), sumOf(kept).doubleValue());
        assertThat(s.signum()).isEqualTo(exact(kept).signum());
    }

    @Test
    void addThenSubtractIsExactlyZero() {
        ExactSum s = sumOf(0.1, 0.2, 1e15, 1e-300, -7.25);
        for (double x : new double[] {1e-300, 0.2, -7.25, 1e15, 0.1}) {
            s.subtract(x);
        }
        assertThat(s.signum()).isZero();
        assertSameDouble(s.doubleValue(), 0.0);
        // Plain doubles would not come back to zero: the test would catch a sum kept as one double.
        assertThat(((0.1 + 0.2 + 1e15) - 0.2 - 1e15) - 0.1).isNotZero();
    }

    @Test
    void aSumReusedAfterReachingZeroStartsAfresh() {
        ExactSum s = sumOf(1e-300);
        s.subtract(1e-300);
        s.add(3.5e10);
        assertSameDouble(s.doubleValue(), 3.5e10);
        s.add(1e-300);
        assertSameDouble(s.doubleValue(), 3.5e10);
        s.subtract(3.5e10);
        assertSameDouble(s.doubleValue(), 1e-300);
    }

    @Test
    void anEmptySumIsZero() {
        ExactSum s = new ExactSum();
        assertThat(s.signum()).isZero();
        assertSameDouble(s.doubleValue(), 0.0);
        s.add(0.0);
        s.add(-0.0);
        s.subtract(0.0);
        assertThat(s.signum()).isZero();
        assertSameDouble(s.doubleValue(), 0.0);
    }

    @Test
    void signumFollowsTheExactValueNotTheRoundedOne() {
        ExactSum s = sumOf(1e300, Double.MIN_VALUE);
        s.subtract(1e300);
        assertThat(s.signum()).isEqualTo(1);
        s.subtract(2 * Double.MIN_VALUE);
        assertThat(s.signum()).isEqualTo(-1);
        assertSameDouble(s.doubleValue(), -Double.MIN_VALUE);
    }

    @Test
    void largeMantissasRoundOnceWithEveryDiscardedBitCounted() {
        double two53 = 0x1p53;
        // 2^53 + 1 is halfway between 2^53 and 2^53 + 2: ties to even gives 2^53 ...
        assertSameDouble(sumOf(two53, 1).doubleValue(), two53);
        // ... but anything beyond the half, however far down, rounds up (a sticky bit, not a truncation).
        assertSameDouble(sumOf(two53, 1, 0x1p-100).doubleValue(), two53 + 2);
        assertSameDouble(sumOf(two53, 1, 0x1p-1074).doubleValue(), two53 + 2);
        assertSameDouble(sumOf(two53, 1, -0x1p-1074).doubleValue(), two53);
        // 2^53 + 3 is halfway between 2^53 + 2 and 2^53 + 4: ties to even gives 2^53 + 4.
        assertSameDouble(sumOf(two53, 3).doubleValue(), two53 + 4);
        assertSameDouble(sumOf(two53, 3, -0x1p-1074).doubleValue(), two53 + 2);
        // Negative sums round symmetrically.
        assertSameDouble(sumOf(-two53, -1, -0x1p-100).doubleValue(), -(two53 + 2));
        assertSameDouble(sumOf(-two53, -1).doubleValue(), -two53);
    }

    @Test
    void aMantissaOfOverAThousandBitsRoundsLikeBigDecimal() {
        List<Double> xs = List.of(1e15, 3e-300, -7.0e-200, 1.0 / 3, 2.0e-150, -1e15, 5.5e-310);
        ExactSum s = sumOf(xs);
        assertSameDouble(s.doubleValue(), exact(xs).doubleValue());
        assertSameDouble(s.doubleValue(), 1.0 / 3);
    }

    @Test
    void subnormalsAddExactly() {
        assertSameDouble(
                sumOf(Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE).doubleValue(), 3 * Double.MIN_VALUE);
        double largestSubnormal = Math.nextDown(Double.MIN_NORMAL);
        assertSameDouble(sumOf(largestSubnormal, Double.MIN_VALUE).doubleValue(), Double.MIN_NORMAL);
        assertSameDouble(sumOf(Double.MIN_NORMAL, -Double.MIN_VALUE).doubleValue(), largestSubnormal);
        ExactSum s = sumOf(1.0, Double.MIN_VALUE);
        s.subtract(1.0);
        assertSameDouble(s.doubleValue(), Double.MIN_VALUE);
    }

    @Test
    void beyondTheLargestDoubleTheSumStaysExactButReadsAsInfinity() {
        ExactSum s = sumOf(Double.MAX_VALUE, Double.MAX_VALUE);
        assertSameDouble(s.doubleValue(), Double.POSITIVE_INFINITY);
        s.subtract(Double.MAX_VALUE);
        assertSameDouble(s.doubleValue(), Double.MAX_VALUE);
        ExactSum negative = sumOf(-Double.MAX_VALUE, -Double.MAX_VALUE);
        assertSameDouble(negative.doubleValue(), Double.NEGATIVE_INFINITY);
        // Just below the rounding threshold to infinity: MAX_VALUE + (less than) half an ulp.
        double halfUlpOfMax = Math.ulp(Double.MAX_VALUE) / 2;
        assertSameDouble(sumOf(Double.MAX_VALUE, Math.nextDown(halfUlpOfMax)).doubleValue(), Double.MAX_VALUE);
        assertSameDouble(sumOf(Double.MAX_VALUE, halfUlpOfMax).doubleValue(), Double.POSITIVE_INFINITY);
    }

    @Test
    void nonFiniteValuesAreRefusedAndLeaveTheSumUnchanged() {
        ExactSum s = sumOf(0.1, 0.2);
        double before = s.doubleValue();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> s.add(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.subtract(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertSameDouble(s.doubleValue(), before);
        assertSameDouble(before, exact(List.of(0.1, 0.2)).doubleValue());
    }

    // ---- sums of sums and products ----

    @Property(tries = 200)
    void addingASumEqualsAddingItsTerms(
            @ForAll @Size(max = 20) List<@From("anyFinite") Double> a,
            @ForAll @Size(max = 20) List<@From("anyFinite") Double> b) {
        ExactSum s = sumOf(a);
        s.add(sumOf(b));
        List<Double> both = new ArrayList<>(a);
        both.addAll(b);
        assertSameDouble(s.doubleValue(), exact(both).doubleValue());
    }

    /** Sums of alike values (CPU seconds, kWh) stay in a long: adding one to another must be exact there too. */
    @Property(tries = 300)
    void addingASumOfAlikeValuesEqualsAddingItsTerms(
            @ForAll @Size(max = 30) List<@From("alike") Double> a,
            @ForAll @Size(max = 30) List<@From("alike") Double> b,
            @ForAll @Size(max = 5) List<@From("alike") Double> c) {
        ExactSum s = sumOf(a);
        s.add(sumOf(b));
        s.add(sumOf(c));
        List<Double> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        assertSameDouble(s.doubleValue(), exact(all).doubleValue());
    }

    @Provide
    Arbitrary<Double> alike() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-300, 300).ofScale(12),
                Arbitraries.doubles().between(0, 1e-3).ofScale(15),
                Arbitraries.of(0.0, 300.0, 0.1, 1.0 / 3, 0x1p-40, -0x1p-40, 0x1p61, 0x1.fffffffffffffp60));
    }

    @Test
    void addingASumLeavesTheAddedSumAsItWas() {
        ExactSum a = sumOf(1.5);
        ExactSum b = sumOf(0x1p-60, 2.0);
        a.add(b);
        a.add(b);
        assertSameDouble(b.doubleValue(), 2.0);
        ExactSum twice = sumOf(1.5, 0x1p-60, 2.0, 0x1p-60, 2.0);
        assertSameDouble(a.doubleValue(), twice.doubleValue());
        b.subtract(2.0);
        assertSameDouble(b.doubleValue(), 0x1p-60);
    }

    @Property(tries = 300)
    void addProductIsTheExactProductRoundedOnce(
            @ForAll @Size(max = 10) List<@From("wide") Double> start,
            @ForAll @Size(min = 1, max = 10) List<@From("wide") Double> terms,
            @ForAll("factors") double factor) {
        ExactSum s = sumOf(start);
        s.addProduct(sumOf(terms), factor);
        BigDecimal expected = exact(start).add(exact(terms).multiply(new BigDecimal(factor)));
        assertSameDouble(s.doubleValue(), expected.doubleValue());
    }

    @Provide
    Arbitrary<Double> factors() {
        // Intensities are tens to hundreds of g/kWh; take a wider range of both signs, and zero.
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6), wide(), Arbitraries.of(0.0, -0.0, 185.0, 1.0));
    }

    @Test
    void addProductOfTypicalEnergyAndIntensity() {
        ExactSum kwh = sumOf(1000 * 12 / 3_600_000.0, 0.1 / 3);
        ExactSum grams = new ExactSum();
        grams.addProduct(kwh, 185);
        grams.addProduct(kwh, 190.5);
        BigDecimal expected = exact(List.of(1000 * 12 / 3_600_000.0, 0.1 / 3)).multiply(new BigDecimal(185 + 190.5));
        assertSameDouble(grams.doubleValue(), expected.doubleValue());
        // The product is taken back exactly as well.
        grams.addProduct(kwh, -185);
        grams.addProduct(kwh, -190.5);
        assertThat(grams.signum()).isZero();
    }

    @Test
    void addProductWithZeroOrOfAnEmptySumAddsNothing() {
        ExactSum s = sumOf(0.3);
        s.addProduct(sumOf(5.0), 0.0);
        s.addProduct(sumOf(5.0), -0.0);
        s.addProduct(new ExactSum(), 7.0);
        assertSameDouble(s.doubleValue(), 0.3);
        ExactSum empty = new ExactSum();
        empty.addProduct(sumOf(5.0), 0.0);
        assertThat(empty.signum()).isZero();
    }

    @Test
    void addProductIntoTheSubnormalRangeWhenNoDoubleRoundingArises() {
        // MIN_VALUE × (1.5 - 2^-52): a 53-bit mantissa, rounded once by the scaling: to MIN_VALUE.
        ExactSum s = new ExactSum();
        s.addProduct(sumOf(Double.MIN_VALUE), 1.5 - 0x1p-52);
        assertSameDouble(s.doubleValue(), Double.MIN_VALUE);
        ExactSum half = new ExactSum();
        half.addProduct(sumOf(Double.MIN_VALUE), 0.5);
        assertSameDouble(half.doubleValue(), 0.0); // exactly half of MIN_VALUE: ties to even, to zero
        assertThat(half.signum()).isEqualTo(1);
    }

    @Test
    void addProductIntoTheSubnormalRangeRoundsOnce() {
        double a = (1 + 0x1p-51) * 0x1p-600;
        double b = (1.5 - 3 * 0x1p-52) * 0x1p-474;
        double expected = new BigDecimal(a).multiply(new BigDecimal(b)).doubleValue();
        assertThat(expected).isEqualTo(Double.MIN_VALUE);
        ExactSum s = new ExactSum();
        s.addProduct(sumOf(a), b);
        assertSameDouble(s.doubleValue(), expected);
    }

    @Provide
    Arbitrary<Double> small() {
        return Combinators.combine(
                        Arbitraries.longs().between(1L << 52, (1L << 53) - 1),
                        Arbitraries.integers().between(-600 - 52, -480 - 52),
                        Arbitraries.of(1.0, -1.0))
                .as((m, e, sign) -> sign * Math.scalb((double) m, e));
    }

    @Property(tries = 1000)
    void addProductIntoTheSubnormalRangeIsTheExactProductRoundedOnce(
            @ForAll @Size(min = 1, max = 3) List<@From("small") Double> terms, @ForAll("small") double factor) {
        ExactSum s = new ExactSum();
        s.addProduct(sumOf(terms), factor);
        assertSameDouble(
                s.doubleValue(), exact(terms).multiply(new BigDecimal(factor)).doubleValue());
    }

    @Test
    void addProductRefusesANonFiniteFactor() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            ExactSum s = sumOf(1.0);
            assertThatThrownBy(() -> s.addProduct(sumOf(2.0), bad)).isInstanceOf(IllegalArgumentException.class);
            assertSameDouble(s.doubleValue(), 1.0);
        }
    }
}

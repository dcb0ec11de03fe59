package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** SPEC 2.5: a fact is the sum of its pieces; its intensity is carbon / energy, or the bucket mean at zero energy. */
class FactTotalsTest {
    private static final FactKey KEY = new FactKey(Scope.ADA, 0, null);

    private static Contribution c(double busyS, double idleS, double intensity, double bucketMean) {
        double busyKwh = busyS * 12 / 3_600_000;
        double idleKwh = idleS / 3_600_000;
        return new Contribution(KEY, new Metrics(busyS, idleS, busyKwh, idleKwh, busyKwh * intensity, idleKwh * intensity),
                bucketMean);
    }

    @Test
    void emptyIsEmpty() {
        assertThat(FactTotals.EMPTY.isEmpty()).isTrue();
        assertThat(FactTotals.EMPTY.metrics()).isEqualTo(Metrics.ZERO);
        assertThat(FactTotals.EMPTY.contributors()).isZero();
    }

    @Test
    void addingSumsMetricsAndCountsContributors() {
        FactTotals t = FactTotals.EMPTY.add(c(1000, 5000, 100, 150)).add(c(3000, 1000, 200, 150));
        assertThat(t.isEmpty()).isFalse();
        assertThat(t.contributors()).isEqualTo(2);
        assertThat(t.metrics().busyCpuSeconds()).isEqualTo(4000.0);
        assertThat(t.metrics().idleCpuSeconds()).isEqualTo(6000.0);
        assertThat(t.metrics().busyKwh()).isCloseTo(4000 * 12 / 3_600_000.0, within(1e-15));
        assertThat(t.metrics().idleKwh()).isCloseTo(6000 / 3_600_000.0, within(1e-15));
        // Carbon over energy: (1000*12+5000)*100 + (3000*12+1000)*200 over 17000 + 37000 (in kWh-seconds).
        double expected = (17000.0 * 100 + 37000.0 * 200) / (17000 + 37000);
        assertThat(t.intensity()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void retractingUndoesAnAdd() {
        Contribution a = c(1000, 5000, 100, 150);
        Contribution b = c(3000, 1000, 200, 150);
        FactTotals t = FactTotals.EMPTY.add(a).add(b).retract(a);
        assertThat(t.contributors()).isEqualTo(1);
        assertThat(t.metrics().busyCpuSeconds()).isCloseTo(3000, within(1e-9));
        assertThat(t.metrics().busyGrams()).isCloseTo(b.metrics().busyGrams(), within(1e-15));
        assertThat(t.intensity()).isCloseTo(200, within(1e-9));
    }

    @Test
    void retractingEverythingIsExactlyEmptyInAnyOrder() {
        Contribution a = c(0.1, 0.2, 123.4, 150);
        Contribution b = c(0.7, 0.3, 321.0, 170);
        Contribution z = c(1e6, 3e7, 17, 190);
        assertThat(FactTotals.EMPTY.add(a).add(b).add(z).retract(a).retract(z).retract(b)).isEqualTo(FactTotals.EMPTY);
        assertThat(FactTotals.EMPTY.add(z).add(a).add(b).retract(b).retract(a).retract(z)).isEqualTo(FactTotals.EMPTY);
        assertThat(FactTotals.EMPTY.add(a).retract(a).isEmpty()).isTrue();
    }

    @Test
    void atZeroEnergyTheIntensityIsTheBucketMean() {
        FactTotals t = FactTotals.EMPTY.add(c(0, 0, 300, 175)).add(c(0, 0, 50, 175));
        assertThat(t.metrics().kwh()).isZero();
        assertThat(t.intensity()).isEqualTo(175.0);
    }

    @Test
    void atZeroEnergyAfterTheOnlyEnergyIsRetractedTheIntensityIsTheBucketMean() {
        Contribution zero = c(0, 0, 300, 175);
        Contribution some = c(1000, 1000, 300, 175);
        FactTotals t = FactTotals.EMPTY.add(zero).add(some).retract(some);
        assertThat(t.intensity()).isEqualTo(175.0);
    }

    /**
     * SPEC 2.5 and 2.6: a fact whose pieces now all have zero energy has the bucket mean as its intensity, and
     * the result is a function of the set of contributions, not of the history of adds and retracts.
     * Here two host-slots with energy were corrected to zero seconds (each: add the new, retract the old).
     */
    @Test
    void atZeroEnergyAfterSeveralRetractionsTheIntensityIsStillTheBucketMean() {
        Contribution a = c(0.1 * 3_600_000 / 12, 0, 200, 200);   // 0.1 kWh busy
        Contribution b = c(0.2 * 3_600_000 / 12, 0, 200, 200);   // 0.2 kWh busy
        Contribution zeroA = c(0, 0, 200, 200);
        Contribution zeroB = c(0, 0, 200, 200);
        FactTotals t = FactTotals.EMPTY.add(a).add(b).add(zeroA).retract(a).add(zeroB).retract(b);
        assertThat(t.contributors()).isEqualTo(2);
        assertThat(t.intensity()).isCloseTo(200.0, within(1e-9 * 200));
        assertThat(t.metrics().kwh()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void bucketMeanIsAveragedOverContributors() {
        // Every contributor of one fact carries the same bucket mean once restatement has settled.
        FactTotals t = FactTotals.EMPTY.add(c(0, 0, 1, 180)).add(c(0, 0, 1, 180)).add(c(0, 0, 1, 180));
        assertThat(t.intensity()).isCloseTo(180.0, within(1e-12));
    }
}

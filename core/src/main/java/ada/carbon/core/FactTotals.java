package ada.carbon.core;

/**
 * A fact as the sum of its contributions. Contributions are added and retracted (a restatement retracts
 * what a host-slot added before and adds what it adds now), so the sums are exact ({@link ExactSum}):
 * a fact corrected down to nothing is exactly zero, and the same set of contributions gives the same
 * figures to the bit whatever the order. {@code contributors} counts the host-slots in the sum, so a
 * fact whose every contribution was retracted is known to be gone.
 */
public record FactTotals(ExactSum busyCpuSeconds, ExactSum idleCpuSeconds, ExactSum busyKwh, ExactSum idleKwh,
                         ExactSum busyGrams, ExactSum idleGrams, long contributors, ExactSum bucketMeanIntensitySum) {
    public static final FactTotals EMPTY = new FactTotals(ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO,
            ExactSum.ZERO, ExactSum.ZERO, 0, ExactSum.ZERO);

    public FactTotals add(Contribution c) {
        Metrics m = c.metrics();
        return new FactTotals(busyCpuSeconds.plus(m.busyCpuSeconds()), idleCpuSeconds.plus(m.idleCpuSeconds()),
                busyKwh.plus(m.busyKwh()), idleKwh.plus(m.idleKwh()), busyGrams.plus(m.busyGrams()),
                idleGrams.plus(m.idleGrams()), contributors + 1, bucketMeanIntensitySum.plus(c.bucketMeanIntensity()));
    }

    public FactTotals retract(Contribution c) {
        if (contributors <= 1) {
            return EMPTY;
        }
        Metrics m = c.metrics();
        return new FactTotals(busyCpuSeconds.minus(m.busyCpuSeconds()), idleCpuSeconds.minus(m.idleCpuSeconds()),
                busyKwh.minus(m.busyKwh()), idleKwh.minus(m.idleKwh()), busyGrams.minus(m.busyGrams()),
                idleGrams.minus(m.idleGrams()), contributors - 1, bucketMeanIntensitySum.minus(c.bucketMeanIntensity()));
    }

    public boolean isEmpty() {
        return contributors <= 0;
    }

    /** The six figures, each rounded once from its exact sum. */
    public Metrics metrics() {
        return new Metrics(busyCpuSeconds.doubleValue(), idleCpuSeconds.doubleValue(), busyKwh.doubleValue(),
                idleKwh.doubleValue(), busyGrams.doubleValue(), idleGrams.doubleValue());
    }

    /** SPEC 2.5: carbon / energy where energy is above zero, else the mean of I over the bucket's slots. */
    public double intensity() {
        ExactSum kwh = busyKwh.plus(idleKwh);
        if (kwh.signum() > 0) {
            return busyGrams.plus(idleGrams).doubleValue() / kwh.doubleValue();
        }
        return bucketMeanIntensitySum.doubleValue() / contributors;
    }
}

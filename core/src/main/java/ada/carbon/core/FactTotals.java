package ada.carbon.core;

/**
 * A fact as the running sum of its contributions. Contributions are added and retracted (a restatement
 * retracts what a host-slot added before and adds what it adds now); {@code contributors} counts the
 * host-slots in the sum, so a fact whose every contribution was retracted is known to be gone.
 */
public record FactTotals(Metrics metrics, long contributors, double bucketMeanIntensitySum) {
    public static final FactTotals EMPTY = new FactTotals(Metrics.ZERO, 0, 0);

    public FactTotals add(Contribution c) {
        return new FactTotals(metrics.plus(c.metrics()), contributors + 1,
                bucketMeanIntensitySum + c.bucketMeanIntensity());
    }

    public FactTotals retract(Contribution c) {
        long left = contributors - 1;
        if (left <= 0) {
            // Back to nothing: reset exactly rather than keep float residue of add-then-subtract.
            return EMPTY;
        }
        return new FactTotals(metrics.plus(c.metrics().negate()), left,
                bucketMeanIntensitySum - c.bucketMeanIntensity());
    }

    public boolean isEmpty() {
        return contributors <= 0;
    }

    /** SPEC 2.5: carbon / energy where energy is above zero, else the mean of I over the bucket's slots. */
    public double intensity() {
        double kwh = metrics.kwh();
        return kwh > 0 ? metrics.grams() / kwh : bucketMeanIntensitySum / contributors;
    }
}

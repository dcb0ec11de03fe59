package ada.carbon.core;

/** The six additive figures of a fact (SPEC 3.1 fact_usage). */
public record Metrics(
        double busyCpuSeconds,
        double idleCpuSeconds,
        double busyKwh,
        double idleKwh,
        double busyGrams,
        double idleGrams) {
    public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0, 0);

    public Metrics plus(Metrics o) {
        return new Metrics(
                busyCpuSeconds + o.busyCpuSeconds,
                idleCpuSeconds + o.idleCpuSeconds,
                busyKwh + o.busyKwh,
                idleKwh + o.idleKwh,
                busyGrams + o.busyGrams,
                idleGrams + o.idleGrams);
    }

    public Metrics negate() {
        return new Metrics(-busyCpuSeconds, -idleCpuSeconds, -busyKwh, -idleKwh, -busyGrams, -idleGrams);
    }

    public double kwh() {
        return busyKwh + idleKwh;
    }

    public double grams() {
        return busyGrams + idleGrams;
    }
}

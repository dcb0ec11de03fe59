package ada.carbon.core;

/**
 * A fact row's figures, each sum rounded once: the six of SPEC 2.5 and the intensity, the embodied carbon of
 * SPEC 2.9, and how much of it is measured (SPEC 2.10): its energy by the source of each slot's intensity,
 * the host seconds its pieces cover and how many distinct hosts they are of.
 */
public record FactFigures(
        Metrics metrics,
        double intensity,
        double embodiedGrams,
        EnergyBySource energyBySource,
        double hostSeconds,
        long hosts) {

    /** SPEC 2.10: a fact's kWh by where its slots' intensity came from; they add up to busy + idle kWh. */
    public record EnergyBySource(double actual, double forecast, double regional, double fallback) {}
}

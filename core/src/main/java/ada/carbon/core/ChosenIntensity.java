package ada.carbon.core;

/** The intensity used for a slot and where it came from (SPEC 2.3). */
public record ChosenIntensity(double gramsPerKwh, IntensitySource source) {

    /** Actual if present, else forecast, else the fallback: the national rule. */
    public static ChosenIntensity choose(SlotReading reading, double fallback) {
        if (reading != null && reading.actual() != null) {
            return new ChosenIntensity(reading.actual(), IntensitySource.ACTUAL);
        }
        if (reading != null && reading.forecast() != null) {
            return new ChosenIntensity(reading.forecast(), IntensitySource.FORECAST);
        }
        return new ChosenIntensity(fallback, IntensitySource.FALLBACK);
    }

    /**
     * With a region configured, the site's own grid first: the region's forecast if there is one (regional
     * series have forecasts only), else the national rule.
     *
     * @param regional the configured region's reading of the slot, or null (none, or no region configured)
     */
    public static ChosenIntensity choose(SlotReading national, SlotReading regional, double fallback) {
        if (regional != null && regional.forecast() != null) {
            return new ChosenIntensity(regional.forecast(), IntensitySource.REGIONAL);
        }
        return choose(national, fallback);
    }
}

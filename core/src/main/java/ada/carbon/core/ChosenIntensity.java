package ada.carbon.core;

/** The intensity used for a slot and where it came from (SPEC 2.3). */
public record ChosenIntensity(double gramsPerKwh, IntensitySource source) {

    /** Actual if present, else forecast, else the fallback. */
    public static ChosenIntensity choose(SlotReading reading, double fallback) {
        if (reading != null && reading.actual() != null) {
            return new ChosenIntensity(reading.actual(), IntensitySource.ACTUAL);
        }
        if (reading != null && reading.forecast() != null) {
            return new ChosenIntensity(reading.forecast(), IntensitySource.FORECAST);
        }
        return new ChosenIntensity(fallback, IntensitySource.FALLBACK);
    }
}

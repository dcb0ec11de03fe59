package ada.carbon.aggregator.bucket;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.core.ChosenIntensity;
import ada.carbon.core.SlotReading;
import java.time.Instant;

/**
 * fact_intensity rows (SPEC 3.3): a slot with an intensity event of any series, CPU time, or both; with
 * {@code intensity.region} set, also the region and its forecast.
 */
final class SlotIntensityRows {
    private SlotIntensityRows() {}

    /**
     * SPEC 2.3: the intensity a slot uses, given its latest readings (or none).
     *
     * @param region the configured region, or null
     */
    static ChosenIntensity chosen(long slot, SlotReadings readings, Integer region, double fallback) {
        if (readings == null) {
            return ChosenIntensity.choose(null, null, fallback);
        }
        return ChosenIntensity.choose(
                reading(slot, readings.national()), reading(slot, readings.regional(region)), fallback);
    }

    /** @param region the configured region, or null */
    static SlotIntensity row(long slot, SlotReadings readings, Integer region, boolean hasCpu, double fallback) {
        if (readings == null && !hasCpu) {
            return null;
        }
        IntensityEvent national = readings == null ? null : readings.national();
        IntensityEvent regional = readings == null ? null : readings.regional(region);
        ChosenIntensity chosen = chosen(slot, readings, region, fallback);
        return SlotIntensity.newBuilder()
                .setTs(Instant.ofEpochMilli(slot))
                .setForecast(national == null ? null : national.getForecast())
                .setActual(national == null ? null : national.getActual())
                .setIndex(national == null ? null : national.getIndex())
                .setIntensityGCo2eqKwh(chosen.gramsPerKwh())
                .setSource(chosen.source().label())
                .setHasCpu(hasCpu)
                .setRegion(region)
                .setRegionalForecast(regional == null ? null : regional.getForecast())
                .build();
    }

    private static SlotReading reading(long slot, IntensityEvent e) {
        return e == null ? null : new SlotReading(slot, e.getForecast(), e.getActual(), e.getIndex());
    }
}

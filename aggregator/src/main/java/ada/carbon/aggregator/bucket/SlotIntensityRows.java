package ada.carbon.aggregator.bucket;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.core.ChosenIntensity;
import ada.carbon.core.SlotReading;
import java.time.Instant;

/** fact_intensity rows (SPEC 3.3): a slot with an intensity event, CPU time, or both. */
final class SlotIntensityRows {
    private SlotIntensityRows() {}

    /** SPEC 2.3: the intensity a slot uses, given its latest reading (or none). */
    static ChosenIntensity chosen(long slot, IntensityEvent event, double fallback) {
        return ChosenIntensity.choose(event == null ? null
                : new SlotReading(slot, event.getForecast(), event.getActual(), event.getIndex()), fallback);
    }

    static SlotIntensity row(long slot, IntensityEvent event, boolean hasCpu, double fallback) {
        if (event == null && !hasCpu) {
            return null;
        }
        ChosenIntensity chosen = chosen(slot, event, fallback);
        return new SlotIntensity(Instant.ofEpochMilli(slot),
                event == null ? null : event.getForecast(), event == null ? null : event.getActual(),
                event == null ? null : event.getIndex(), chosen.gramsPerKwh(), chosen.source().label(), hasCpu,
                null, null); // no region yet (SPEC 2.3's intensity.region)
    }
}

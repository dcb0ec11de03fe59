package ada.carbon.aggregator.bucket;

import ada.carbon.avro.IntensityEvent;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The latest reading of one half hour in each series the bucket stage was sent (SPEC 1.2: identity is region
 * and from): the national one and every region's. Only the national series and the configured region's are
 * used (SPEC 2.3); the others are kept so that fact_intensity can show them.
 */
final class SlotReadings {
    /** The national series' key: the API's regionids are 1 to 17. */
    static final int NATIONAL = 0;

    private final Map<Integer, IntensityEvent> bySeries = new TreeMap<>();

    static int seriesOf(IntensityEvent reading) {
        return reading.getRegion() == null ? NATIONAL : reading.getRegion();
    }

    /** @return whether it changed anything (a duplicate does not) */
    boolean put(IntensityEvent reading) {
        return !Objects.equals(bySeries.put(seriesOf(reading), reading), reading);
    }

    IntensityEvent national() {
        return bySeries.get(NATIONAL);
    }

    /** @param region a regionid, or null (no region configured): then null */
    IntensityEvent regional(Integer region) {
        return region == null ? null : bySeries.get(region);
    }

    /** Every region's reading, by regionid; the national one is not among them. */
    Map<Integer, IntensityEvent> regions() {
        Map<Integer, IntensityEvent> out = new TreeMap<>(bySeries);
        out.remove(NATIONAL);
        return out;
    }

    Iterable<Integer> series() {
        return bySeries.keySet();
    }
}

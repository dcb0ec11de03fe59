package ada.carbon.core;

import java.util.Locale;

/** Where a slot's intensity came from, as {@code fact_intensity.source} records it. */
public enum IntensitySource {
    ACTUAL,
    FORECAST,
    REGIONAL,
    FALLBACK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

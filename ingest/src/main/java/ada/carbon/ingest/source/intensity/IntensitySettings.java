package ada.carbon.ingest.source.intensity;

import ada.carbon.ingest.source.common.Urls;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the carbon-intensity source asks for and how.
 *
 * @param baseUrl    the API, {@code https://api.carbonintensity.org.uk} (or a copy serving the same paths)
 * @param series     the national series, or a region's
 * @param window     the longest range of one request; the API allows 14 days
 * @param ahead      when following, how far ahead to read forecasts (48 hours)
 * @param behind     when following, how far back to re-read, for actuals that arrive late (48 hours)
 * @param interval   when following, the time between two polls
 * @param retryPause when following, the wait after a poll that failed transiently
 */
public record IntensitySettings(
        URI baseUrl,
        IntensitySeries series,
        Duration window,
        Duration ahead,
        Duration behind,
        Duration interval,
        Duration retryPause) {
    public static final URI DEFAULT_URL = URI.create("https://api.carbonintensity.org.uk");
    /** The API refuses longer ranges (its documentation says so of the national route; regional ones are read alike). */
    public static final Duration MAX_WINDOW = Duration.ofDays(14);

    public static final Duration HALF_HOUR = Duration.ofMinutes(30);

    public IntensitySettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(series, "series");
        if (window.compareTo(HALF_HOUR) < 0 || window.compareTo(MAX_WINDOW) > 0 || window.toMinutes() % 30 != 0) {
            throw new IllegalArgumentException("--window must be whole half hours, from 30m to 14d: " + window);
        }
        if (ahead.isNegative() || behind.isNegative() || ahead.plus(behind).compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("--ahead and --behind must be >= 0 and together at most 14 days");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--interval must be > 0");
        }
    }

    public static IntensitySettings defaults(URI baseUrl) {
        return new IntensitySettings(
                baseUrl,
                IntensitySeries.NATIONAL,
                MAX_WINDOW,
                Duration.ofHours(48),
                Duration.ofHours(48),
                Duration.ofMinutes(30),
                Duration.ofMinutes(1));
    }

    public IntensitySettings withSeries(IntensitySeries s) {
        return new IntensitySettings(baseUrl, s, window, ahead, behind, interval, retryPause);
    }

    public IntensitySettings withWindow(Duration w) {
        return new IntensitySettings(baseUrl, series, w, ahead, behind, interval, retryPause);
    }

    public IntensitySettings withInterval(Duration i) {
        return new IntensitySettings(baseUrl, series, window, ahead, behind, i, retryPause);
    }

    public IntensitySettings withRetryPause(Duration p) {
        return new IntensitySettings(baseUrl, series, window, ahead, behind, interval, p);
    }

    /** What makes two runs the same job (for the checkpoint). */
    public ObjectNode identity() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Urls.putIdentity(n, "url", baseUrl);
        series.putIdentity(n);
        return n;
    }
}

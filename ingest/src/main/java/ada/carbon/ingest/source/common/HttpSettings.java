package ada.carbon.ingest.source.common;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a source talks HTTP.
 *
 * @param connectTimeout longest wait to open a connection
 * @param requestTimeout longest wait for a whole answer; a slower one counts as a transient failure
 * @param retries        further attempts after a transient failure (timeouts, refused connections, 408,
 *                       429, 5xx); 0 fails at the first
 * @param backoff        wait before the first retry; doubled for each further one (with jitter)
 * @param maxBackoff     the longest wait between two attempts, a {@code Retry-After} included
 * @param headers        sent with every request (e.g. {@code Authorization})
 */
public record HttpSettings(Duration connectTimeout, Duration requestTimeout, int retries, Duration backoff,
                           Duration maxBackoff, Map<String, String> headers) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, not " + retries);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be > 0");
        }
        if (backoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must be >= 0");
        }
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRIES, DEFAULT_BACKOFF,
                DEFAULT_MAX_BACKOFF, Map.of());
    }

    public HttpSettings withRequestTimeout(Duration d) {
        return new HttpSettings(connectTimeout, d, retries, backoff, maxBackoff, headers);
    }

    public HttpSettings withRetries(int n) {
        return new HttpSettings(connectTimeout, requestTimeout, n, backoff, maxBackoff, headers);
    }

    public HttpSettings withBackoff(Duration first, Duration max) {
        return new HttpSettings(connectTimeout, requestTimeout, retries, first, max, headers);
    }

    public HttpSettings withHeaders(Map<String, String> h) {
        return new HttpSettings(connectTimeout, requestTimeout, retries, backoff, maxBackoff, h);
    }
}

package ada.carbon.ingest.source.common;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a source talks HTTP.
 *
 * @param connectTimeout longest wait to open a connection
 * @param requestTimeout longest wait for a whole answer (its headers and body, redirects included); a
 *                       slower one counts as a transient failure
 * @param retries        further attempts after a transient failure (timeouts, refused connections, 408,
 *                       429, 5xx); 0 fails at the first
 * @param backoff        wait before the first retry; doubled for each further one (with jitter)
 * @param maxBackoff     the longest wait between two attempts, a {@code Retry-After} included
 * @param headers        sent with every request (e.g. {@code Authorization}), to the configured origin only
 * @param maxBodyBytes   the longest answer taken; a longer one fails the request, read no further than that
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration requestTimeout,
        int retries,
        Duration backoff,
        Duration maxBackoff,
        Map<String, String> headers,
        long maxBodyBytes) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
    /**
     * 64 MiB: some 25 times a 6-hour Prometheus chunk of 1,000 hosts at a 5-minute step (about 2.5 MB),
     * and far above 14 days of intensity (about 100 kB) or a registry page; yet small enough that the
     * JSON tree of such an answer fits the default 2 GB heap.
     */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
    /** What one byte array can hold, and then some: an answer never needs more. */
    public static final long MAX_BODY_BYTES = 1L << 30;

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, not " + retries);
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be > 0");
        }
        if (backoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must be >= 0");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("--max-body must be from 1 byte to 1GB, not " + maxBodyBytes + " bytes");
        }
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_RETRIES,
                DEFAULT_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                Map.of(),
                DEFAULT_MAX_BODY_BYTES);
    }

    public HttpSettings withRequestTimeout(Duration d) {
        return new HttpSettings(connectTimeout, d, retries, backoff, maxBackoff, headers, maxBodyBytes);
    }

    public HttpSettings withRetries(int n) {
        return new HttpSettings(connectTimeout, requestTimeout, n, backoff, maxBackoff, headers, maxBodyBytes);
    }

    public HttpSettings withBackoff(Duration first, Duration max) {
        return new HttpSettings(connectTimeout, requestTimeout, retries, first, max, headers, maxBodyBytes);
    }

    public HttpSettings withHeaders(Map<String, String> h) {
        return new HttpSettings(connectTimeout, requestTimeout, retries, backoff, maxBackoff, h, maxBodyBytes);
    }

    /** The headers by name only: their values are credentials, and a record would print them. */
    @Override
    public String toString() {
        return "HttpSettings[connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retries="
                + retries + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", headers=" + headers.keySet()
                + ", maxBodyBytes=" + maxBodyBytes + "]";
    }

    public HttpSettings withMaxBodyBytes(long n) {
        return new HttpSettings(connectTimeout, requestTimeout, retries, backoff, maxBackoff, headers, n);
    }
}

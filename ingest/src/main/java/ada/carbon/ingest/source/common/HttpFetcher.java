package ada.carbon.ingest.source.common;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP GET and form POST with the JDK's client, retrying transient failures with exponential backoff
 * and jitter. Transient: a timeout, a refused or broken connection, 408, 429 (its {@code Retry-After}
 * is honoured up to {@link HttpSettings#maxBackoff()}) and every 5xx. Anything else that is not 2xx
 * fails at once. Every retry is logged at WARN; when the retries are spent the last failure is thrown
 * as a {@link SourceException}, so a failure is never mistaken for an empty answer. Thread-safe.
 */
public final class HttpFetcher {
    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
    private static final int EXCERPT = 300;

    /** Waits between attempts; replaced in tests that count waits rather than sit through them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A 2xx answer. */
    public record Response(int status, String body, URI uri) {}

    private final HttpClient client;
    private final HttpSettings settings;
    private final Sleeper sleeper;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public HttpFetcher(HttpSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    public HttpFetcher(HttpSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public HttpSettings settings() {
        return settings;
    }

    /** Retries done so far (attempts after a transient failure). */
    public long retries() {
        return retries.get();
    }

    /** Attempts made so far, retries included. */
    public long requests() {
        return requests.get();
    }

    /** A service's base URL as text without trailing slashes, so that an API path can be appended to it. */
    public static String base(URI serviceUrl) {
        String base = serviceUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    public Response get(URI uri) {
        return send("GET " + uri, uri, () -> builder(uri).GET().build());
    }

    /** POSTs {@code form} as {@code application/x-www-form-urlencoded} (Prometheus accepts long queries so). */
    public Response postForm(URI uri, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String encoded = body.toString();
        return send("POST " + uri, uri, () -> builder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder builder(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "ada-carbon-ingest");
        settings.headers().forEach(b::header);
        return b;
    }

    private Response send(String what, URI uri, Supplier<HttpRequest> request) {
        int attempts = settings.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            requests.incrementAndGet();
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> r = client.send(request.get(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    return new Response(status, r.body(), uri);
                }
                failure = "HTTP " + status + excerpt(r.body());
                if (!isTransient(status)) {
                    throw new SourceException(what + " failed: " + failure, false);
                }
                retryAfter = r.headers().firstValue("Retry-After").flatMap(HttpFetcher::retryAfter);
            } catch (HttpTimeoutException e) {
                failure = "no answer within " + settings.requestTimeout().toMillis() + " ms (" + e.getMessage() + ")";
            } catch (ConnectException e) {
                failure = "cannot connect (" + e + ")";
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(what + ": interrupted", true, e);
            }
            if (attempt >= attempts) {
                throw new SourceException(what + " failed after " + attempts + " attempt"
                        + (attempts == 1 ? "" : "s") + "; the last: " + failure, true);
            }
            Duration wait = retryAfter.isPresent() ? min(retryAfter.get(), settings.maxBackoff()) : backoff(attempt);
            log.warn("{}: {}; retry {}/{} in {} ms", what, failure, attempt, settings.retries(), wait.toMillis());
            retries.incrementAndGet();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(what + ": interrupted while waiting to retry", true, e);
            }
        }
    }

    static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Exponential, with jitter between half and all of it, never above the maximum. */
    private Duration backoff(int attempt) {
        long base = settings.backoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long full = base << Math.min(attempt - 1, 20);
        if (full <= 0 || full > cap) {
            full = cap;
        }
        long jittered = full / 2 + (full > 1 ? ThreadLocalRandom.current().nextLong(full - full / 2 + 1) : full);
        return Duration.ofMillis(Math.min(jittered, cap));
    }

    /** {@code Retry-After}: delay-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.strip().replaceAll("\\s+", " ");
        return ": " + (one.length() > EXCERPT ? one.substring(0, EXCERPT) + "…" : one);
    }
}

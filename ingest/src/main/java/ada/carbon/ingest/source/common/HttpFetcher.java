package ada.carbon.ingest.source.common;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP GET and form POST with the JDK's client, retrying transient failures with exponential backoff
 * and jitter. Transient: a timeout, a refused or broken connection, 408, 429 (its {@code Retry-After}
 * is honoured up to {@link HttpSettings#maxBackoff()}) and every 5xx. Anything else that is not 2xx
 * fails at once. Every retry is logged at WARN; when the retries are spent the last failure is thrown
 * as a {@link SourceException}, so a failure is never mistaken for an empty answer. Thread-safe.
 *
 * <p>What it will not do:
 * <ul>
 *   <li>send anything to another origin: a redirect is followed (up to {@value #MAX_REDIRECTS} times)
 *       only within the scheme, host and port asked for, so the user's headers ({@code Authorization})
 *       never reach a server the user did not name; a redirect elsewhere fails, naming both origins;</li>
 *   <li>hold more than {@link HttpSettings#maxBodyBytes()} of an answer: a longer one is cut off as it
 *       arrives and fails the request;</li>
 *   <li>wait longer than {@link HttpSettings#requestTimeout()} for a whole answer (the JDK's own timeout
 *       ends with the headers; a server trickling its body would hold a source forever);</li>
 *   <li>go on once {@link #stop() stopped}: a request in flight is abandoned and a retry's wait ends.</li>
 * </ul>
 * URLs appear in its messages and logs {@link Urls#masked masked}.
 */
public final class HttpFetcher {
    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
    private static final int EXCERPT = 300;
    /** Of an answer that is not a success only this much is read: enough for the excerpt in a message. */
    private static final int ERROR_BODY_BYTES = 4096;

    static final int MAX_REDIRECTS = 5;

    /** Waits between attempts; replaced in tests that count waits rather than sit through them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** A 2xx answer: its bytes, and the URI that gave them (after any redirect). */
    public record Response(int status, byte[] body, URI uri) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient client;
    private final HttpSettings settings;
    private final Sleeper sleeper;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    public HttpFetcher(HttpSettings settings) {
        this(settings, null);
    }

    /** @param sleeper how to wait before a retry; null: the clock, a wait that {@link #stop()} ends */
    public HttpFetcher(HttpSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper != null ? sleeper : d -> stopSignal.await(d.toMillis(), TimeUnit.MILLISECONDS);
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
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

    /**
     * Stops for good: requests in flight are abandoned, a wait before a retry ends, and every request,
     * now or later, fails with a transient {@link SourceException} saying so. For a shutdown.
     */
    public void stop() {
        stopSignal.countDown();
        inFlight.forEach(f -> f.cancel(true));
    }

    public boolean stopped() {
        return stopSignal.getCount() == 0;
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
        return send("GET", uri, null);
    }

    /** POSTs {@code form} as {@code application/x-www-form-urlencoded} (Prometheus accepts long queries so). */
    public Response postForm(URI uri, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send("POST", uri, body.toString());
    }

    /** A GET, or with a form the {@code method} (POST, or what a redirect keeps of it) carrying it. */
    private HttpRequest request(String method, URI uri, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("User-Agent", "ada-carbon-ingest");
        settings.headers().forEach(b::header);
        if (form == null) {
            return b.GET().build();
        }
        return b.header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
    }

    private Response send(String method, URI uri, String form) {
        String what = method + " " + Urls.masked(uri);
        int attempts = settings.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            if (stopped()) {
                throw stoppedWhile(what);
            }
            requests.incrementAndGet();
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<byte[]> r = exchange(what, method, uri, form);
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    return new Response(status, r.body(), r.uri());
                }
                failure = "HTTP " + status + excerpt(r.body());
                if (!isTransient(status)) {
                    throw new SourceException(what + " failed: " + failure, false);
                }
                retryAfter = r.headers().firstValue("Retry-After").flatMap(HttpFetcher::retryAfter);
            } catch (TimeoutException e) {
                failure = "no whole answer within " + settings.requestTimeout().toMillis() + " ms";
            } catch (HttpConnectTimeoutException e) {
                failure = "cannot connect within " + settings.connectTimeout().toMillis() + " ms";
            } catch (ConnectException e) {
                failure = "cannot connect (" + e + ")";
            } catch (IOException e) {
                failure = e.toString();
            }
            if (attempt >= attempts) {
                throw new SourceException(
                        what + " failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + "; the last: "
                                + failure,
                        true);
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

    /**
     * One attempt: the request and the redirects it leads to within its origin, all within the request
     * timeout; the answer that is not a redirect.
     */
    private HttpResponse<byte[]> exchange(String what, String method, URI uri, String form)
            throws IOException, TimeoutException {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        URI current = uri;
        String currentMethod = method;
        String currentForm = form;
        for (int redirects = 0; ; redirects++) {
            URI asked = current;
            HttpResponse<byte[]> r = await(
                    what,
                    client.sendAsync(
                            request(currentMethod, current, currentForm),
                            info -> info.statusCode() >= 200 && info.statusCode() < 300
                                    ? LimitedBody.failingAbove(settings.maxBodyBytes())
                                            .apply(info)
                                    : LimitedBody.truncatedAt(ERROR_BODY_BYTES).apply(info)),
                    asked,
                    deadline);
            Optional<String> location = r.headers().firstValue("Location");
            if (!isRedirect(r.statusCode()) || location.isEmpty()) {
                return r;
            }
            URI next;
            try {
                next = current.resolve(location.get().strip());
            } catch (IllegalArgumentException e) {
                throw SourceException.permanent(
                        what + ": redirected (HTTP " + r.statusCode() + ") to a Location that is no URL");
            }
            if (!Urls.sameOrigin(uri, next)) {
                throw SourceException.permanent(what + ": redirected (HTTP " + r.statusCode() + ") to "
                        + Urls.masked(next) + ", on another origin: " + Urls.origin(next) + " rather than "
                        + Urls.origin(uri) + ". Not followed: the request's headers (--header) go to the"
                        + " configured origin only. If the service has moved there, configure its new URL.");
            }
            if (redirects >= MAX_REDIRECTS) {
                throw SourceException.permanent(
                        what + ": more than " + MAX_REDIRECTS + " redirects (the last to " + Urls.masked(next) + ")");
            }
            // As browsers and the JDK do: 303 asks for a GET, and so (historically) do 301 and 302 of a POST.
            if (r.statusCode() == 303
                    || (r.statusCode() == 301 || r.statusCode() == 302) && "POST".equals(currentMethod)) {
                currentMethod = "GET";
                currentForm = null;
            }
            current = next;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The answer, waiting no later than {@code deadline} and no longer than until {@link #stop()}. */
    private HttpResponse<byte[]> await(
            String what, CompletableFuture<HttpResponse<byte[]>> answer, URI asked, long deadline)
            throws IOException, TimeoutException {
        inFlight.add(answer);
        try {
            if (stopped()) {
                answer.cancel(true); // stop() may have run before the answer was in the set
            }
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (CancellationException e) {
            throw stoppedWhile(what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(what + ": interrupted", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (stopped()) {
                throw stoppedWhile(what); // the JDK fails a cancelled exchange, rather than cancel its future
            }
            if (cause instanceof LimitedBody.TooLarge) {
                throw SourceException.permanent(what + ": the answer from " + Urls.masked(asked)
                        + " exceeds --max-body " + settings.maxBodyBytes() + " bytes; it was not read further"
                        + " (ask for less at a time, e.g. a shorter --chunk or smaller pages, or raise --max-body)");
            }
            if (cause instanceof LimitedBody.OutOfMemory) {
                throw SourceException.permanent(what + ": the answer from " + Urls.masked(asked) + " does not fit"
                        + " in the heap (" + cause.getMessage() + "); lower --max-body, or give the JVM more memory");
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } finally {
            inFlight.remove(answer);
            answer.cancel(true); // after a timeout: the exchange is abandoned, its connection closed
        }
    }

    private SourceException stoppedWhile(String what) {
        return new SourceException(what + ": stopped (the source is shutting down)", true);
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

    private static String excerpt(byte[] bytes) {
        String body = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return "";
        }
        String one = body.strip().replaceAll("\\s+", " ");
        return ": " + (one.length() > EXCERPT ? one.substring(0, EXCERPT) + "…" : one);
    }
}

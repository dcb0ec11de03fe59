package ada.carbon.ingest.source.intensity;

import ada.carbon.ingest.source.testing.LocalHttpServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers {@code /intensity/{from}/{to}} in the documented shape, with the API's quirks: the half hour
 * that ends at {@code from} is included, one half hour of each answer is listed twice, {@code actual} is
 * null for half hours whose actual has not "arrived" yet (one hour after they end, by the server's
 * clock) and for every seventh one, and both figures are null for every 29th.
 */
final class FakeIntensityApi implements LocalHttpServer.Handler {
    static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
    static final Duration HALF_HOUR = Duration.ofMinutes(30);

    private final Supplier<Instant> serverNow;
    final Set<Instant> omitted = new HashSet<>();
    final Set<Instant> unreadable = new HashSet<>();
    /** Half hours listed twice with different figures: the first copy has the actual, the second none. */
    final Set<Instant> conflicting = new HashSet<>();
    /** A fault to answer instead, by request (null: answer normally). */
    volatile Function<LocalHttpServer.Request, LocalHttpServer.Reply> fault = r -> null;

    FakeIntensityApi(Supplier<Instant> serverNow) {
        this.serverNow = serverNow;
    }

    static long index(Instant slot) {
        return slot.getEpochSecond() / 1800;
    }

    static Double forecast(Instant slot) {
        long i = index(slot);
        return i % 29 == 0 ? null : (double) (100 + (i % 48) * 3);
    }

    /** The actual the API has for a half hour at {@code now} (null if not yet, or never). */
    static Double actual(Instant slot, Instant now) {
        long i = index(slot);
        if (i % 29 == 0 || i % 7 == 0 || slot.plus(HALF_HOUR).plus(Duration.ofHours(1)).isAfter(now)) {
            return null;
        }
        return (double) (98 + (i % 48) * 3);
    }

    static String indexName(Double v) {
        return v == null ? null : v < 150 ? "low" : v < 200 ? "moderate" : "high";
    }

    @Override
    public LocalHttpServer.Reply handle(LocalHttpServer.Request r) {
        LocalHttpServer.Reply f = fault.apply(r);
        if (f != null) {
            return f;
        }
        String[] parts = r.path().split("/");
        if (parts.length != 4 || !parts[1].equals("intensity")) {
            return LocalHttpServer.Reply.status(404, "{\"error\":{\"code\":\"404\",\"message\":\"no such path\"}}");
        }
        Instant from = WIRE.parse(parts[2], Instant::from);
        Instant to = WIRE.parse(parts[3], Instant::from);
        if (Duration.between(from, to).compareTo(Duration.ofDays(14)) > 0) {
            return LocalHttpServer.Reply.status(400, "{\"error\":{\"code\":\"400 Bad Request\",\"message\":\"range over 14 days\"}}");
        }
        Instant now = serverNow.get();
        StringBuilder data = new StringBuilder();
        // The API includes the half hour that ends at `from`.
        for (Instant t = from.minus(HALF_HOUR); t.isBefore(to); t = t.plus(HALF_HOUR)) {
            if (omitted.contains(t)) {
                continue;
            }
            if (unreadable.contains(t)) {
                append(data, "{\"from\":\"yesterday\",\"to\":\"" + WIRE.format(t.plus(HALF_HOUR))
                        + "\",\"intensity\":{\"forecast\":1,\"actual\":1,\"index\":\"low\"}}");
                continue;
            }
            if (conflicting.contains(t)) {
                append(data, element(t, forecast(t), 111.0));
                append(data, element(t, forecast(t), null));
                continue;
            }
            append(data, element(t, forecast(t), actual(t, now)));
            if (t.equals(from.plus(HALF_HOUR))) {
                append(data, element(t, forecast(t), actual(t, now))); // the same half hour, twice
            }
        }
        return LocalHttpServer.Reply.json("{\"data\":[" + data + "]}");
    }

    private static void append(StringBuilder sb, String element) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(element);
    }

    static String element(Instant t, Double forecast, Double actual) {
        Double shown = actual != null ? actual : forecast;
        String index = indexName(shown);
        return "{\"from\":\"" + WIRE.format(t) + "\",\"to\":\"" + WIRE.format(t.plus(HALF_HOUR))
                + "\",\"intensity\":{\"forecast\":" + num(forecast) + ",\"actual\":" + num(actual) + ",\"index\":"
                + (index == null ? "null" : "\"" + index + "\"") + "}}";
    }

    private static String num(Double d) {
        return d == null ? "null" : Long.toString(Math.round(d));
    }
}

package ada.carbon.ingest.source.intensity;

import ada.carbon.ingest.source.testing.LocalHttpServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers {@code /intensity/{from}/{to}} in the documented shape, with the API's quirks: the half hour
 * that ends at {@code from} is included, one half hour of each answer is listed twice, {@code actual} is
 * null for half hours whose actual has not "arrived" yet (one hour after they end, by the server's
 * clock) and for every seventh one, and both figures are null for every 29th.
 *
 * <p>And a region's series, {@code /regional/intensity/{from}/{to}/regionid/{id}} or {@code …/postcode/{outward}}:
 * the region (its {@code regionid}, {@code dnoregion}, {@code shortname}, and the postcode asked for) holding
 * its half hours, each with a forecast and index but no actual, and a generation mix; {@code data} is that
 * region, or an array of it, as {@link #regionalShape} says. Its forecasts differ from the national ones and
 * are revised when a half hour comes within a day of the server's clock.
 */
final class FakeIntensityApi implements LocalHttpServer.Handler {
    static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
    static final Duration HALF_HOUR = Duration.ofMinutes(30);

    private final Supplier<Instant> serverNow;
    final Set<Instant> omitted = new HashSet<>();
    final Set<Instant> unreadable = new HashSet<>();
    /** Half hours listed twice with different figures: the first copy has the actual, the second none. */
    final Set<Instant> conflicting = new HashSet<>();
    /** Regional half hours left out of the answer. */
    final Set<Instant> regionalOmitted = new HashSet<>();
    /** Regional half hours answered with a forecast of null. */
    final Set<Instant> regionalNullForecast = new HashSet<>();
    /** Regional half hours whose {@code intensity} has no forecast at all, and an actual (which the API never sends). */
    final Set<Instant> regionalActualOnly = new HashSet<>();
    /** Regional half hours answered with their forecast and, beyond the documentation, an actual. */
    final Set<Instant> regionalWithActual = new HashSet<>();
    /** How {@code data} holds the region: {@link RegionalShape#OBJECT}, as the API is seen to answer, or an array of one. */
    volatile RegionalShape regionalShape = RegionalShape.OBJECT;
    /** A fault to answer instead, by request (null: answer normally). */
    volatile Function<LocalHttpServer.Request, LocalHttpServer.Reply> fault = r -> null;

    FakeIntensityApi(Supplier<Instant> serverNow) {
        this.serverNow = serverNow;
    }

    enum RegionalShape {
        OBJECT,
        ARRAY
    }

    /** The regions this API knows: regionid, dnoregion, shortname. */
    static final Map<Integer, String[]> REGIONS = Map.of(
            3, new String[] {"Electricity North West", "North West England"},
            11, new String[] {"WPD South West", "South West England"},
            12, new String[] {"SSE South", "South England"});
    /** The outward postcodes it knows, and their regions. */
    static final Map<String, Integer> POSTCODES = Map.of("OX11", 12, "RG10", 12, "BS7", 11, "M1", 3);

    /** A region's forecast for a half hour, as the server knows it at {@code now}: revised within a day of it. */
    static double regionalForecast(Instant slot, int region, Instant now) {
        long i = index(slot);
        double dayAhead = slot.isAfter(now.plus(Duration.ofDays(1))) ? 5 : 0;
        return 60 + (i % 48) * 2 + region + dayAhead;
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
        if (i % 29 == 0
                || i % 7 == 0
                || slot.plus(HALF_HOUR).plus(Duration.ofHours(1)).isAfter(now)) {
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
        if (parts.length == 7 && parts[1].equals("regional") && parts[2].equals("intensity")) {
            return regional(parts);
        }
        if (parts.length != 4 || !parts[1].equals("intensity")) {
            return LocalHttpServer.Reply.status(404, "{\"error\":{\"code\":\"404\",\"message\":\"no such path\"}}");
        }
        Instant from = WIRE.parse(parts[2], Instant::from);
        Instant to = WIRE.parse(parts[3], Instant::from);
        if (Duration.between(from, to).compareTo(Duration.ofDays(14)) > 0) {
            return LocalHttpServer.Reply.status(
                    400, "{\"error\":{\"code\":\"400 Bad Request\",\"message\":\"range over 14 days\"}}");
        }
        Instant now = serverNow.get();
        StringBuilder data = new StringBuilder();
        // The API includes the half hour that ends at `from`.
        for (Instant t = from.minus(HALF_HOUR); t.isBefore(to); t = t.plus(HALF_HOUR)) {
            if (omitted.contains(t)) {
                continue;
            }
            if (unreadable.contains(t)) {
                append(
                        data,
                        "{\"from\":\"yesterday\",\"to\":\"" + WIRE.format(t.plus(HALF_HOUR))
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

    /** What the API answers for a regional path, whatever {@link #fault} says. */
    LocalHttpServer.Reply regional(String path) {
        return regional(path.split("/"));
    }

    private LocalHttpServer.Reply regional(String[] parts) {
        Instant from = WIRE.parse(parts[3], Instant::from);
        Instant to = WIRE.parse(parts[4], Instant::from);
        Integer region;
        String postcode = null;
        if (parts[5].equals("regionid")) {
            region = Integer.valueOf(parts[6]);
        } else if (parts[5].equals("postcode")) {
            postcode = parts[6];
            region = POSTCODES.get(postcode);
        } else {
            return LocalHttpServer.Reply.status(404, "{\"error\":{\"code\":\"404\",\"message\":\"no such path\"}}");
        }
        if (region == null || !REGIONS.containsKey(region)) {
            return LocalHttpServer.Reply.status(
                    400, "{\"error\":{\"code\":\"400 Bad Request\",\"message\":\"no such region\"}}");
        }
        Instant now = serverNow.get();
        StringBuilder data = new StringBuilder();
        for (Instant t = from.minus(HALF_HOUR); t.isBefore(to); t = t.plus(HALF_HOUR)) {
            if (regionalOmitted.contains(t)) {
                continue;
            }
            String intensity;
            if (regionalNullForecast.contains(t)) {
                intensity = "{\"forecast\":null,\"index\":null}";
            } else if (regionalActualOnly.contains(t)) {
                intensity = "{\"actual\":180,\"index\":\"moderate\"}";
            } else {
                double f = regionalForecast(t, region, now);
                intensity = "{\"forecast\":" + num(f) + (regionalWithActual.contains(t) ? ",\"actual\":999" : "")
                        + ",\"index\":\"" + indexName(f) + "\"}";
            }
            append(
                    data,
                    "{\"from\":\"" + WIRE.format(t) + "\",\"to\":\"" + WIRE.format(t.plus(HALF_HOUR))
                            + "\",\"intensity\":" + intensity + ",\"generationmix\":[{\"fuel\":\"gas\",\"perc\":31.2},"
                            + "{\"fuel\":\"wind\",\"perc\":40.1},{\"fuel\":\"nuclear\",\"perc\":28.7}]}");
        }
        String[] names = REGIONS.get(region);
        String body = "{\"regionid\":" + region + ",\"dnoregion\":\"" + names[0] + "\",\"shortname\":\"" + names[1]
                + "\"" + (postcode == null ? "" : ",\"postcode\":\"" + postcode + "\"") + ",\"data\":[" + data + "]}";
        return LocalHttpServer.Reply.json(
                "{\"data\":" + (regionalShape == RegionalShape.ARRAY ? "[" + body + "]" : body) + "}");
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

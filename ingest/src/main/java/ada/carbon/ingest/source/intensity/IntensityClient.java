package ada.carbon.ingest.source.intensity;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.Urls;
import ada.carbon.schemas.EventRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The UK Carbon Intensity API's half hours of one {@link IntensitySeries}.
 *
 * <p>The national series, {@code GET /intensity/{from}/{to}}, is answered as
 * {@code {"data":[{"from":"2018-01-20T12:00Z","to":"2018-01-20T12:30Z","intensity":{"forecast":266,"actual":263,"index":"moderate"}}]}}.
 * A region's, {@code GET /regional/intensity/{from}/{to}/regionid/{id}} or {@code …/postcode/{postcode}},
 * wraps its half hours in the region, {@code {"regionid":12,"dnoregion":"SSE South","shortname":"South England",
 * "postcode":"OX11","data":[{"from":…,"to":…,"intensity":{"forecast":152,"index":"moderate"},"generationmix":[…]}]}},
 * which {@code data} holds as an array of one region (as the API's documentation shows) or as the region
 * itself (as the API is seen to answer): both are read. A regional half hour has a forecast only; one without
 * a forecast carries nothing and is left out (a gap, never a zero).
 *
 * <p>The answer is cleaned before it is used: only half hours that start in {@code [from, to)} are
 * kept (the API also returns the one that ends at {@code from}); a half hour returned twice is kept
 * once, preferring the copy with an actual, else the later one; an element that cannot be read is
 * handed back as unreadable, with its bytes, to be rejected.
 */
public final class IntensityClient {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final DateTimeFormatter PATH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    /** An element of {@code data} that is no half hour: its JSON and why. */
    public record Unreadable(byte[] original, String reason, long index) {}

    /**
     * @param region        the {@code regionid} the answer is for (null for the national series, or an
     *                      empty regional answer)
     * @param regionName    the region's {@code shortname}, if the answer gives one
     * @param slots         the half hours of {@code [from, to)} by start, once each
     * @param duplicates    elements dropped as a second copy of a half hour
     * @param conflicting   of those, copies whose figures differed from the one kept
     * @param outside       elements dropped as outside {@code [from, to)}
     */
    public record Answer(
            URI uri,
            Integer region,
            String regionName,
            TreeMap<Instant, IntensityEvent> slots,
            List<Unreadable> unreadable,
            int duplicates,
            int conflicting,
            int outside) {
        /** Where the answer came from, as messages and dead letters name it. */
        public String source() {
            return Urls.masked(uri);
        }
    }

    private final HttpFetcher http;
    private final String base;
    private final IntensitySeries series;

    public IntensityClient(HttpFetcher http, URI baseUrl, IntensitySeries series) {
        this.http = http;
        this.base = HttpFetcher.base(baseUrl);
        this.series = series;
    }

    public IntensitySeries series() {
        return series;
    }

    public Answer fetch(Instant from, Instant to) {
        URI uri = URI.create(base + series.path(PATH_TIME.format(from), PATH_TIME.format(to)));
        return parse(uri, http.get(uri).body(), from, to, series);
    }

    static Answer parse(URI uri, byte[] body, Instant from, Instant to, IntensitySeries series) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw SourceException.permanent("GET " + Urls.masked(uri) + " answered with no JSON: " + e.getMessage());
        }
        JsonNode data = root == null ? null : root.get("data");
        Integer region = null;
        String regionName = null;
        JsonNode elements;
        if (series.national()) {
            if (data == null || !data.isArray()) {
                throw unexpected(uri, body, "without a 'data' array");
            }
            elements = data;
        } else {
            if (data == null || !(data.isArray() || data.isObject())) {
                throw unexpected(uri, body, "without a 'data' region or array of regions");
            }
            JsonNode r = regionOf(uri, body, data, series);
            if (r == null) {
                elements = MAPPER.createArrayNode(); // no region at all: every half hour is a gap
                region = series.regionId();
            } else {
                region = r.get("regionid").intValue();
                regionName =
                        r.path("shortname").isTextual() ? r.get("shortname").textValue() : null;
                elements = r.get("data");
            }
        }
        TreeMap<Instant, IntensityEvent> slots = new TreeMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        int duplicates = 0;
        int conflicting = 0;
        int outside = 0;
        long index = 0;
        for (JsonNode e : elements) {
            index++;
            IntensityEvent event;
            try {
                event = read(e, region);
            } catch (IllegalArgumentException bad) {
                unreadable.add(new Unreadable(e.toString().getBytes(StandardCharsets.UTF_8), bad.getMessage(), index));
                continue;
            }
            Instant start = event.getFrom();
            if (start.isBefore(from) || !start.isBefore(to)) {
                outside++;
                continue;
            }
            if (!series.national() && event.getForecast() == null) {
                continue; // nothing to publish: a gap, reported with the half hours the answer left out
            }
            IntensityEvent kept = slots.get(start);
            if (kept == null) {
                slots.put(start, event);
                continue;
            }
            duplicates++;
            if (!kept.equals(event)) {
                conflicting++;
                if (!(kept.getActual() != null && event.getActual() == null)) {
                    slots.put(start, event);
                }
            }
        }
        return new Answer(uri, region, regionName, slots, unreadable, duplicates, conflicting, outside);
    }

    /**
     * The one region a regional answer is about (null if it has none): {@code data} itself, or the one
     * element of {@code data}; with a {@code regionid} of the API's, the one asked for if one was.
     */
    private static JsonNode regionOf(URI uri, byte[] body, JsonNode data, IntensitySeries series) {
        List<JsonNode> regions = new ArrayList<>();
        if (data.isObject()) {
            regions.add(data);
        } else {
            data.forEach(regions::add);
        }
        if (regions.isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode r : regions) {
            if (!r.isObject()
                    || !r.path("regionid").isIntegralNumber()
                    || !r.get("regionid").canConvertToInt()) {
                throw unexpected(uri, body, "with a region that has no whole-number 'regionid'");
            }
            ids.add(r.get("regionid").asText());
        }
        if (regions.size() > 1) {
            throw unexpected(uri, body, "with " + regions.size() + " regions " + ids + ", where one was asked for");
        }
        JsonNode r = regions.get(0);
        int id = r.get("regionid").intValue();
        if (series.regionId() != null && id != series.regionId()) {
            throw unexpected(uri, body, "for region " + id + ", where region " + series.regionId() + " was asked for");
        }
        if (id < EventRules.MIN_REGION || id > EventRules.MAX_REGION) {
            throw unexpected(
                    uri,
                    body,
                    "for region " + id + ", which is no regionid from " + EventRules.MIN_REGION + " to "
                            + EventRules.MAX_REGION);
        }
        if (!r.path("data").isArray()) {
            throw unexpected(uri, body, "for region " + id + " without its 'data' array");
        }
        return r;
    }

    private static SourceException unexpected(URI uri, byte[] body, String what) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return SourceException.permanent(
                "GET " + Urls.masked(uri) + " answered " + what + ": " + text + (body.length > 300 ? "…" : ""));
    }

    /**
     * One half hour of the national series ({@code region} null), or of a region's: a forecast only, so an
     * {@code actual} the answer may hold is not taken.
     */
    static IntensityEvent read(JsonNode e, Integer region) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        Instant from = time(e, "from");
        Instant to = time(e, "to");
        JsonNode i = e.get("intensity");
        if (i == null || !i.isObject()) {
            throw new IllegalArgumentException("no 'intensity' object");
        }
        JsonNode index = i.get("index");
        if (index != null && !index.isNull() && !index.isTextual()) {
            throw new IllegalArgumentException("'index' must be a string");
        }
        return new IntensityEvent(
                from,
                to,
                number(i, "forecast"),
                region == null ? number(i, "actual") : null,
                index == null || index.isNull() ? null : index.textValue(),
                region);
    }

    private static Instant time(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a time");
        }
        return ada.carbon.schemas.Times.parse(v.textValue());
    }

    private static Double number(JsonNode i, String field) {
        JsonNode v = i.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number or null");
        }
        return v.doubleValue();
    }

    /** For messages: the counts of what was dropped, e.g. {@code 1 duplicate (0 conflicting), 1 outside}. */
    static String summary(Answer a) {
        Map<String, Integer> parts = new TreeMap<>();
        if (a.duplicates() > 0) {
            parts.put("duplicates", a.duplicates());
        }
        if (a.conflicting() > 0) {
            parts.put("conflicting duplicates", a.conflicting());
        }
        if (a.outside() > 0) {
            parts.put("outside the range", a.outside());
        }
        return parts.toString();
    }
}

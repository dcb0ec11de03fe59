package ada.carbon.ingest.source.intensity;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.Urls;
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
 * The UK Carbon Intensity API's {@code GET /intensity/{from}/{to}}, answered as
 * {@code {"data":[{"from":"2018-01-20T12:00Z","to":"2018-01-20T12:30Z","intensity":{"forecast":266,"actual":263,"index":"moderate"}}]}}.
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
     * @param slots         the half hours of {@code [from, to)} by start, once each
     * @param duplicates    elements dropped as a second copy of a half hour
     * @param conflicting   of those, copies whose figures differed from the one kept
     * @param outside       elements dropped as outside {@code [from, to)}
     */
    public record Answer(URI uri, TreeMap<Instant, IntensityEvent> slots, List<Unreadable> unreadable,
                         int duplicates, int conflicting, int outside) {
        /** Where the answer came from, as messages and dead letters name it. */
        public String source() {
            return Urls.masked(uri);
        }
    }

    private final HttpFetcher http;
    private final String base;

    public IntensityClient(HttpFetcher http, URI baseUrl) {
        this.http = http;
        this.base = HttpFetcher.base(baseUrl);
    }

    public Answer fetch(Instant from, Instant to) {
        URI uri = URI.create(base + "/intensity/" + PATH_TIME.format(from) + "/" + PATH_TIME.format(to));
        return parse(uri, http.get(uri).body(), from, to);
    }

    static Answer parse(URI uri, byte[] body, Instant from, Instant to) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw SourceException.permanent("GET " + Urls.masked(uri) + " answered with no JSON: " + e.getMessage());
        }
        if (root == null || !root.path("data").isArray()) {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            throw SourceException.permanent("GET " + Urls.masked(uri) + " answered without a 'data' array: "
                    + text + (body.length > 300 ? "…" : ""));
        }
        TreeMap<Instant, IntensityEvent> slots = new TreeMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        int duplicates = 0;
        int conflicting = 0;
        int outside = 0;
        long index = 0;
        for (JsonNode e : root.get("data")) {
            index++;
            IntensityEvent event;
            try {
                event = read(e);
            } catch (IllegalArgumentException bad) {
                unreadable.add(new Unreadable(e.toString().getBytes(StandardCharsets.UTF_8), bad.getMessage(), index));
                continue;
            }
            Instant start = event.getFrom();
            if (start.isBefore(from) || !start.isBefore(to)) {
                outside++;
                continue;
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
        return new Answer(uri, slots, unreadable, duplicates, conflicting, outside);
    }

    static IntensityEvent read(JsonNode e) {
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
        return new IntensityEvent(from, to, number(i, "forecast"), number(i, "actual"),
                index == null || index.isNull() ? null : index.textValue(), null);
    }

    private static Instant time(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a time");
        }
        return ada.carbon.core.Times.parse(v.textValue());
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

package ada.carbon.ingest.source.prometheus;

import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.SourceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Prometheus HTTP API's range query ({@code /api/v1/query_range}). */
public final class PrometheusClient {
    private static final Logger log = LoggerFactory.getLogger(PrometheusClient.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** One point: the evaluation time and the value as Prometheus wrote it ({@code "NaN"}, {@code "+Inf"} too). */
    public record Point(Instant time, String value) {}

    /** One series of a matrix answer. */
    public record Series(Map<String, String> labels, List<Point> points) {}

    private final HttpFetcher http;
    private final URI endpoint;

    public PrometheusClient(HttpFetcher http, URI server) {
        this.http = http;
        this.endpoint = URI.create(HttpFetcher.base(server) + "/api/v1/query_range");
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Evaluates {@code query} at {@code start}, {@code start + step}, … up to {@code end}.
     *
     * @throws SourceException if the request keeps failing or the answer is not a successful matrix
     */
    public List<Series> queryRange(String query, Instant start, Instant end, Duration step) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("start", seconds(start));
        form.put("end", seconds(end));
        form.put("step", Long.toString(step.toSeconds()));
        HttpFetcher.Response r = http.postForm(endpoint, form);
        return parse(r.body(), query, start, end);
    }

    static List<Series> parse(byte[] body, String query, Instant start, Instant end) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw SourceException.permanent("Prometheus answered with no JSON for " + query + ": " + e.getMessage());
        }
        if (root == null || !"success".equals(root.path("status").asText())) {
            throw SourceException.permanent("Prometheus refused " + query + ": "
                    + (root == null
                            ? "empty answer"
                            : root.path("errorType").asText("?") + ": "
                                    + root.path("error").asText(root.toString())));
        }
        for (JsonNode w : root.path("warnings")) {
            log.warn("Prometheus warns about {} from {} to {}: {}", query, start, end, w.asText());
        }
        JsonNode data = root.path("data");
        if (!"matrix".equals(data.path("resultType").asText())
                || !data.path("result").isArray()) {
            throw SourceException.permanent("Prometheus answered " + query + " with no matrix: "
                    + abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode s : data.get("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            s.path("metric")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<Point> points = new ArrayList<>();
            for (JsonNode p : s.path("values")) {
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber()) {
                    throw SourceException.permanent(
                            "Prometheus answered " + query + " with a point that is not" + " [time, \"value\"]: " + p);
                }
                long millis = p.get(0)
                        .decimalValue()
                        .multiply(BigDecimal.valueOf(1000))
                        .longValue();
                points.add(new Point(Instant.ofEpochMilli(millis), p.get(1).asText()));
            }
            out.add(new Series(labels, points));
        }
        return out;
    }

    /** Prometheus' float forms, {@code NaN}, {@code +Inf} and {@code -Inf} included. */
    static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli())
                .movePointLeft(3)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}

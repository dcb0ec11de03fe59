package ada.carbon.ingest.source.prometheus;

import ada.carbon.ingest.source.common.Urls;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the Prometheus source asks for and how.
 *
 * @param url            the server, e.g. {@code http://prometheus:9090} (a path prefix is kept)
 * @param step           the CPU interval: one {@code cpu} event per instance per step
 * @param delay          how long after a step ends it is taken as complete (scrape interval and
 *                       ingestion delay), when following
 * @param chunk          the longest range asked for in one request (also the checkpoint interval)
 * @param maxPoints      points per series allowed in one answer (Prometheus refuses more than 11,000)
 * @param metric         the counter, {@code node_cpu_seconds_total}
 * @param selector       extra label matchers, e.g. {@code job="node"}, or empty
 * @param instanceLabel  the label naming the host ({@code instance})
 * @param projectLabel   the label naming the project ({@code cloud_project_name})
 * @param machineLabel   the label naming the machine type ({@code machine_name})
 * @param iowaitIsIdle   count mode {@code iowait} as idle rather than busy
 * @param maxCores       a value above {@code step × maxCores} CPU seconds for one host is implausible
 *                       (a counter reset seen wrongly) and is reported and left out, never emitted
 * @param retryPause     when following, the wait after a poll that failed transiently
 */
public record PrometheusSettings(
        URI url,
        Duration step,
        Duration delay,
        Duration chunk,
        int maxPoints,
        String metric,
        String selector,
        String instanceLabel,
        String projectLabel,
        String machineLabel,
        boolean iowaitIsIdle,
        int maxCores,
        Duration retryPause) {
    /** Prometheus' own limit of points per series in one range query. */
    public static final int PROMETHEUS_MAX_POINTS = 11_000;

    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public PrometheusSettings {
        Objects.requireNonNull(url, "url");
        if (step.toSeconds() < 1 || step.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("--step must be a whole number of seconds, at least 1s: " + step);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("--delay must not be negative");
        }
        if (chunk.compareTo(step) < 0) {
            throw new IllegalArgumentException("--chunk must be at least one step");
        }
        if (maxPoints < 1 || maxPoints > PROMETHEUS_MAX_POINTS) {
            throw new IllegalArgumentException("--max-points must be 1.." + PROMETHEUS_MAX_POINTS);
        }
        if (!METRIC.matcher(metric).matches()) {
            throw new IllegalArgumentException("not a metric name: " + metric);
        }
        for (String label : new String[] {instanceLabel, projectLabel, machineLabel}) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a label name: " + label);
            }
        }
        selector = selector == null ? "" : selector.strip();
        if (maxCores < 1) {
            throw new IllegalArgumentException("--max-cores must be >= 1");
        }
    }

    public static PrometheusSettings defaults(URI url) {
        return new PrometheusSettings(
                url,
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                Duration.ofHours(6),
                PROMETHEUS_MAX_POINTS,
                "node_cpu_seconds_total",
                "",
                "instance",
                "cloud_project_name",
                "machine_name",
                false,
                1024,
                Duration.ofMinutes(1));
    }

    public PrometheusSettings withStep(Duration s) {
        return new PrometheusSettings(
                url,
                s,
                delay,
                chunk,
                maxPoints,
                metric,
                selector,
                instanceLabel,
                projectLabel,
                machineLabel,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withChunk(Duration c) {
        return new PrometheusSettings(
                url,
                step,
                delay,
                c,
                maxPoints,
                metric,
                selector,
                instanceLabel,
                projectLabel,
                machineLabel,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withMaxPoints(int n) {
        return new PrometheusSettings(
                url,
                step,
                delay,
                chunk,
                n,
                metric,
                selector,
                instanceLabel,
                projectLabel,
                machineLabel,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withDelay(Duration d) {
        return new PrometheusSettings(
                url,
                step,
                d,
                chunk,
                maxPoints,
                metric,
                selector,
                instanceLabel,
                projectLabel,
                machineLabel,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withLabels(String instance, String project, String machine) {
        return new PrometheusSettings(
                url,
                step,
                delay,
                chunk,
                maxPoints,
                metric,
                selector,
                instance,
                project,
                machine,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withIowaitIsIdle(boolean b) {
        return new PrometheusSettings(
                url,
                step,
                delay,
                chunk,
                maxPoints,
                metric,
                selector,
                instanceLabel,
                projectLabel,
                machineLabel,
                b,
                maxCores,
                retryPause);
    }

    public PrometheusSettings withSelector(String s) {
        return new PrometheusSettings(
                url,
                step,
                delay,
                chunk,
                maxPoints,
                metric,
                s,
                instanceLabel,
                projectLabel,
                machineLabel,
                iowaitIsIdle,
                maxCores,
                retryPause);
    }

    /** The query for the busy CPU seconds of each instance over the step ending at each evaluation time. */
    public String busyQuery() {
        return query(iowaitIsIdle ? "mode!~\"idle|iowait\"" : "mode!=\"idle\"");
    }

    /** The query for the idle CPU seconds. */
    public String idleQuery() {
        return query(iowaitIsIdle ? "mode=~\"idle|iowait\"" : "mode=\"idle\"");
    }

    /**
     * {@code sum by (instance, project, machine) (increase(node_cpu_seconds_total{mode…}[STEP]))}:
     * {@code increase} is computed per series (per core and mode), so it corrects counter resets before
     * anything is summed; the sum then runs over cores and modes.
     */
    private String query(String modeMatcher) {
        String matchers = selector.isEmpty() ? modeMatcher : modeMatcher + "," + selector;
        return "sum by (" + instanceLabel + "," + projectLabel + "," + machineLabel + ") (increase(" + metric + "{"
                + matchers + "}[" + step.toSeconds() + "s]))";
    }

    /** What makes two runs the same job (for the checkpoint): everything that changes the events. */
    public ObjectNode identity() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Urls.putIdentity(n, "url", url);
        n.put("step_seconds", step.toSeconds());
        n.put("busy_query", busyQuery());
        n.put("idle_query", idleQuery());
        return n;
    }

    /** The evaluations one request may cover. */
    public long stepsPerRequest() {
        return Math.max(1, Math.min(maxPoints, chunk.toSeconds() / step.toSeconds()));
    }
}

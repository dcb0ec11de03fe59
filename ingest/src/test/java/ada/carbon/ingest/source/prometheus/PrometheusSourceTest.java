package ada.carbon.ingest.source.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.ingest.IngestCounts;
import ada.carbon.ingest.source.common.Checkpoint;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.HttpSettings;
import ada.carbon.ingest.source.common.JsonLinesFileSink;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.testing.JsonLinesFiles;
import ada.carbon.ingest.source.testing.LocalHttpServer;
import ada.carbon.ingest.source.testing.LocalHttpServer.Reply;
import ada.carbon.ingest.source.testing.TestClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus source's handling of the API (ranges, limits, odd values, errors, following) against
 * a local HTTP server answering {@code /api/v1/query_range} in Prometheus' shape. The CPU seconds
 * themselves are checked against a real Prometheus in {@link PrometheusServerTest}.
 */
class PrometheusSourceTest {
    private static final Instant T0 = Instant.parse("2025-09-01T00:00:00Z");

    @TempDir
    Path dir;

    LocalHttpServer server;
    /** Answers one range query: given whether it is the busy query and the evaluation time, the value (null: none). */
    volatile Function<Object[], String> values = q -> (Boolean) q[0] ? "100" : "500";

    volatile Function<LocalHttpServer.Request, Reply> fault = r -> null;
    final List<Instant[]> ranges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(this::answer);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reply answer(LocalHttpServer.Request r) {
        Reply f = fault.apply(r);
        if (f != null) {
            return f;
        }
        if (!r.path().equals("/api/v1/query_range") || !r.method().equals("POST")) {
            return Reply.status(404, "not found");
        }
        boolean busy = r.param("query").contains("mode!=") || r.param("query").contains("mode!~");
        Instant start = seconds(r.param("start"));
        Instant end = seconds(r.param("end"));
        long step = Long.parseLong(r.param("step"));
        ranges.add(new Instant[] {start, end, Instant.ofEpochSecond(step)});
        StringBuilder points = new StringBuilder();
        for (Instant t = start; !t.isAfter(end); t = t.plusSeconds(step)) {
            String v = values.apply(new Object[] {busy, t});
            if (v != null) {
                points.append(points.length() == 0 ? "" : ",")
                        .append("[")
                        .append(t.getEpochSecond())
                        .append(",\"")
                        .append(v)
                        .append("\"]");
            }
        }
        return Reply.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"instance\":\"h1:9100\",\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\"},"
                + "\"values\":[" + points + "]}]}}");
    }

    private static Instant seconds(String s) {
        return Instant.ofEpochMilli(new BigDecimal(s).movePointRight(3).longValueExact());
    }

    private static HttpSettings http(int retries) {
        return new HttpSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                retries,
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Map.of(),
                HttpSettings.DEFAULT_MAX_BODY_BYTES);
    }

    private record Run(PrometheusSource source, List<CpuEvent> events, IngestCounts counts) {}

    private Run backfill(PrometheusSettings s, Instant from, Instant to, int retries) throws Exception {
        Path out = dir.resolve("cpu.jsonl");
        PrometheusSource source;
        IngestCounts counts;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            Checkpoint cp = new Checkpoint(
                    dir.resolve("cp.json"), PrometheusSource.NAME, PrometheusSource.backfillJob(s, from, to));
            source = new PrometheusSource(
                    s,
                    new PrometheusClient(new HttpFetcher(http(retries)), s.url()),
                    sink,
                    new Committer(sink, cp),
                    p -> {});
            source.backfill(from, to, Optional.empty());
            counts = sink.counts();
        }
        return new Run(source, JsonLinesFiles.read(out, CpuEvent.class), counts);
    }

    @Test
    void queriesBusyAndIdleIncreasesSummedByInstanceProjectAndMachine() {
        PrometheusSettings s = PrometheusSettings.defaults(server.uri());
        assertThat(s.busyQuery())
                .isEqualTo("sum by (instance,cloud_project_name,machine_name)"
                        + " (increase(node_cpu_seconds_total{mode!=\"idle\"}[300s]))");
        assertThat(s.idleQuery())
                .isEqualTo("sum by (instance,cloud_project_name,machine_name)"
                        + " (increase(node_cpu_seconds_total{mode=\"idle\"}[300s]))");
        PrometheusSettings other = s.withIowaitIsIdle(true)
                .withLabels("node", "project", "flavour")
                .withSelector("job=\"node\"")
                .withStep(Duration.ofMinutes(1));
        assertThat(other.busyQuery())
                .isEqualTo("sum by (node,project,flavour)"
                        + " (increase(node_cpu_seconds_total{mode!~\"idle|iowait\",job=\"node\"}[60s]))");
        assertThat(other.idleQuery()).contains("mode=~\"idle|iowait\"");
        assertThatThrownBy(() -> s.withLabels("instance", "bad-label", "machine_name"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longRangesAreSplitUnderThePointLimitAndEachStepIsEmittedOnce() throws Exception {
        PrometheusSettings s =
                PrometheusSettings.defaults(server.uri()).withMaxPoints(10).withChunk(Duration.ofDays(1));
        Run run = backfill(s, T0, T0.plus(Duration.ofHours(3)), 0);
        assertThat(run.events()).hasSize(36);
        for (int k = 0; k < 36; k++) {
            CpuEvent e = run.events().get(k);
            assertThat(e.getTs()).isEqualTo(T0.plus(Duration.ofMinutes(5L * k))); // the step ending at the point
            assertThat(e.getPeriodSeconds()).isEqualTo(300);
            assertThat(e.getBusyCpuSeconds()).isEqualTo(100.0);
            assertThat(e.getIdleCpuSeconds()).isEqualTo(500.0);
            assertThat(e.getInstance()).isEqualTo("h1:9100");
        }
        // 4 chunks (10 + 10 + 10 + 6 steps), a busy and an idle query each; never more than 10 points.
        assertThat(ranges).hasSize(8);
        Instant expectedStart = T0.plus(Duration.ofMinutes(5));
        for (int i = 0; i < ranges.size(); i += 2) {
            Instant[] busy = ranges.get(i);
            Instant[] idle = ranges.get(i + 1);
            assertThat(idle[0]).isEqualTo(busy[0]);
            assertThat(idle[1]).isEqualTo(busy[1]);
            assertThat(busy[0]).isEqualTo(expectedStart);
            long points = Duration.between(busy[0], busy[1]).toMinutes() / 5 + 1;
            assertThat(points).isBetween(1L, 10L);
            assertThat(busy[2].getEpochSecond()).isEqualTo(300);
            expectedStart = busy[1].plus(Duration.ofMinutes(5));
        }
        assertThat(expectedStart).isEqualTo(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(5)));
    }

    @Test
    void valuesThatCannotBeCpuSecondsAreReportedAndLeftOutNeverEmittedAsZero() throws Exception {
        Instant nan = T0.plus(Duration.ofMinutes(10));
        Instant negative = T0.plus(Duration.ofMinutes(15));
        Instant inf = T0.plus(Duration.ofMinutes(20));
        Instant noIdle = T0.plus(Duration.ofMinutes(25));
        Instant huge = T0.plus(Duration.ofMinutes(30));
        values = q -> {
            boolean busy = (Boolean) q[0];
            Instant t = (Instant) q[1];
            if (t.equals(nan) && busy) {
                return "NaN";
            }
            if (t.equals(negative) && !busy) {
                return "-3.5";
            }
            if (t.equals(inf) && busy) {
                return "+Inf";
            }
            if (t.equals(noIdle) && !busy) {
                return null;
            }
            if (t.equals(huge) && busy) {
                return "1e12";
            }
            return busy ? "1.5" : "2.5";
        };
        Run run = backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofHours(1)), 0);
        assertThat(run.events()).hasSize(12 - 5);
        assertThat(run.events())
                .extracting(CpuEvent::getTs)
                .doesNotContain(
                        nan.minusSeconds(300),
                        negative.minusSeconds(300),
                        inf.minusSeconds(300),
                        noIdle.minusSeconds(300),
                        huge.minusSeconds(300));
        assertThat(run.events()).allSatisfy(e -> {
            assertThat(e.getBusyCpuSeconds()).isEqualTo(1.5);
            assertThat(e.getIdleCpuSeconds()).isEqualTo(2.5);
        });
        assertThat(run.source().anomalies().counts())
                .containsEntry("non-finite or negative", 3L)
                .containsEntry("incomplete", 1L)
                .containsEntry("implausible", 1L)
                .doesNotContainKey("gap");
    }

    @Test
    void aSeriesWithoutTheProjectLabelIsRejectedLoudly() throws Exception {
        server.handler(r -> Reply.json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"instance\":\"h2:9100\",\"machine_name\":\"Muon\"},\"values\":[["
                + T0.plusSeconds(300).getEpochSecond() + ",\"7\"]]}]}}"));
        Run run = backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofMinutes(5)), 0);
        assertThat(run.events()).isEmpty();
        assertThat(run.counts().rejected("invalid")).isEqualTo(1);
    }

    @Test
    void transientErrorsAreRetriedAndRefusedQueriesFail() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        fault = r -> calls.incrementAndGet() <= 2
                ? Reply.status(503, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}")
                : null;
        Run run = backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofMinutes(30)), 3);
        assertThat(run.events()).hasSize(6);
        assertThat(calls.get()).isEqualTo(4); // two 503s, then the busy and the idle query

        fault = r -> Reply.status(
                400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\","
                        + "\"error\":\"exceeded maximum resolution of 11,000 points per timeseries\"}");
        assertThatThrownBy(
                        () -> backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofHours(1)), 3))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("maximum resolution");

        // A range too heavy for the server's query.max-samples is read in halves, down to what it accepts.
        ranges.clear();
        fault = r -> Duration.between(seconds(r.param("start")), seconds(r.param("end")))
                                .toMinutes()
                        >= 10
                ? Reply.status(
                        422,
                        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query"
                                + " processing would load too many samples into memory in query execution\"}")
                : null;
        Run halves = backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofMinutes(30)), 0);
        assertThat(halves.events())
                .extracting(CpuEvent::getTs)
                .containsExactly(
                        T0,
                        T0.plusSeconds(300),
                        T0.plusSeconds(600),
                        T0.plusSeconds(900),
                        T0.plusSeconds(1200),
                        T0.plusSeconds(1500));

        fault = r -> Reply.json("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"out of memory\"}");
        assertThatThrownBy(
                        () -> backfill(PrometheusSettings.defaults(server.uri()), T0, T0.plus(Duration.ofHours(1)), 3))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("out of memory");
    }

    @Test
    void followingEmitsEachStepOnceItIsCompleteAndRidesOutAnOutage() throws Exception {
        PrometheusSettings s = PrometheusSettings.defaults(server.uri()).withDelay(Duration.ofMinutes(1));
        TestClock clock = new TestClock(Instant.parse("2025-09-01T10:07:30Z"), 4);
        List<String> violations = new ArrayList<>();
        AtomicInteger failing = new AtomicInteger();
        fault = r -> {
            Instant end = seconds(r.param("end"));
            if (end.isAfter(clock.now().minus(Duration.ofMinutes(1)))) {
                violations.add("asked for a step ending " + end + " at " + clock.now());
            }
            // The whole poll at 10:11 fails (no retries), the source must come back for the same step.
            return clock.now().equals(Instant.parse("2025-09-01T10:11:00Z")) && failing.incrementAndGet() == 1
                    ? Reply.status(502, "proxy error")
                    : null;
        };
        Path out = dir.resolve("follow.jsonl");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            Checkpoint cp = new Checkpoint(
                    dir.resolve("follow.json"), PrometheusSource.NAME, PrometheusSource.followJob(s, Optional.empty()));
            new PrometheusSource(
                            s,
                            new PrometheusClient(new HttpFetcher(http(0)), s.url()),
                            sink,
                            new Committer(sink, cp),
                            p -> {})
                    .follow(Optional.empty(), Optional.empty(), clock);
        }
        assertThat(violations).isEmpty();
        assertThat(JsonLinesFiles.read(out, CpuEvent.class))
                .extracting(e -> e.getTs().toString())
                .containsExactly(
                        "2025-09-01T10:00:00Z", "2025-09-01T10:05:00Z", "2025-09-01T10:10:00Z", "2025-09-01T10:15:00Z");
        // 10:07:30 → the step 10:00; sleep to 10:11 (10:05 + 5m + delay) → that poll fails; retry at
        // 10:12 → 10:05; sleep to 10:16 → 10:10; sleep to 10:21 → 10:15; the fifth sleep stops it.
        assertThat(clock.sleeps())
                .extracting(Instant::toString)
                .containsExactly(
                        "2025-09-01T10:11:00Z", "2025-09-01T10:12:00Z", "2025-09-01T10:16:00Z", "2025-09-01T10:21:00Z");
    }
}

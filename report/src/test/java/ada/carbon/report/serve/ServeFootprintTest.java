package ada.carbon.report.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.Fact;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.schemas.Times;
import ada.carbon.sink.AdaDatabase;
import ada.carbon.sink.SinkBatch;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import ada.carbon.sink.SinkChange.UserChange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The footprint, quality and regional intensity through the API, over a database whose figures are worked out by
 * hand (SPEC 4's): the platform's two hours are SPEC 4's 1,000 busy and 5,000 idle CPU-seconds at 185 g/kWh, all
 * priced with actuals, from one host for the whole hour; then a 4-vCPU host reporting 300 s (1,200 CPU-seconds,
 * 0.1982 g embodied), priced with a region's forecast.
 */
class ServeFootprintTest {
    private static final Offset<Double> EPS = within(1e-12);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T10 = "2025-09-11T10:00:00Z";
    private static final String T11 = "2025-09-11T11:00:00Z";
    /** g per core-hour: 1,000 kg over 35,040 hours and 48 cores. */
    private static final double E = 1_000_000.0 / 35_040 / 48;

    private static final double KWH10 = 1000 * 12 / 3.6e6 + 5000 / 3.6e6;
    private static final double KWH11 = 600 * 12 / 3.6e6 + 600 / 3.6e6;

    @TempDir
    static Path dir;

    static CarbonServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Fact fact(String scope, String ts, String entity, double busyS, double idleS, boolean footprint) {
        double busyKwh = busyS * 12 / 3.6e6;
        double idleKwh = idleS / 3.6e6;
        Fact.Builder f = Fact.newBuilder()
                .setScope(scope)
                .setTs(Times.parse(ts))
                .setEntity(entity)
                .setBusyCpuSecondsTotal(busyS)
                .setIdleCpuSecondsTotal(idleS)
                .setBusyKwh(busyKwh)
                .setIdleKwh(idleKwh)
                .setBusyGCo2eq(busyKwh * 185)
                .setIdleGCo2eq(idleKwh * 185)
                .setIntensityGCo2eqKwh(185);
        if (footprint) {
            boolean ten = ts.equals(T10);
            f.setEmbodiedGCo2eq((busyS + idleS) / 3600 * E)
                    .setKwhActual(ten ? busyKwh + idleKwh : 0.0)
                    .setKwhForecast(0.0)
                    .setKwhRegional(ten ? 0.0 : busyKwh + idleKwh)
                    .setKwhFallback(0.0)
                    .setHostSeconds(ten ? 3600.0 : 300.0)
                    .setHosts(1L);
        }
        return f.build();
    }

    @BeforeAll
    static void serve() throws Exception {
        Path db = dir.resolve("footprint.db");
        SinkBatch batch = new SinkBatch()
                .add(UserChange.of(new UserEvent("u1", "One", "G1", List.of("P"))))
                .add(UserChange.of(new UserEvent("u2", "Two", "G1", List.of("P"))));
        for (String scope : List.of("ada", "project")) {
            String entity = scope.equals("ada") ? null : "P";
            batch.add(FactChange.upsert(fact(scope, T10, entity, 1000, 5000, true)));
            batch.add(FactChange.upsert(fact(scope, T11, entity, 600, 600, true)));
        }
        batch.add(FactChange.upsert(fact("user", T10, "u1", 1000, 5000, true)));
        // u2's fact was computed before embodied carbon and quality were.
        batch.add(FactChange.upsert(fact("user", T11, "u2", 600, 600, false)));
        batch.add(SlotChange.upsert(
                new SlotIntensity(Times.parse(T10), 185.0, 190.0, "moderate", 190.0, "actual", true, 12, null)));
        batch.add(SlotChange.upsert(
                new SlotIntensity(Times.parse(T11), 185.0, null, "moderate", 120.0, "regional", true, 12, 120.0)));
        try (AdaDatabase sink = AdaDatabase.open(db)) {
            assertThat(sink.apply(batch).skipped()).isZero();
        }
        server = CarbonServer.start(new CarbonServer.Settings(db, "127.0.0.1", 0, null, null, 2, Duration.ofDays(7)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void thePlatformsFootprintAndQuality() throws Exception {
        JsonNode all = get("/carbon/footprint");
        JsonNode f = all.get("footprint");
        double busy = (1000 + 600) * 12 / 3.6e6 * 185;
        double idle = (5000 + 600) / 3.6e6 * 185;
        assertThat(f.get("busy_gco2eq").asDouble()).isCloseTo(busy, EPS);
        assertThat(f.get("operational_gco2eq").asDouble()).isCloseTo(busy + idle, EPS);
        // 2 core-hours: 1.6667 + 0.3333.
        assertThat(f.get("embodied_gco2eq").asDouble()).isCloseTo(2 * E, EPS).isCloseTo(1.1891, within(1e-4));
        assertThat(f.get("total_gco2eq").asDouble()).isCloseTo(busy + idle + 2 * E, EPS);
        JsonNode q = all.get("quality");
        assertThat(q.get("kwh").asDouble()).isCloseTo(KWH10 + KWH11, EPS);
        assertThat(q.get("measured_share").asDouble()).isCloseTo(KWH10 / (KWH10 + KWH11), EPS);
        assertThat(q.get("fallback_share").asDouble()).isZero();
        // 3,600 s of one host's hour, then 300 s of another's.
        assertThat(q.get("coverage").asDouble()).isCloseTo(3900.0 / 7200, EPS);
        assertThat(all.get("note").isNull()).isTrue();
        assertThat(all.get("units").get("share").asText()).isEqualTo("a fraction of 1");

        JsonNode eleven = get("/carbon/footprint?scope=project&id=P&from=2025-09-11T11:00Z&to=2025-09-11T12:00Z");
        assertThat(eleven.get("footprint").get("embodied_gco2eq").asDouble()).isCloseTo(0.1982, within(1e-4));
        assertThat(eleven.get("quality").get("measured_share").asDouble()).isZero();
        assertThat(eleven.get("quality").get("coverage").asDouble()).isCloseTo(300.0 / 3600, EPS);
    }

    @Test
    void whatIsNotKnownIsNullAndSaysWhy() throws Exception {
        JsonNode g1 = get("/carbon/footprint?scope=group&id=G1");
        assertThat(g1.get("footprint").get("operational_gco2eq").asDouble())
                .isCloseTo((1000 + 600) * 12 / 3.6e6 * 185 + (5000 + 600) / 3.6e6 * 185, EPS);
        assertThat(g1.get("footprint").get("embodied_gco2eq").isNull()).isTrue();
        assertThat(g1.get("footprint").get("total_gco2eq").isNull()).isTrue();
        assertThat(g1.get("quality").get("coverage").isNull()).isTrue();
        assertThat(g1.get("note").asText()).contains("reprocess");
        // u1's own facts all have it.
        assertThat(get("/carbon/footprint?scope=user&id=u1")
                        .get("footprint")
                        .get("embodied_gco2eq")
                        .asDouble())
                .isCloseTo(6000 / 3600.0 * E, EPS);
    }

    @Test
    void tablesAndSummariesCarryTheFootprint() throws Exception {
        JsonNode users = get("/users");
        JsonNode u1 = users.get("rows").get(0).get("name").asText().equals("u1")
                ? users.get("rows").get(0)
                : users.get("rows").get(1);
        assertThat(u1.get("embodied_gco2eq").asDouble()).isCloseTo(6000 / 3600.0 * E, EPS);
        assertThat(u1.get("measured_share").asDouble()).isEqualTo(1.0);
        assertThat(u1.get("coverage").asDouble()).isEqualTo(1.0);
        JsonNode groups = get("/groups?from=2025-09-11&to=2025-09-12");
        assertThat(groups.get("rows").get(0).get("embodied_gco2eq").isNull()).isTrue();
        JsonNode summary = get("/projects/P/summary");
        assertThat(summary.get("footprint").get("embodied_gco2eq").asDouble()).isCloseTo(2 * E, EPS);
        assertThat(summary.get("quality").get("coverage").asDouble()).isCloseTo(3900.0 / 7200, EPS);
        assertThat(summary.get("totals_and_averages").get("total_gco2eq").asDouble())
                .isEqualTo(summary.get("footprint").get("total_gco2eq").asDouble());
        assertThat(get("/users/u2/summary").get("note").asText()).contains("reprocess");
    }

    @Test
    void theIntensityRoutesCarryTheRegionalSeries() throws Exception {
        JsonNode slots = get("/carbon/intensity");
        assertThat(slots.get("slots")).hasSize(2);
        assertThat(slots.get("slots").get(1).get("source").asText()).isEqualTo("regional");
        assertThat(slots.get("slots").get(1).get("region").asInt()).isEqualTo(12);
        assertThat(slots.get("slots").get(1).get("regional_forecast").asDouble())
                .isEqualTo(120);
        assertThat(slots.get("slots").get(0).get("regional_forecast").isNull()).isTrue();
        assertThat(slots.get("by_source").get("regional").asInt()).isEqualTo(1);
        assertThat(slots.get("by_source").get("actual").asInt()).isEqualTo(1);
        JsonNode current = get("/carbon/intensity/current");
        assertThat(current.get("source").asText()).isEqualTo("regional");
        assertThat(current.get("regional_forecast").asDouble()).isEqualTo(120);
        assertThat(current.get("newest_actual").get("from").asText()).isEqualTo(T10);
    }
}

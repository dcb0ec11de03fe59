package ada.carbon.sink;

import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.real;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.user;
import static ada.carbon.sink.TestDb.withFootprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.Fact;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.UserChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v_footprint_totals and v_quality_totals over facts whose figures are worked out by hand below (SPEC 2.9, 2.10,
 * 3.3 and the worked figures of SPEC 4), with hourly facts. Energy follows the default power model (12 W busy,
 * 1 W idle); embodied carbon the default server: 1,000 kg over 35,040 hours and 48 cores, 0.5946 g a core-hour.
 */
class FootprintViewsTest {
    private static final Offset<Double> EPS = within(1e-12);
    private static final String T10 = "2025-09-11T10:00:00Z";
    private static final String T11 = "2025-09-11T11:00:00Z";
    /** g per core-hour: 1,000 kg x 1,000 / (4 years x 8,760 h) / 48 cores. */
    private static final double E = 1000.0 * 1000 / (4 * 8760) / 48;

    @TempDir
    static Path dir;

    static Path file;

    /** busyS and idleS CPU-seconds at {@code intensity} g/kWh, from the default power model. */
    private static Fact hour(String scope, String ts, String entity, double busyS, double idleS, double intensity) {
        double busyKwh = busyS * 12 / 3.6e6;
        double idleKwh = idleS / 3.6e6;
        return fact(
                scope, ts, entity, busyS, idleS, busyKwh, idleKwh, busyKwh * intensity, idleKwh * intensity, intensity);
    }

    private static double kwh(double busyS, double idleS) {
        return busyS * 12 / 3.6e6 + idleS / 3.6e6;
    }

    @BeforeAll
    static void load() {
        file = dir.resolve("ada.db");
        double p1t10 = kwh(1000, 5000); // SPEC 4: 0.003333 + 0.001389 kWh
        double p1t11 = kwh(600, 600); // SPEC 4: a 4-vCPU host reporting 300 s, 1,200 CPU-seconds
        try (AdaDatabase db = AdaDatabase.open(file)) {
            ApplyResult result = db.apply(new SinkBatch()
                    .add(UserChange.of(user("u1", "One", "G1")))
                    .add(UserChange.of(user("u2", "Two", "G1")))
                    .add(UserChange.of(user("u3", "Three", "G2")))
                    // IDAaaS at 10:00: half its energy priced with the actual, half with the fallback; two hosts,
                    // one for the whole hour and one for half of it.
                    .add(FactChange.upsert(withFootprint(
                            hour("project", T10, "IDAaaS", 1000, 5000, 192.5),
                            6000 / 3600.0 * E,
                            p1t10 / 2,
                            0,
                            0,
                            p1t10 / 2,
                            3600 + 1800,
                            2)))
                    // ... and at 11:00 one 4-vCPU host for 300 s, priced with the forecast.
                    .add(FactChange.upsert(withFootprint(
                            hour("project", T11, "IDAaaS", 600, 600, 185), 1200 / 3600.0 * E, 0, p1t11, 0, 0, 300, 1)))
                    // CDAaaS: computed before embodied carbon and quality were.
                    .add(FactChange.upsert(hour("project", T10, "CDAaaS", 3600, 0, 185)))
                    // ISIS: a host that reported the whole hour, all of it idle at zero watts (no energy).
                    .add(FactChange.upsert(
                            withFootprint(fact("project", T10, "ISIS", 0, 0, 0, 0, 0, 0, 185), 0, 0, 0, 0, 0, 3600, 1)))
                    .add(FactChange.upsert(withFootprint(
                            hour("ada", T10, null, 1000, 5000, 192.5),
                            6000 / 3600.0 * E,
                            p1t10 / 2,
                            0,
                            0,
                            p1t10 / 2,
                            5400,
                            2)))
                    .add(FactChange.upsert(withFootprint(
                            hour("user", T10, "u1", 1000, 5000, 192.5),
                            6000 / 3600.0 * E,
                            p1t10 / 2,
                            0,
                            0,
                            p1t10 / 2,
                            5400,
                            2)))
                    .add(FactChange.upsert(hour("user", T10, "u2", 3600, 0, 185)))
                    .add(FactChange.upsert(withFootprint(
                            hour("user", T11, "u3", 600, 600, 185),
                            1200 / 3600.0 * E,
                            0,
                            p1t11 / 4,
                            p1t11 * 3 / 4,
                            0,
                            300,
                            1))));
            assertThat(result.skipped()).isZero();
        }
    }

    @Test
    void theWorkedEmbodiedFiguresOfSpec4() {
        assertThat(E).isCloseTo(0.5946, within(1e-4));
        assertThat(1200 / 3600.0 * E).isCloseTo(0.1982, within(1e-4));
        assertThat(2400.0 * 1000 / (5 * 8760) / 16).isCloseTo(3.4247, within(1e-4));
    }

    @Test
    void footprintTotalsAreOperationalAndEmbodiedSideBySide() {
        Map<String, Object> idaaas =
                only("SELECT * FROM v_footprint_totals WHERE scope = 'project' AND entity = 'IDAaaS'");
        double busy = 1000 * 12 / 3.6e6 * 192.5 + 600 * 12 / 3.6e6 * 185;
        double idle = 5000 / 3.6e6 * 192.5 + 600 / 3.6e6 * 185;
        double embodied = (6000 + 1200) / 3600.0 * E; // 2 core-hours: 1.1891 g
        assertThat(real(idaaas.get("busy_gCo2eq"))).isCloseTo(busy, EPS);
        assertThat(real(idaaas.get("idle_gCo2eq"))).isCloseTo(idle, EPS);
        assertThat(real(idaaas.get("embodied_gCo2eq"))).isCloseTo(embodied, EPS).isCloseTo(1.1891, within(1e-4));
        assertThat(real(idaaas.get("total_gCo2eq"))).isCloseTo(busy + idle + embodied, EPS);

        Map<String, Object> ada = only("SELECT * FROM v_footprint_totals WHERE scope = 'ada'");
        assertThat(ada.get("entity")).isNull();
        assertThat(real(ada.get("embodied_gCo2eq"))).isCloseTo(6000 / 3600.0 * E, EPS);

        // A zero is a figure: no energy and no embodied carbon is a total of zero, not an unknown.
        Map<String, Object> isis = only("SELECT * FROM v_footprint_totals WHERE entity = 'ISIS'");
        assertThat(real(isis.get("embodied_gCo2eq"))).isZero();
        assertThat(real(isis.get("total_gCo2eq"))).isZero();
    }

    @Test
    void anEntityWithAFactWithoutItsEmbodiedRowHasNoEmbodiedTotal() {
        Map<String, Object> cdaaas = only("SELECT * FROM v_footprint_totals WHERE entity = 'CDAaaS'");
        assertThat(real(cdaaas.get("busy_gCo2eq"))).isCloseTo(3600 * 12 / 3.6e6 * 185, EPS);
        assertThat(cdaaas.get("embodied_gCo2eq"))
                .as("not known: never counted as zero")
                .isNull();
        assertThat(cdaaas.get("total_gCo2eq")).isNull();
        // G1 is u1 (computed) and u2 (not): its operational carbon is known, its embodied carbon is not.
        Map<String, Object> g1 = only("SELECT * FROM v_footprint_totals WHERE scope = 'group' AND entity = 'G1'");
        assertThat(real(g1.get("busy_gCo2eq"))).isCloseTo(1000 * 12 / 3.6e6 * 192.5 + 3600 * 12 / 3.6e6 * 185, EPS);
        assertThat(g1.get("embodied_gCo2eq")).isNull();
        assertThat(g1.get("total_gCo2eq")).isNull();
        Map<String, Object> g2 = only("SELECT * FROM v_footprint_totals WHERE scope = 'group' AND entity = 'G2'");
        assertThat(real(g2.get("embodied_gCo2eq"))).isCloseTo(0.1982, within(1e-4));
    }

    @Test
    void everyScopeAndEntityWithFactsHasOneRow() {
        assertThat(rows(file, "SELECT scope, entity FROM v_footprint_totals ORDER BY scope, entity"))
                .extracting(r -> r.get("scope") + ":" + r.get("entity"))
                .containsExactly(
                        "ada:null",
                        "group:G1",
                        "group:G2",
                        "project:CDAaaS",
                        "project:IDAaaS",
                        "project:ISIS",
                        "user:u1",
                        "user:u2",
                        "user:u3");
        assertThat(rows(file, "SELECT scope, entity FROM v_quality_totals ORDER BY scope, entity"))
                .isEqualTo(rows(file, "SELECT scope, entity FROM v_footprint_totals ORDER BY scope, entity"));
    }

    @Test
    void qualityTotalsAreTheMeasuredShareAndTheCoverage() {
        Map<String, Object> idaaas =
                only("SELECT * FROM v_quality_totals WHERE scope = 'project' AND entity = 'IDAaaS'");
        double kwh = kwh(1000, 5000) + kwh(600, 600); // 0.0047222 + 0.0021667
        assertThat(real(idaaas.get("kwh"))).isCloseTo(kwh, EPS);
        // Half of 10:00's energy was priced with the actual, the other half with the fallback.
        assertThat(real(idaaas.get("measured_share")))
                .isCloseTo(kwh(1000, 5000) / 2 / kwh, EPS)
                .isCloseTo(0.3427, within(1e-4));
        assertThat(real(idaaas.get("fallback_share"))).isCloseTo(kwh(1000, 5000) / 2 / kwh, EPS);
        // 1.5 host-hours of two hosts at 10:00, 300 s of one at 11:00: 5,700 s of 3 x 3,600.
        assertThat(real(idaaas.get("coverage"))).isCloseTo(5700.0 / 10800, EPS);

        Map<String, Object> u3 = only("SELECT * FROM v_quality_totals WHERE entity = 'u3'");
        assertThat(real(u3.get("measured_share"))).isZero(); // forecast and regional only
        assertThat(real(u3.get("fallback_share"))).isZero();
        assertThat(real(u3.get("coverage"))).isCloseTo(300.0 / 3600, EPS);
    }

    @Test
    void sharesAreNullWithoutEnergyAndEverythingButEnergyIsNullWithAFactMissingItsQuality() {
        Map<String, Object> isis = only("SELECT * FROM v_quality_totals WHERE entity = 'ISIS'");
        assertThat(real(isis.get("kwh"))).isZero();
        assertThat(isis.get("measured_share")).isNull();
        assertThat(isis.get("fallback_share")).isNull();
        assertThat(real(isis.get("coverage"))).isEqualTo(1.0);

        Map<String, Object> cdaaas = only("SELECT * FROM v_quality_totals WHERE entity = 'CDAaaS'");
        assertThat(real(cdaaas.get("kwh"))).isCloseTo(0.012, EPS);
        assertThat(cdaaas.get("measured_share")).isNull();
        assertThat(cdaaas.get("fallback_share")).isNull();
        assertThat(cdaaas.get("coverage")).isNull();
        Map<String, Object> g1 = only("SELECT * FROM v_quality_totals WHERE entity = 'G1'");
        assertThat(real(g1.get("kwh"))).isCloseTo(kwh(1000, 5000) + 0.012, EPS);
        assertThat(g1.get("measured_share")).isNull();
        assertThat(g1.get("coverage")).isNull();
    }

    private static Map<String, Object> only(String sql) {
        List<Map<String, Object>> r = rows(file, sql);
        assertThat(r).as(sql).hasSize(1);
        return r.get(0);
    }
}

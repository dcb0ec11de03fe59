package ada.carbon.sink;

import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.priced;
import static ada.carbon.sink.TestDb.real;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * The SPEC 3.2 views over a handful of facts whose figures are worked out by hand below. Carbon is
 * energy × intensity throughout; cpu seconds follow the default power model (12 W busy, 1 W idle).
 */
class ViewsTest {
    private static final Offset<Double> EPS = within(1e-9);
    private static final String T10 = "2025-09-11T10:00:00Z";
    private static final String T11 = "2025-09-11T11:00:00Z";

    @TempDir
    static Path dir;

    static Path file;

    @BeforeAll
    static void load() {
        file = dir.resolve("ada.db");
        try (AdaDatabase db = AdaDatabase.open(file)) {
            db.apply(new SinkBatch()
                    .add(UserChange.of(user("u1", "One", "G1")))
                    .add(UserChange.of(user("u2", "Two", "G1")))
                    .add(UserChange.of(user("u3", "Three", null)))
                    .add(UserChange.of(user("u4", "Four", "G2")))
                    // SPEC 4: 1,000 busy s and 5,000 idle s at 185 g/kWh.
                    .add(FactChange.upsert(fact(
                            "ada",
                            T10,
                            null,
                            1000,
                            5000,
                            1000 * 12 / 3.6e6,
                            5000 / 3.6e6,
                            1000 * 12 / 3.6e6 * 185,
                            5000 / 3.6e6 * 185,
                            185)))
                    // IDAaaS: 0.012 + 0.002 kWh at 200, then 0.024 + 0.001 kWh at 100 with no stored intensity.
                    .add(FactChange.upsert(priced("project", T10, "IDAaaS", 0.012, 0.002, 200)))
                    .add(FactChange.upsert(
                            fact("project", T11, "IDAaaS", 7200, 3600, 0.024, 0.001, 2.4, 0.1, Double.NaN)))
                    // CDAaaS: no energy; its stored intensity is the mean of the slots' (SPEC 2.5).
                    .add(FactChange.upsert(fact("project", T10, "CDAaaS", 0, 0, 0, 0, 0, 0, 150)))
                    .add(FactChange.upsert(priced("machine", T10, "Muon", 0.012, 0.002, 200)))
                    .add(FactChange.upsert(priced("user", T10, "u1", 0.012, 0.002, 200)))
                    .add(FactChange.upsert(priced("user", T10, "u2", 0.006, 0.004, 200)))
                    .add(FactChange.upsert(priced("user", T11, "u2", 0.024, 0.001, 100)))
                    .add(FactChange.upsert(priced("user", T10, "u3", 0.012, 0, 200))));
        }
    }

    @Test
    void adaTimeseriesReproducesTheWorkedFigure() {
        List<Map<String, Object>> ada = rows(file, "SELECT * FROM v_ada_timeseries");
        assertThat(ada).hasSize(1);
        assertThat(ada.get(0).get("ts")).isEqualTo(T10);
        assertThat(real(ada.get(0).get("busy_kwh"))).isCloseTo(0.003333, within(1e-6));
        assertThat(real(ada.get(0).get("idle_kwh"))).isCloseTo(0.001389, within(1e-6));
        assertThat(real(ada.get(0).get("busy_gCo2eq"))).isCloseTo(0.6167, within(1e-4));
        assertThat(real(ada.get(0).get("idle_gCo2eq"))).isCloseTo(0.2569, within(1e-4));
        assertThat(real(ada.get(0).get("intensity_gCo2eq_kwh"))).isEqualTo(185.0);
    }

    @Test
    void projectTimeseriesShowsStoredIntensityElseCarbonOverEnergy() {
        List<Map<String, Object>> p = rows(file, "SELECT * FROM v_project_timeseries ORDER BY cloud_project_name, ts");
        assertThat(p)
                .extracting(r -> r.get("cloud_project_name") + "@" + r.get("ts"))
                .containsExactly("CDAaaS@" + T10, "IDAaaS@" + T10, "IDAaaS@" + T11);
        assertThat(real(p.get(0).get("intensity_gCo2eq_kwh"))).isEqualTo(150.0);
        assertThat(real(p.get(1).get("intensity_gCo2eq_kwh"))).isEqualTo(200.0);
        // (2.4 + 0.1) g / (0.024 + 0.001) kWh
        assertThat(real(p.get(2).get("intensity_gCo2eq_kwh"))).isCloseTo(100.0, EPS);
        assertThat(real(p.get(2).get("busy_cpu_seconds_total"))).isEqualTo(7200.0);
        assertThat(real(p.get(2).get("idle_cpu_seconds_total"))).isEqualTo(3600.0);
    }

    @Test
    void machineAndUserTimeseriesNameTheirEntity() {
        assertThat(rows(file, "SELECT machine_name, ts FROM v_machine_timeseries"))
                .containsExactly(FactsTest.row("machine_name", "Muon", "ts", T10));
        assertThat(rows(file, "SELECT user_id, ts FROM v_user_timeseries ORDER BY user_id, ts"))
                .extracting(r -> r.get("user_id") + "@" + r.get("ts"))
                .containsExactly("u1@" + T10, "u2@" + T10, "u2@" + T11, "u3@" + T10);
    }

    @Test
    void projectTotalsSumEveryFact() {
        Map<String, Object> idaaas = only("SELECT * FROM v_project_totals WHERE cloud_project_name = 'IDAaaS'");
        assertThat(real(idaaas.get("busy_cpu_seconds_total"))).isCloseTo(3600 + 7200, EPS);
        assertThat(real(idaaas.get("idle_cpu_seconds_total"))).isCloseTo(7200 + 3600, EPS);
        assertThat(real(idaaas.get("busy_kwh"))).isCloseTo(0.036, EPS);
        assertThat(real(idaaas.get("idle_kwh"))).isCloseTo(0.003, EPS);
        assertThat(real(idaaas.get("busy_gCo2eq"))).isCloseTo(2.4 + 2.4, EPS);
        assertThat(real(idaaas.get("idle_gCo2eq"))).isCloseTo(0.4 + 0.1, EPS);
        assertThat(rows(file, "SELECT cloud_project_name FROM v_project_totals ORDER BY 1"))
                .extracting(r -> r.get("cloud_project_name"))
                .containsExactly("CDAaaS", "IDAaaS");
    }

    @Test
    void userAndGroupTotals() {
        Map<String, Object> u2 = only("SELECT * FROM v_user_totals WHERE user_id = 'u2'");
        assertThat(real(u2.get("busy_kwh"))).isCloseTo(0.030, EPS);
        assertThat(real(u2.get("idle_gCo2eq"))).isCloseTo(0.8 + 0.1, EPS);

        // G1 = u1 + u2 (three facts); u3 has no group; G2's only user has no facts, so no row.
        List<Map<String, Object>> groups = rows(file, "SELECT * FROM v_group_totals");
        assertThat(groups).hasSize(1);
        Map<String, Object> g1 = groups.get(0);
        assertThat(g1.get("group_name")).isEqualTo("G1");
        assertThat(real(g1.get("busy_kwh"))).isCloseTo(0.012 + 0.006 + 0.024, EPS);
        assertThat(real(g1.get("idle_kwh"))).isCloseTo(0.002 + 0.004 + 0.001, EPS);
        assertThat(real(g1.get("busy_gCo2eq"))).isCloseTo(2.4 + 1.2 + 2.4, EPS);
        assertThat(real(g1.get("idle_gCo2eq"))).isCloseTo(0.4 + 0.8 + 0.1, EPS);
        assertThat(real(g1.get("busy_cpu_seconds_total"))).isCloseTo(3600 + 1800 + 7200, within(1e-6));
    }

    @Test
    void projectAveragesAreMeansOverFacts() {
        Map<String, Object> idaaas = only("SELECT * FROM v_project_averages WHERE cloud_project_name = 'IDAaaS'");
        assertThat(real(idaaas.get("avg_busy_energy_kwh"))).isCloseTo(0.018, EPS);
        assertThat(real(idaaas.get("avg_idle_energy_kwh"))).isCloseTo(0.0015, EPS);
        assertThat(real(idaaas.get("avg_busy_carbon_gCo2eq"))).isCloseTo(2.4, EPS);
        assertThat(real(idaaas.get("avg_idle_carbon_gCo2eq"))).isCloseTo(0.25, EPS);
        // mean of 200 and 100 — not total carbon / total energy (5.3 / 0.039 = 135.9)
        assertThat(real(idaaas.get("avg_intensity_gCo2eq_kwh"))).isCloseTo(150.0, EPS);

        // No fact of CDAaaS has energy, so it has no intensity to average.
        Map<String, Object> cdaaas = only("SELECT * FROM v_project_averages WHERE cloud_project_name = 'CDAaaS'");
        assertThat(real(cdaaas.get("avg_busy_energy_kwh"))).isZero();
        assertThat(cdaaas.get("avg_intensity_gCo2eq_kwh")).isNull();
    }

    @Test
    void groupAndUserAverages() {
        Map<String, Object> g1 = only("SELECT * FROM v_group_averages");
        assertThat(g1.get("group_name")).isEqualTo("G1");
        assertThat(real(g1.get("avg_busy_energy_kwh"))).isCloseTo(0.042 / 3, EPS);
        assertThat(real(g1.get("avg_idle_energy_kwh"))).isCloseTo(0.007 / 3, EPS);
        assertThat(real(g1.get("avg_busy_carbon_gCo2eq"))).isCloseTo(6.0 / 3, EPS);
        assertThat(real(g1.get("avg_idle_carbon_gCo2eq"))).isCloseTo(1.3 / 3, EPS);
        assertThat(real(g1.get("avg_intensity_gCo2eq_kwh"))).isCloseTo((200 + 200 + 100) / 3.0, EPS);

        Map<String, Object> u3 = only("SELECT * FROM v_user_averages WHERE user_id = 'u3'");
        assertThat(real(u3.get("avg_intensity_gCo2eq_kwh"))).isCloseTo(200.0, EPS);
        assertThat(real(only("SELECT * FROM v_machine_averages").get("avg_intensity_gCo2eq_kwh")))
                .isCloseTo(200.0, EPS);
    }

    @Test
    void adaExtrasMatchTheAdaTimeseries() {
        Map<String, Object> totals = only("SELECT * FROM v_ada_totals");
        assertThat(real(totals.get("busy_cpu_seconds_total"))).isEqualTo(1000.0);
        Map<String, Object> averages = only("SELECT * FROM v_ada_averages");
        assertThat(real(averages.get("avg_intensity_gCo2eq_kwh"))).isCloseTo(185.0, EPS);
    }

    private static Map<String, Object> only(String sql) {
        List<Map<String, Object>> r = rows(file, sql);
        assertThat(r).as(sql).hasSize(1);
        return r.get(0);
    }
}

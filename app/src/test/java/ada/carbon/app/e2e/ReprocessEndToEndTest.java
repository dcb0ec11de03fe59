package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code reprocess}: the raw topics recomputed with a new power model into a new database. */
class ReprocessEndToEndTest {
    private static final String FACTS = "SELECT scope || '|' || ts || '|' || IFNULL(p.cloud_project_name, '')"
            + " || '|' || IFNULL(m.machine_name, '') || '|' || IFNULL(f.user_id, '') AS k,"
            + " busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq,"
            + " intensity_gCo2eq_kwh FROM fact_usage f LEFT JOIN dim_project p USING (project_id)"
            + " LEFT JOIN dim_machine m USING (machine_id)";

    @Test
    void doublingTheBusyWattsDoublesBusyEnergyAndCarbonAndNothingElse() {
        ReferenceLoad ref = ReferenceLoad.get();
        assertThat(ref.reprocess.exitCode())
                .as("reprocess's exit code; stderr:\n%s", ref.reprocess.stderr())
                .isZero();
        assertThat(ref.reprocess.stdout()).contains("reprocessed the raw topics into");

        Map<String, Map<String, Object>> before = byKey(E2e.query(ref.db, FACTS));
        Map<String, Map<String, Object>> after = byKey(E2e.query(ref.reprocessed, FACTS));
        assertThat(after.keySet()).isEqualTo(before.keySet()).isNotEmpty();
        before.forEach((key, old) -> {
            Map<String, Object> now = after.get(key);
            double busyKwh = num(old, "busy_kwh"), idleKwh = num(old, "idle_kwh");
            double busyG = num(old, "busy_gCo2eq"), idleG = num(old, "idle_gCo2eq");
            assertThat(num(now, "busy_cpu_seconds_total")).isEqualTo(num(old, "busy_cpu_seconds_total"));
            assertThat(num(now, "idle_cpu_seconds_total")).isEqualTo(num(old, "idle_cpu_seconds_total"));
            assertThat(num(now, "busy_kwh")).as(key).isCloseTo(2 * busyKwh, within(1e-9 * busyKwh + 1e-15));
            assertThat(num(now, "idle_kwh")).as(key).isCloseTo(idleKwh, within(1e-9 * idleKwh + 1e-15));
            assertThat(num(now, "busy_gCo2eq")).as(key).isCloseTo(2 * busyG, within(1e-9 * busyG + 1e-15));
            assertThat(num(now, "idle_gCo2eq")).as(key).isCloseTo(idleG, within(1e-9 * idleG + 1e-15));
            if (busyKwh + idleKwh > 0) {
                double intensity = (2 * busyG + idleG) / (2 * busyKwh + idleKwh);
                assertThat(num(now, "intensity_gCo2eq_kwh")).as(key).isCloseTo(intensity, within(1e-9 * intensity));
            }
        });
        // The registry side is the same: it does not depend on the power model.
        for (String table : List.of("dim_user", "map_user_project", "map_project_machine", "fact_intensity")) {
            assertThat(E2e.query(ref.reprocessed, "SELECT COUNT(*) AS n FROM " + table))
                    .isEqualTo(E2e.query(ref.db, "SELECT COUNT(*) AS n FROM " + table));
        }
    }

    private static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        rows.forEach(r -> out.put((String) r.get("k"), r));
        return out;
    }

    private static double num(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).doubleValue();
    }
}

package ada.carbon.app.e2e;

import static ada.carbon.app.e2e.E2e.assertClose;
import static ada.carbon.app.e2e.E2e.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The SPEC invariants any database must satisfy, whatever events made it. */
final class Invariants {
    static final String[] METRICS = {
        "busy_cpu_seconds_total", "idle_cpu_seconds_total", "busy_kwh", "idle_kwh", "busy_gCo2eq", "idle_gCo2eq"
    };

    private Invariants() {}

    /**
     * SPEC 2.4: for every bucket, the ada row equals the sum of the project rows and the sum of the machine
     * rows, and the user rows sum to no more than it (every metric, relative 1e-9).
     *
     * @return how many buckets were checked
     */
    static int assertScopesBalance(Path db) {
        StringBuilder sums = new StringBuilder("SELECT ts, scope, COUNT(*) AS n");
        for (String m : METRICS) {
            sums.append(", TOTAL(").append(m).append(") AS ").append(m);
        }
        sums.append(" FROM fact_usage GROUP BY ts, scope");
        Map<String, Map<String, Map<String, Object>>> byTs = new TreeMap<>();
        for (Map<String, Object> r : E2e.query(db, sums.toString())) {
            byTs.computeIfAbsent((String) r.get("ts"), k -> new TreeMap<>()).put((String) r.get("scope"), r);
        }
        assertThat(byTs).as("fact_usage buckets").isNotEmpty();
        for (var e : byTs.entrySet()) {
            String ts = e.getKey();
            Map<String, Map<String, Object>> scopes = e.getValue();
            assertThat(scopes.keySet()).as("scopes at %s", ts).isSubsetOf(Set.of("ada", "project", "machine", "user"));
            assertThat(scopes).as("scopes at %s", ts).containsKeys("ada", "project", "machine");
            assertThat(number(scopes.get("ada").get("n")))
                    .as("ada rows at %s", ts)
                    .isEqualTo(1.0);
            for (String m : METRICS) {
                double ada = number(scopes.get("ada").get(m));
                assertClose(
                        "sum of project " + m + " at " + ts,
                        ada,
                        number(scopes.get("project").get(m)));
                assertClose(
                        "sum of machine " + m + " at " + ts,
                        ada,
                        number(scopes.get("machine").get(m)));
                double users =
                        scopes.containsKey("user") ? number(scopes.get("user").get(m)) : 0;
                if (users > ada * (1 + E2e.REL) + 1e-12) {
                    fail("sum of user %s at %s is %s, more than ada's %s", m, ts, users, ada);
                }
            }
        }
        return byTs.size();
    }

    /** The v_*_totals views equal the sums of the matching timeseries views, entity by entity. */
    static void assertTotalsAreSumsOfTimeseries(Path db) {
        assertSums(db, "v_project_totals", "v_project_timeseries", "cloud_project_name");
        assertSums(db, "v_machine_totals", "v_machine_timeseries", "machine_name");
        assertSums(db, "v_user_totals", "v_user_timeseries", "user_id");
        // Groups: the user timeseries of the group's users.
        StringBuilder groupSums = new StringBuilder("SELECT g.group_name AS entity");
        for (String m : METRICS) {
            groupSums.append(", TOTAL(t.").append(m).append(") AS ").append(m);
        }
        groupSums.append(" FROM v_user_timeseries t JOIN dim_user u ON u.user_id = t.user_id "
                + "JOIN dim_group g ON g.group_id = u.group_id GROUP BY g.group_name");
        compare(
                "v_group_totals",
                E2e.query(db, "SELECT group_name AS entity, * FROM v_group_totals"),
                E2e.query(db, groupSums.toString()));
    }

    private static void assertSums(Path db, String totals, String timeseries, String entity) {
        StringBuilder sums = new StringBuilder("SELECT " + entity + " AS entity");
        for (String m : METRICS) {
            sums.append(", TOTAL(").append(m).append(") AS ").append(m);
        }
        sums.append(" FROM ").append(timeseries).append(" GROUP BY ").append(entity);
        compare(
                totals,
                E2e.query(db, "SELECT " + entity + " AS entity, * FROM " + totals),
                E2e.query(db, sums.toString()));
    }

    private static void compare(String what, List<Map<String, Object>> totals, List<Map<String, Object>> sums) {
        Map<String, Map<String, Object>> byEntity = new TreeMap<>();
        sums.forEach(r -> byEntity.put((String) r.get("entity"), r));
        assertThat(totals).as(what + " rows").hasSize(byEntity.size());
        for (Map<String, Object> t : totals) {
            String entity = (String) t.get("entity");
            assertThat(byEntity).as(what).containsKey(entity);
            for (String m : METRICS) {
                assertClose(
                        what + " " + entity + " " + m,
                        number(byEntity.get(entity).get(m)),
                        number(t.get(m)));
            }
        }
    }
}

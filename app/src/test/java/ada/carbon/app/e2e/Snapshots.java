package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every table and view of a database by natural keys (names, labels, times) rather than surrogate ids, so
 * that two databases made from the same events compare equal however their ids were handed out.
 */
final class Snapshots {
    /** Tables read through their natural keys. The sink's consumer positions differ from run to run by nature. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("dim_group", "SELECT group_name FROM dim_group");
        TABLES.put(
                "dim_user",
                "SELECT u.user_id, u.display_name, g.group_name FROM dim_user u "
                        + "LEFT JOIN dim_group g ON g.group_id = u.group_id");
        TABLES.put("dim_project", "SELECT cloud_project_name FROM dim_project");
        TABLES.put("dim_machine", "SELECT machine_name FROM dim_machine");
        TABLES.put("dim_instance", "SELECT host, port, raw_label FROM dim_instance");
        TABLES.put(
                "map_user_project",
                "SELECT x.user_id, p.cloud_project_name FROM map_user_project x "
                        + "JOIN dim_project p ON p.project_id = x.project_id");
        TABLES.put(
                "map_project_machine",
                "SELECT p.cloud_project_name, m.machine_name FROM map_project_machine x "
                        + "JOIN dim_project p ON p.project_id = x.project_id JOIN dim_machine m ON m.machine_id = x.machine_id");
        TABLES.put(
                "fact_usage",
                "SELECT f.ts, f.scope, p.cloud_project_name, m.machine_name, f.user_id, "
                        + "f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, "
                        + "f.idle_gCo2eq, f.intensity_gCo2eq_kwh FROM fact_usage f "
                        + "LEFT JOIN dim_project p ON p.project_id = f.project_id LEFT JOIN dim_machine m ON m.machine_id = f.machine_id");
        String factKey = "f.ts, f.scope, p.cloud_project_name, m.machine_name, f.user_id FROM fact_usage f "
                + "LEFT JOIN dim_project p ON p.project_id = f.project_id LEFT JOIN dim_machine m ON m.machine_id = f.machine_id";
        TABLES.put(
                "fact_embodied",
                "SELECT e.embodied_gCo2eq, " + factKey + " JOIN fact_embodied e ON e.usage_id = f.usage_id");
        TABLES.put(
                "fact_quality",
                "SELECT q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, " + "q.hosts, "
                        + factKey + " JOIN fact_quality q ON q.usage_id = f.usage_id");
        TABLES.put("fact_intensity", "SELECT * FROM fact_intensity");
        TABLES.put(
                "active_workspace",
                "SELECT w.workspace_key, i.raw_label, m.machine_name, w.user_id, "
                        + "p.cloud_project_name, w.started_at FROM active_workspace w "
                        + "JOIN dim_instance i ON i.instance_id = w.instance_id JOIN dim_machine m ON m.machine_id = w.machine_id "
                        + "LEFT JOIN dim_project p ON p.project_id = w.project_id");
        TABLES.put(
                "sink_workspace",
                "SELECT w.workspace_key, i.raw_label, w.owner, p.cloud_project_name, m.machine_name, "
                        + "w.created_time, w.deleted_time FROM sink_workspace w JOIN dim_instance i ON i.instance_id = w.instance_id "
                        + "JOIN dim_project p ON p.project_id = w.project_id JOIN dim_machine m ON m.machine_id = w.machine_id");
        TABLES.put(
                "sink_user_project",
                "SELECT x.user_id, p.cloud_project_name FROM sink_user_project x "
                        + "JOIN dim_project p ON p.project_id = x.project_id");
        TABLES.put("sink_offset", null);
    }

    private Snapshots() {}

    /** The rows of {@code sql} as lists of values, integers as Long, REALs as Double. */
    static List<List<Object>> tuples(Path db, String sql) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : E2e.query(db, sql)) {
            out.add(normalised(new ArrayList<>(row.values())));
        }
        return out;
    }

    private static List<Object> normalised(List<Object> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(v instanceof Integer i ? Long.valueOf(i) : v instanceof Float f ? Double.valueOf(f) : v);
        }
        return out;
    }

    /** Table or view name to its rows, sorted by their non-float values. */
    static Map<String, List<List<Object>>> of(Path db) {
        Map<String, List<List<Object>>> out = new LinkedHashMap<>();
        for (String table : E2e.schemaObjects(db, "table")) {
            if (TABLES.containsKey(table) && TABLES.get(table) == null) {
                continue;
            }
            // A table not known here is compared whole, ids included: give it a query above if that fails.
            out.put(table, sorted(tuples(db, TABLES.getOrDefault(table, "SELECT * FROM " + table))));
        }
        Map<String, Map<Object, Object>> names = Map.of(
                "project_id", names(db, "SELECT project_id, cloud_project_name FROM dim_project"),
                "machine_id", names(db, "SELECT machine_id, machine_name FROM dim_machine"),
                "group_id", names(db, "SELECT group_id, group_name FROM dim_group"),
                "instance_id", names(db, "SELECT instance_id, raw_label FROM dim_instance"),
                // A view row naming its fact (v_fact_footprint's group rows differ only by it) names it by its
                // natural key.
                "usage_id",
                        names(
                                db,
                                "SELECT f.usage_id, f.scope || '|' || IFNULL(p.cloud_project_name, '') || '|' "
                                        + "|| IFNULL(m.machine_name, '') || '|' || IFNULL(f.user_id, '') || '|' || f.ts FROM fact_usage f "
                                        + "LEFT JOIN dim_project p ON p.project_id = f.project_id "
                                        + "LEFT JOIN dim_machine m ON m.machine_id = f.machine_id"));
        for (String view : E2e.schemaObjects(db, "view")) {
            List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM " + view);
            List<List<Object>> kept = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                // Dimension and fact ids become the names they stand for; other surrogate ids are dropped;
                // user_id is a natural key.
                List<Object> values = new ArrayList<>();
                r.forEach((column, value) -> {
                    if (names.containsKey(column)) {
                        values.add(value == null ? null : names.get(column).get(((Number) value).longValue()));
                    } else if (!column.endsWith("_id") || column.equals("user_id")) {
                        values.add(value);
                    }
                });
                kept.add(normalised(values));
            }
            out.put(view, sorted(kept));
        }
        return out;
    }

    private static Map<Object, Object> names(Path db, String sql) {
        Map<Object, Object> out = new java.util.HashMap<>();
        for (List<Object> row : tuples(db, sql)) {
            out.put(row.get(0), row.get(1));
        }
        return out;
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Snapshots::sortKey));
        return out;
    }

    private static String sortKey(List<Object> row) {
        return row.stream()
                .filter(v -> !(v instanceof Double))
                .map(String::valueOf)
                .collect(Collectors.joining("\u0001"));
    }

    /** Same tables and views, same rows; floats within relative 1e-9 (SPEC 2.6). */
    static void assertSame(
            String what, Map<String, List<List<Object>>> expected, Map<String, List<List<Object>>> actual) {
        assertThat(actual.keySet())
                .as(what + ": tables and views")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> differences = new ArrayList<>();
        for (String name : expected.keySet()) {
            List<List<Object>> e = expected.get(name);
            List<List<Object>> a = actual.get(name);
            if (e.size() != a.size()) {
                differences.add(name + ": " + e.size() + " rows expected, " + a.size() + " found\n  expected " + e
                        + "\n  found    " + a);
                continue;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!rowsMatch(e.get(i), a.get(i))) {
                    differences.add(name + " row " + i + ": expected " + e.get(i) + ", found " + a.get(i));
                }
            }
        }
        if (!differences.isEmpty()) {
            fail(what + ": " + differences.size() + " differences\n" + String.join("\n", differences));
        }
    }

    private static boolean rowsMatch(List<Object> e, List<Object> a) {
        if (e.size() != a.size()) {
            return false;
        }
        for (int i = 0; i < e.size(); i++) {
            Object x = e.get(i);
            Object y = a.get(i);
            if (x instanceof Double dx && y instanceof Double dy) {
                if (!E2e.close(dx, dy)) {
                    return false;
                }
            } else if (!Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }
}

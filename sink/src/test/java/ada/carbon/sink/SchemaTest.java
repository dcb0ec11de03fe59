package ada.carbon.sink;

import static ada.carbon.sink.TestDb.columns;
import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.execute;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    private static final List<String> METRICS = List.of(
            "busy_cpu_seconds_total", "idle_cpu_seconds_total", "busy_kwh", "idle_kwh", "busy_gCo2eq", "idle_gCo2eq");
    private static final List<String> AVERAGES = List.of(
            "avg_busy_energy_kwh",
            "avg_idle_energy_kwh",
            "avg_busy_carbon_gCo2eq",
            "avg_idle_carbon_gCo2eq",
            "avg_intensity_gCo2eq_kwh");

    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void open() {
        file = dir.resolve("ada.db");
        AdaDatabase.open(file).close();
    }

    @Test
    void createsEveryTableOfSpec31WithItsColumnsInOrder() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("dim_group", List.of("group_id", "group_name"));
        expected.put("dim_user", List.of("user_id", "display_name", "group_id"));
        expected.put("dim_project", List.of("project_id", "cloud_project_name"));
        expected.put("dim_machine", List.of("machine_id", "machine_name"));
        expected.put("dim_instance", List.of("instance_id", "host", "port", "raw_label"));
        expected.put("map_user_project", List.of("user_id", "project_id"));
        expected.put("map_project_machine", List.of("project_id", "machine_id"));
        expected.put(
                "fact_usage",
                List.of(
                        "usage_id",
                        "ts",
                        "scope",
                        "project_id",
                        "machine_id",
                        "user_id",
                        "busy_cpu_seconds_total",
                        "idle_cpu_seconds_total",
                        "busy_kwh",
                        "idle_kwh",
                        "busy_gCo2eq",
                        "idle_gCo2eq",
                        "intensity_gCo2eq_kwh"));
        expected.put(
                "active_workspace",
                List.of(
                        "workspace_id",
                        "instance_id",
                        "machine_id",
                        "user_id",
                        "project_id",
                        "started_at",
                        "workspace_key"));
        expected.put(
                "fact_intensity",
                List.of(
                        "ts",
                        "forecast",
                        "actual",
                        "index",
                        "intensity_gCo2eq_kwh",
                        "source",
                        "has_cpu",
                        "region",
                        "regional_forecast"));
        expected.put("fact_embodied", List.of("usage_id", "embodied_gCo2eq"));
        expected.put(
                "fact_quality",
                List.of(
                        "usage_id",
                        "kwh_actual",
                        "kwh_forecast",
                        "kwh_regional",
                        "kwh_fallback",
                        "host_seconds",
                        "hosts"));
        expected.put("sink_settings", List.of("id", "grain_seconds"));
        expected.put("sink_offset", List.of("topic", "partition", "next_offset"));

        expected.forEach((table, cols) -> {
            assertThat(scalar(file, "SELECT type FROM sqlite_master WHERE name = '" + table + "'"))
                    .as(table)
                    .isEqualTo("table");
            assertThat(columns(file, table)).as(table).containsExactlyElementsOf(cols);
        });
    }

    @Test
    void primaryKeysAreThoseOfSpec31() {
        assertThat(primaryKey("dim_group")).containsExactly("group_id");
        assertThat(primaryKey("dim_user")).containsExactly("user_id");
        assertThat(primaryKey("dim_project")).containsExactly("project_id");
        assertThat(primaryKey("dim_machine")).containsExactly("machine_id");
        assertThat(primaryKey("dim_instance")).containsExactly("instance_id");
        assertThat(primaryKey("map_user_project")).containsExactly("user_id", "project_id");
        assertThat(primaryKey("map_project_machine")).containsExactly("project_id", "machine_id");
        assertThat(primaryKey("fact_usage")).containsExactly("usage_id");
        assertThat(primaryKey("active_workspace")).containsExactly("workspace_id");
        assertThat(primaryKey("fact_intensity")).containsExactly("ts");
        assertThat(primaryKey("fact_embodied")).containsExactly("usage_id");
        assertThat(primaryKey("fact_quality")).containsExactly("usage_id");
        assertThat(primaryKey("sink_offset")).containsExactly("topic", "partition");
    }

    @Test
    void foreignKeysPointAtTheDimensions() {
        assertThat(foreignKeys("dim_user")).containsExactly("group_id->dim_group.group_id");
        assertThat(foreignKeys("map_user_project"))
                .containsExactlyInAnyOrder("user_id->dim_user.user_id", "project_id->dim_project.project_id");
        assertThat(foreignKeys("map_project_machine"))
                .containsExactlyInAnyOrder("project_id->dim_project.project_id", "machine_id->dim_machine.machine_id");
        assertThat(foreignKeys("fact_usage"))
                .containsExactlyInAnyOrder(
                        "project_id->dim_project.project_id",
                        "machine_id->dim_machine.machine_id",
                        "user_id->dim_user.user_id");
        assertThat(foreignKeys("active_workspace"))
                .containsExactlyInAnyOrder(
                        "instance_id->dim_instance.instance_id",
                        "machine_id->dim_machine.machine_id",
                        "user_id->dim_user.user_id",
                        "project_id->dim_project.project_id");
        assertThat(foreignKeys("fact_embodied")).containsExactly("usage_id->fact_usage.usage_id");
        assertThat(foreignKeys("fact_quality")).containsExactly("usage_id->fact_usage.usage_id");
    }

    @Test
    void uniqueNamesAndLabels() throws SQLException {
        execute(file, "INSERT INTO dim_project (cloud_project_name) VALUES ('IDAaaS')");
        assertThatThrownBy(() -> execute(file, "INSERT INTO dim_project (cloud_project_name) VALUES ('IDAaaS')"))
                .hasMessageContaining("UNIQUE");
        execute(file, "INSERT INTO dim_instance (host, port, raw_label) VALUES ('h', 9100, 'h:9100')");
        assertThatThrownBy(() ->
                        execute(file, "INSERT INTO dim_instance (host, port, raw_label) VALUES ('h', 9100, 'h:9100')"))
                .hasMessageContaining("UNIQUE");
        execute(file, "INSERT INTO dim_machine (machine_name) VALUES ('M')");
        execute(
                file,
                "INSERT INTO active_workspace (instance_id, machine_id, started_at, workspace_key) VALUES (1, 1, 'x', 'k')");
        assertThatThrownBy(
                        () -> execute(
                                file,
                                "INSERT INTO active_workspace (instance_id, machine_id, started_at, workspace_key) VALUES (1, 1, 'y', 'k')"))
                .hasMessageContaining("UNIQUE");
    }

    @Test
    void createsTheFourteenViewsOfSpec32AndTheTwoOf33WithExactColumns() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("v_ada_timeseries", concat(List.of("ts"), METRICS, List.of("intensity_gCo2eq_kwh")));
        expected.put(
                "v_project_timeseries",
                concat(List.of("cloud_project_name", "ts"), METRICS, List.of("intensity_gCo2eq_kwh")));
        expected.put(
                "v_machine_timeseries",
                concat(List.of("machine_name", "ts"), METRICS, List.of("intensity_gCo2eq_kwh")));
        expected.put("v_user_timeseries", concat(List.of("user_id", "ts"), METRICS, List.of("intensity_gCo2eq_kwh")));
        expected.put("v_project_totals", concat(List.of("cloud_project_name"), METRICS));
        expected.put("v_machine_totals", concat(List.of("machine_name"), METRICS));
        expected.put("v_user_totals", concat(List.of("user_id"), METRICS));
        expected.put("v_group_totals", concat(List.of("group_name"), METRICS));
        expected.put("v_project_averages", concat(List.of("cloud_project_name"), AVERAGES));
        expected.put("v_machine_averages", concat(List.of("machine_name"), AVERAGES));
        expected.put("v_user_averages", concat(List.of("user_id"), AVERAGES));
        expected.put("v_group_averages", concat(List.of("group_name"), AVERAGES));
        // SPEC 3.2 names twelve; the platform-wide totals and averages are extras in the same shape (SPEC 3.3).
        expected.put("v_ada_totals", METRICS);
        expected.put("v_ada_averages", AVERAGES);
        assertThat(expected).hasSize(14);
        // SPEC 3.3's footprint and quality.
        expected.put(
                "v_footprint_totals",
                List.of("scope", "entity", "busy_gCo2eq", "idle_gCo2eq", "embodied_gCo2eq", "total_gCo2eq"));
        expected.put(
                "v_quality_totals", List.of("scope", "entity", "kwh", "measured_share", "fallback_share", "coverage"));
        expected.forEach((view, cols) -> {
            assertThat(scalar(file, "SELECT type FROM sqlite_master WHERE name = '" + view + "'"))
                    .as(view)
                    .isEqualTo("view");
            assertThat(columns(file, view)).as(view).containsExactlyElementsOf(cols);
        });
        List<String> specViews = rows(
                        file,
                        "SELECT name FROM sqlite_master WHERE type = 'view' AND name GLOB 'v_*' "
                                + "AND name NOT GLOB 'v_fact_*'")
                .stream()
                .map(r -> (String) r.get("name"))
                .toList();
        assertThat(specViews).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @Test
    void isIdempotentAndKeepsData() throws SQLException {
        execute(file, "INSERT INTO dim_project (cloud_project_name) VALUES ('IDAaaS')");
        assertThatCode(() -> AdaDatabase.open(file).close()).doesNotThrowAnyException();
        assertThatCode(() -> AdaDatabase.open(file).close()).doesNotThrowAnyException();
        assertThat(count(file, "SELECT * FROM dim_project")).isEqualTo(1);
    }

    @Test
    void usesWriteAheadLogging() {
        assertThat(scalar(file, "PRAGMA journal_mode")).isEqualTo("wal");
    }

    @Test
    void factCheckRequiresExactlyTheKeyOfTheScope() throws SQLException {
        execute(file, "INSERT INTO dim_project (cloud_project_name) VALUES ('P')");
        execute(file, "INSERT INTO dim_machine (machine_name) VALUES ('M')");
        execute(file, "INSERT INTO dim_user (user_id) VALUES ('u')");
        String insert = "INSERT INTO fact_usage (ts, scope, project_id, machine_id, user_id) VALUES ";

        execute(file, insert + "('t', 'ada', NULL, NULL, NULL)");
        execute(file, insert + "('t', 'project', 1, NULL, NULL)");
        execute(file, insert + "('t', 'machine', NULL, 1, NULL)");
        execute(file, insert + "('t', 'user', NULL, NULL, 'u')");

        for (String bad : List.of(
                "('t2', 'ada', 1, NULL, NULL)",
                "('t2', 'project', NULL, NULL, NULL)",
                "('t2', 'project', 1, 1, NULL)",
                "('t2', 'machine', 1, NULL, NULL)",
                "('t2', 'user', NULL, 1, 'u')",
                "('t2', 'user', NULL, NULL, NULL)",
                "('t2', 'cluster', NULL, NULL, NULL)",
                "('t2', 'ADA', NULL, NULL, NULL)")) {
            assertThatThrownBy(() -> execute(file, insert + bad)).as(bad).hasMessageContaining("CHECK");
        }
        assertThat(count(file, "SELECT * FROM fact_usage")).isEqualTo(4);
    }

    @Test
    void factKeyIsUniqueWithNullKeysEqual() throws SQLException {
        execute(file, "INSERT INTO dim_project (cloud_project_name) VALUES ('P'), ('Q')");
        String insert = "INSERT INTO fact_usage (ts, scope, project_id) VALUES ";
        execute(file, insert + "('2025-09-11T10:00:00Z', 'ada', NULL)");
        assertThatThrownBy(() -> execute(file, insert + "('2025-09-11T10:00:00Z', 'ada', NULL)"))
                .hasMessageContaining("UNIQUE");
        execute(file, insert + "('2025-09-11T11:00:00Z', 'ada', NULL)");
        execute(file, insert + "('2025-09-11T10:00:00Z', 'project', 1)");
        execute(file, insert + "('2025-09-11T10:00:00Z', 'project', 2)");
        assertThatThrownBy(() -> execute(file, insert + "('2025-09-11T10:00:00Z', 'project', 2)"))
                .hasMessageContaining("UNIQUE");
        assertThat(count(file, "SELECT * FROM fact_usage")).isEqualTo(4);
    }

    @Test
    void intensitySourcesAreThoseOfSpec33() throws SQLException {
        String insert = "INSERT INTO fact_intensity (ts, intensity_gCo2eq_kwh, source, has_cpu) VALUES ";
        execute(
                file,
                insert
                        + "('a', 1, 'actual', 1), ('b', 1, 'forecast', 1), ('c', 1, 'regional', 1), ('d', 1, 'fallback', 0)");
        assertThatThrownBy(() -> execute(file, insert + "('e', 1, 'guess', 1)")).hasMessageContaining("CHECK");
        assertThat(FactWriter.SOURCES).containsExactly("actual", "forecast", "regional", "fallback");
    }

    @Test
    void foreignKeysAreEnforced() {
        assertThatThrownBy(() ->
                        execute(file, "INSERT INTO fact_usage (ts, scope, project_id) VALUES ('t', 'project', 42)"))
                .hasMessageContaining("FOREIGN KEY");
    }

    private List<String> primaryKey(String table) {
        return rows(file, "SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0 ORDER BY pk").stream()
                .map(r -> (String) r.get("name"))
                .toList();
    }

    private List<String> foreignKeys(String table) {
        return rows(file, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('" + table + "')").stream()
                .map(r -> r.get("from") + "->" + r.get("table") + "." + r.get("to"))
                .toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}

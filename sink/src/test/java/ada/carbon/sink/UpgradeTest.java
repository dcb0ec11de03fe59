package ada.carbon.sink;

import static ada.carbon.sink.TestDb.columns;
import static ada.carbon.sink.TestDb.connect;
import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.regional;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.sink.SinkChange.SlotChange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the sink before fact_embodied, fact_quality and regions (its DDL as of commit 8304be9, kept
 * as a test resource), opened by this sink: every row is kept, and it gains the new tables, columns and views.
 */
class UpgradeTest {
    private static final List<String> OLD_TABLES = List.of(
            "dim_group",
            "dim_user",
            "dim_project",
            "dim_machine",
            "dim_instance",
            "map_user_project",
            "map_project_machine",
            "fact_usage",
            "fact_intensity",
            "active_workspace",
            "sink_workspace",
            "sink_user_project",
            "sink_offset");

    @TempDir
    Path dir;

    /** An old database with rows in every table: a half-hourly one if {@code halfHours}. */
    private Path oldDatabase(boolean halfHours) throws IOException, SQLException {
        Path file = dir.resolve("old.db");
        String ddl;
        try (InputStream in = UpgradeTest.class.getResourceAsStream("/ada/carbon/sink/schema-8304be9.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String second = halfHours ? "2025-09-11T10:30:00Z" : "2025-09-11T11:00:00Z";
        try (Connection c = connect(file);
                Statement s = c.createStatement()) {
            s.executeUpdate(ddl);
            s.executeUpdate("""
                    INSERT INTO dim_group (group_name) VALUES ('RB1');
                    INSERT INTO dim_user (user_id, display_name, group_id) VALUES ('u1', 'One', 1), ('u2', NULL, NULL);
                    INSERT INTO dim_project (cloud_project_name) VALUES ('IDAaaS');
                    INSERT INTO dim_machine (machine_name) VALUES ('Muon');
                    INSERT INTO dim_instance (host, port, raw_label) VALUES ('h1', 9100, 'h1:9100');
                    INSERT INTO map_user_project VALUES ('u1', 1);
                    INSERT INTO map_project_machine VALUES (1, 1);
                    INSERT INTO fact_usage (ts, scope, project_id, machine_id, user_id, busy_cpu_seconds_total,
                        idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq, intensity_gCo2eq_kwh)
                    VALUES ('2025-09-11T10:00:00Z', 'ada', NULL, NULL, NULL, 1000, 5000, 0.003, 0.001, 0.6, 0.2, 185),
                           ('%1$s', 'ada', NULL, NULL, NULL, 10, 50, 0.03, 0.01, 6, 2, 190),
                           ('2025-09-11T10:00:00Z', 'project', 1, NULL, NULL, 1000, 5000, 0.003, 0.001, 0.6, 0.2, 185),
                           ('2025-09-11T10:00:00Z', 'user', NULL, NULL, 'u1', 1000, 5000, 0.003, 0.001, 0.6, 0.2, NULL);
                    INSERT INTO fact_intensity VALUES ('2025-09-11T10:00:00Z', 185, 190, 'moderate', 190, 'actual', 1),
                           ('2025-09-11T10:30:00Z', 185, NULL, NULL, 185, 'forecast', 1),
                           ('2025-09-11T11:00:00Z', NULL, NULL, NULL, 200, 'fallback', 0);
                    INSERT INTO active_workspace (instance_id, machine_id, user_id, project_id, started_at, workspace_key)
                    VALUES (1, 1, 'u1', 1, '2025-09-01T00:00:00Z', 'ws-1');
                    INSERT INTO sink_workspace VALUES ('ws-1', 1, 'u1', 1, 1, '2025-09-01T00:00:00Z', NULL);
                    INSERT INTO sink_user_project VALUES ('u1', 1);
                    INSERT INTO sink_offset VALUES ('ada.facts', 0, 42), ('ada.slot-intensity', 0, 7);
                    """.formatted(second));
        }
        return file;
    }

    private static Map<String, List<Map<String, Object>>> snapshot(Path file) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String table : OLD_TABLES) {
            out.put(table, rows(file, "SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        return out;
    }

    @Test
    void everyRowIsKeptAndTheNewTablesAndViewsAreThere() throws Exception {
        Path file = oldDatabase(false);
        Map<String, List<Map<String, Object>>> before = snapshot(file);
        assertThat(before.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());

        AdaDatabase.open(file).close();

        Map<String, List<Map<String, Object>>> after = snapshot(file);
        for (String table : OLD_TABLES) {
            List<Map<String, Object>> kept = after.get(table).stream()
                    .map(r -> {
                        Map<String, Object> old = new LinkedHashMap<>(r);
                        if (table.equals("fact_intensity")) {
                            assertThat(old.remove("region")).isNull();
                            assertThat(old.remove("regional_forecast")).isNull();
                        }
                        return old;
                    })
                    .toList();
            assertThat(kept).as(table).isEqualTo(before.get(table));
        }
        assertThat(columns(file, "fact_intensity"))
                .containsExactly(
                        "ts",
                        "forecast",
                        "actual",
                        "index",
                        "intensity_gCo2eq_kwh",
                        "source",
                        "has_cpu",
                        "region",
                        "regional_forecast");
        assertThat(count(file, "SELECT * FROM sqlite_master WHERE name LIKE 'fact_intensity_%'"))
                .as("the old table is gone")
                .isZero();
        assertThat(columns(file, "fact_embodied")).containsExactly("usage_id", "embodied_gCo2eq");
        assertThat(count(file, "SELECT * FROM fact_embodied")).isZero();
        assertThat(count(file, "SELECT * FROM fact_quality")).isZero();
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(3600);
        // The old facts are in the views, their embodied carbon and quality not known (not zero).
        assertThat(rows(
                        file,
                        "SELECT scope, entity, embodied_gCo2eq, total_gCo2eq FROM v_footprint_totals ORDER BY scope"))
                .extracting(r -> r.get("scope") + ":" + r.get("entity") + ":" + r.get("embodied_gCo2eq") + ":"
                        + r.get("total_gCo2eq"))
                .containsExactly(
                        "ada:null:null:null", "group:RB1:null:null", "project:IDAaaS:null:null", "user:u1:null:null");
        assertThat(((Number) scalar(file, "SELECT kwh FROM v_quality_totals WHERE scope = 'ada'")).doubleValue())
                .isCloseTo(0.003 + 0.001 + 0.03 + 0.01, within(1e-15));

        // The upgraded table takes what the old one refused, and opening again changes nothing.
        try (AdaDatabase db = AdaDatabase.open(file)) {
            assertThat(db.apply(new SinkBatch()
                                    .add(SlotChange.upsert(
                                            regional("2025-09-11T11:30:00Z", 185.0, null, 120, "regional", 12, 120.0))))
                            .skipped())
                    .isZero();
            assertThat(db.storedOffsets()).containsEntry(new SourcePartition("ada.facts", 0), 42L);
        }
        AdaDatabase.open(file).close();
        assertThat(count(file, "SELECT * FROM fact_intensity")).isEqualTo(4);
        assertThat(snapshot(file).get("fact_usage")).isEqualTo(before.get("fact_usage"));
    }

    @Test
    void aHalfHourlyDatabaseIsKnownByItsFacts() throws Exception {
        Path file = oldDatabase(true);
        AdaDatabase.open(file).close();
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(1800);
    }
}

package ada.carbon.bench;

import ada.carbon.schemas.Times;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 3b: what SQLite itself allows, as a yardstick for the sink. The same fact rows upserted over
 * plain JDBC into a table of fact_usage's shape (its columns, its unique key on expressions and its
 * secondary indexes; no foreign keys, so no dimension tables), with a prepared
 * {@code INSERT ... ON CONFLICT DO UPDATE}, in batches of the sink's transaction size, WAL and
 * {@code synchronous = NORMAL} as the sink's database has. Entities get their ids from an in-memory map.
 */
final class PlainUpsert {
    private static final Logger log = LoggerFactory.getLogger(PlainUpsert.class);
    /** As many rows per transaction as the sink's max.poll.records. */
    static final int BATCH = 2000;

    private static final String[] SCHEMA = {
        "CREATE TABLE fact_usage (usage_id INTEGER PRIMARY KEY, ts TEXT NOT NULL, scope TEXT NOT NULL, project_id INTEGER,"
                + " machine_id INTEGER, user_id TEXT, busy_cpu_seconds_total REAL, idle_cpu_seconds_total REAL,"
                + " busy_kwh REAL, idle_kwh REAL, busy_gCo2eq REAL, idle_gCo2eq REAL, intensity_gCo2eq_kwh REAL)",
        "CREATE UNIQUE INDEX ux_fact_usage_key ON fact_usage"
                + " (scope, ts, IFNULL(project_id, -1), IFNULL(machine_id, -1), IFNULL(user_id, ''))",
        "CREATE INDEX ix_fact_usage_ts ON fact_usage (ts)",
        "CREATE INDEX ix_fact_usage_project ON fact_usage (project_id, ts) WHERE project_id IS NOT NULL",
        "CREATE INDEX ix_fact_usage_machine ON fact_usage (machine_id, ts) WHERE machine_id IS NOT NULL",
        "CREATE INDEX ix_fact_usage_user ON fact_usage (user_id, ts) WHERE user_id IS NOT NULL",
    };
    private static final String UPSERT = "INSERT INTO fact_usage (ts, scope, project_id, machine_id, user_id,"
            + " busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq,"
            + " intensity_gCo2eq_kwh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (scope, ts, IFNULL(project_id, -1), IFNULL(machine_id, -1), IFNULL(user_id, ''))"
            + " DO UPDATE SET busy_cpu_seconds_total = excluded.busy_cpu_seconds_total,"
            + " idle_cpu_seconds_total = excluded.idle_cpu_seconds_total, busy_kwh = excluded.busy_kwh,"
            + " idle_kwh = excluded.idle_kwh, busy_gCo2eq = excluded.busy_gCo2eq, idle_gCo2eq = excluded.idle_gCo2eq,"
            + " intensity_gCo2eq_kwh = excluded.intensity_gCo2eq_kwh";

    private PlainUpsert() {}

    static Rate run(Path dbFile, List<FactsTopic.Row> rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            c.setAutoCommit(false);
            Map<String, Long> projects = new HashMap<>();
            Map<String, Long> machines = new HashMap<>();
            long started = System.nanoTime();
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                int inBatch = 0;
                for (FactsTopic.Row r : rows) {
                    bind(upsert, r, projects, machines);
                    upsert.addBatch();
                    if (++inBatch == BATCH) {
                        upsert.executeBatch();
                        c.commit();
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    upsert.executeBatch();
                    c.commit();
                }
            }
            Rate rate = Rate.between(rows.size(), started, System.nanoTime());
            log.info("plain SQLite upsert: {}", rate.describe("fact rows"));
            return rate;
        }
    }

    private static void bind(
            PreparedStatement p, FactsTopic.Row r, Map<String, Long> projects, Map<String, Long> machines)
            throws SQLException {
        p.setString(1, Times.format(r.ts()));
        p.setString(2, r.scope().label());
        p.setNull(3, Types.INTEGER);
        p.setNull(4, Types.INTEGER);
        p.setNull(5, Types.VARCHAR);
        switch (r.scope()) {
            case PROJECT -> p.setLong(3, projects.computeIfAbsent(r.entity(), e -> projects.size() + 1L));
            case MACHINE -> p.setLong(4, machines.computeIfAbsent(r.entity(), e -> machines.size() + 1L));
            case USER -> p.setString(5, r.entity());
            case ADA -> {}
        }
        p.setDouble(6, r.busyCpu());
        p.setDouble(7, r.idleCpu());
        p.setDouble(8, r.busyKwh());
        p.setDouble(9, r.idleKwh());
        p.setDouble(10, r.busyCarbon());
        p.setDouble(11, r.idleCarbon());
        p.setDouble(12, r.intensity());
    }
}

package ada.carbon.sink;

import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.Times;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: events to feed the database, and a second, independent connection to read it back. */
final class TestDb {
    private TestDb() {}

    static Instant at(String iso) {
        return Times.parse(iso);
    }

    static Fact fact(
            String scope,
            String ts,
            String entity,
            double busyS,
            double idleS,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG,
            double intensity) {
        return new Fact(
                scope, at(ts), entity, busyS, idleS, busyKwh, idleKwh, busyG, idleG, intensity, null, null, null, null,
                null, null, null);
    }

    /**
     * {@code fact} with its embodied carbon and quality figures (SPEC 2.9, 2.10), as an aggregator that computes
     * them writes it.
     */
    static Fact withFootprint(
            Fact fact,
            double embodiedG,
            double kwhActual,
            double kwhForecast,
            double kwhRegional,
            double kwhFallback,
            double hostSeconds,
            long hosts) {
        return Fact.newBuilder(fact)
                .setEmbodiedGCo2eq(embodiedG)
                .setKwhActual(kwhActual)
                .setKwhForecast(kwhForecast)
                .setKwhRegional(kwhRegional)
                .setKwhFallback(kwhFallback)
                .setHostSeconds(hostSeconds)
                .setHosts(hosts)
                .build();
    }

    /** A slot of a configured region (SPEC 2.3): its forecast, and the source the aggregator chose. */
    static SlotIntensity regional(
            String ts,
            Double forecast,
            Double actual,
            double used,
            String source,
            int region,
            Double regionalForecast) {
        return new SlotIntensity(at(ts), forecast, actual, null, used, source, true, region, regionalForecast);
    }

    /** A fact whose carbon is its energy times {@code intensity}, with seconds from the default power model. */
    static Fact priced(String scope, String ts, String entity, double busyKwh, double idleKwh, double intensity) {
        return fact(
                scope,
                ts,
                entity,
                busyKwh * 3_600_000 / 12,
                idleKwh * 3_600_000 / 1,
                busyKwh,
                idleKwh,
                busyKwh * intensity,
                idleKwh * intensity,
                intensity);
    }

    static WorkspaceEvent workspace(
            String key, String instance, String owner, String project, String machine, String created, String deleted) {
        return new WorkspaceEvent(
                key, instance, owner, project, machine, at(created), deleted == null ? null : at(deleted));
    }

    static UserEvent user(String id, String displayName, String group, String... projects) {
        return new UserEvent(id, displayName, group, List.of(projects));
    }

    static CpuLabel label(String instance, String project, String machine) {
        return new CpuLabel(instance, project, machine);
    }

    static SlotIntensity slot(
            String ts, Double forecast, Double actual, String index, double used, String source, boolean cpu) {
        return new SlotIntensity(at(ts), forecast, actual, index, used, source, cpu, null, null);
    }

    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
        }
        return c;
    }

    static List<Map<String, Object>> rows(Path file, String sql) {
        try (Connection c = connect(file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    static Object scalar(Path file, String sql) {
        List<Map<String, Object>> rows = rows(file, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    static long count(Path file, String sql) {
        return ((Number) scalar(file, "SELECT COUNT(*) FROM (" + sql + ")")).longValue();
    }

    static void execute(Path file, String sql) throws SQLException {
        try (Connection c = connect(file);
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** The column names of a table or view, in order. */
    static List<String> columns(Path file, String table) {
        return rows(file, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid").stream()
                .map(r -> (String) r.get("name"))
                .toList();
    }

    static double real(Object value) {
        return ((Number) value).doubleValue();
    }
}

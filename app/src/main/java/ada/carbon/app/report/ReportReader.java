package ada.carbon.app.report;

import ada.carbon.app.report.ReportData.Bucket;
import ada.carbon.app.report.ReportData.EntityRow;
import ada.carbon.app.report.ReportData.EntityTable;
import ada.carbon.app.report.ReportData.Slot;
import ada.carbon.app.report.ReportData.Summary;
import ada.carbon.core.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a report's figures through the database's views. For the whole database the totals and averages are the
 * {@code v_*_totals} and {@code v_*_averages} rows themselves. For a period they are the same sums and means
 * over the timeseries views' rows with {@code from <= ts < to} (the totals views cannot be filtered by time).
 */
public final class ReportReader {
    private static final String SIX_SUMS = "SUM(t.busy_cpu_seconds_total), SUM(t.idle_cpu_seconds_total),"
            + " SUM(t.busy_kwh), SUM(t.idle_kwh), SUM(t.busy_gCo2eq), SUM(t.idle_gCo2eq)";
    // The averages as v_*_averages define them; the intensity is the mean of carbon / energy over rows with energy.
    private static final String FIVE_MEANS = "AVG(t.busy_kwh), AVG(t.idle_kwh), AVG(t.busy_gCo2eq), AVG(t.idle_gCo2eq),"
            + " AVG(CASE WHEN IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0) > 0"
            + " THEN (IFNULL(t.busy_gCo2eq, 0) + IFNULL(t.idle_gCo2eq, 0)) / (IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0))"
            + " END)";

    /**
     * One scope's table: its views, the column naming the entity, and the timeseries rows behind it (as {@code t},
     * with the entity's name as {@code name}).
     */
    private record Scope(String id, String title, String nameHeader, String nameColumn, String totals, String averages,
            String timeseries, String groupBy) {}

    private static final List<Scope> SCOPES = List.of(
            new Scope("project", "Per project", "Project", "cloud_project_name", "v_project_totals",
                    "v_project_averages", "v_project_timeseries t", "t.cloud_project_name"),
            new Scope("machine", "Per machine type", "Machine type", "machine_name", "v_machine_totals",
                    "v_machine_averages", "v_machine_timeseries t", "t.machine_name"),
            new Scope("group", "Per group", "Group", "group_name", "v_group_totals", "v_group_averages",
                    "v_user_timeseries t JOIN dim_user u ON u.user_id = t.user_id"
                            + " JOIN dim_group g ON g.group_id = u.group_id", "g.group_name"),
            new Scope("user", "Per user", "User", "user_id", "v_user_totals", "v_user_averages",
                    "v_user_timeseries t", "t.user_id"));

    private ReportReader() {}

    public static ReportData read(Connection c, String database, ReportPeriod period) throws SQLException {
        List<Slot> slots = slots(c, period);
        List<EntityTable> tables = new ArrayList<>();
        for (Scope scope : SCOPES) {
            tables.add(table(c, scope, period));
        }
        Map<String, List<Bucket>> series = new LinkedHashMap<>();
        series.put("hour", buckets(c, period, 13));
        series.put("day", buckets(c, period, 10));
        series.put("month", buckets(c, period, 7));
        return new ReportData(database, Times.format(Instant.now()), period, grain(c),
                summary(c, period, slots), series, slots, WhenToRun.read(c), tables);
    }

    /** The platform's figures: the v_ada_totals row, or the v_ada_timeseries rows of the period summed. */
    static Summary summary(Connection c, ReportPeriod period, List<Slot> slots) throws SQLException {
        String first;
        String last;
        long facts;
        double[] sums = new double[6];
        try (PreparedStatement p = c.prepareStatement("SELECT MIN(ts), MAX(ts), COUNT(*), " + SIX_SUMS
                + " FROM v_ada_timeseries t WHERE t.ts >= ? AND t.ts < ?")) {
            bind(p, period);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                first = r.getString(1);
                last = r.getString(2);
                facts = r.getLong(3);
                for (int i = 0; i < 6; i++) {
                    sums[i] = r.getDouble(4 + i);
                }
            }
        }
        if (period.isAll()) {
            sums = new double[6];
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh,"
                         + " idle_kwh, busy_gCo2eq, idle_gCo2eq FROM v_ada_totals")) {
                if (r.next()) {
                    for (int i = 0; i < 6; i++) {
                        sums[i] = r.getDouble(1 + i);
                    }
                }
            }
        }
        long active;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM active_workspace")) {
            r.next();
            active = r.getLong(1);
        }
        Map<String, Long> bySource = new LinkedHashMap<>();
        for (String source : List.of("actual", "forecast", "fallback")) {
            bySource.put(source, slots.stream().filter(s -> s.hasCpu() && s.source().equals(source)).count());
        }
        return new Summary(first, last, facts, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], active, bySource);
    }

    /** Busy and idle energy and carbon per hour, day or month: v_ada_timeseries summed by a prefix of ts. */
    static List<Bucket> buckets(Connection c, ReportPeriod period, int prefix) throws SQLException {
        List<Bucket> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT substr(t.ts, 1, " + prefix + ") AS k, SUM(t.busy_kwh),"
                + " SUM(t.idle_kwh), SUM(t.busy_gCo2eq), SUM(t.idle_gCo2eq) FROM v_ada_timeseries t"
                + " WHERE t.ts >= ? AND t.ts < ? GROUP BY k ORDER BY k")) {
            bind(p, period);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Bucket(r.getString(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5)));
                }
            }
        }
        return out;
    }

    static List<Slot> slots(Connection c, ReportPeriod period) throws SQLException {
        List<Slot> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT ts, forecast, actual, \"index\", intensity_gCo2eq_kwh,"
                + " source, has_cpu FROM fact_intensity WHERE ts >= ? AND ts < ? ORDER BY ts")) {
            bind(p, period);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Slot(r.getString(1), dbl(r, 2), dbl(r, 3), r.getString(4), r.getDouble(5),
                            r.getString(6), r.getInt(7) != 0));
                }
            }
        }
        return out;
    }

    static EntityTable table(Connection c, Scope scope, ReportPeriod period) throws SQLException {
        boolean users = scope.id().equals("user");
        String sql;
        if (period.isAll()) {
            String n = scope.nameColumn();
            sql = "SELECT tot." + n + ", cnt.n, tot.busy_cpu_seconds_total, tot.idle_cpu_seconds_total, tot.busy_kwh,"
                    + " tot.idle_kwh, tot.busy_gCo2eq, tot.idle_gCo2eq, a.avg_busy_energy_kwh, a.avg_idle_energy_kwh,"
                    + " a.avg_busy_carbon_gCo2eq, a.avg_idle_carbon_gCo2eq, a.avg_intensity_gCo2eq_kwh"
                    + (users ? ", du.display_name, dg.group_name" : "")
                    + " FROM " + scope.totals() + " tot JOIN " + scope.averages() + " a ON a." + n + " = tot." + n
                    + " JOIN (SELECT " + scope.groupBy() + " AS name, COUNT(*) AS n FROM " + scope.timeseries()
                    + " WHERE t.ts >= ? AND t.ts < ? GROUP BY " + scope.groupBy() + ") cnt ON cnt.name = tot." + n
                    + (users ? " LEFT JOIN dim_user du ON du.user_id = tot.user_id"
                            + " LEFT JOIN dim_group dg ON dg.group_id = du.group_id" : "");
        } else {
            sql = "SELECT x.*" + (users ? ", du.display_name, dg.group_name" : "") + " FROM (SELECT "
                    + scope.groupBy() + " AS name, COUNT(*), " + SIX_SUMS + ", " + FIVE_MEANS
                    + " FROM " + scope.timeseries() + " WHERE t.ts >= ? AND t.ts < ? GROUP BY " + scope.groupBy() + ") x"
                    + (users ? " LEFT JOIN dim_user du ON du.user_id = x.name"
                            + " LEFT JOIN dim_group dg ON dg.group_id = du.group_id" : "");
        }
        List<EntityRow> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, period);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new EntityRow(r.getString(1), users ? r.getString(14) : null, users ? r.getString(15) : null,
                            r.getLong(2), dbl(r, 3), dbl(r, 4), dbl(r, 5), dbl(r, 6), dbl(r, 7), dbl(r, 8), dbl(r, 9),
                            dbl(r, 10), dbl(r, 11), dbl(r, 12), dbl(r, 13)));
                }
            }
        }
        rows.sort(Comparator.comparingDouble(EntityRow::grams).reversed().thenComparing(EntityRow::name));
        return new EntityTable(scope.id(), scope.title(), scope.nameHeader(), rows);
    }

    /** "hour", or "half hour" when the facts are kept per 30 minutes. */
    static String grain(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM v_ada_timeseries WHERE substr(ts, 15, 2) <> '00')")) {
            r.next();
            return r.getInt(1) != 0 ? "half hour" : "hour";
        }
    }

    private static void bind(PreparedStatement p, ReportPeriod period) throws SQLException {
        p.setString(1, period.lower());
        p.setString(2, period.upper());
    }

    private static Double dbl(ResultSet r, int column) throws SQLException {
        double d = r.getDouble(column);
        return r.wasNull() ? null : d;
    }
}

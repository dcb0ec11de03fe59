package ada.carbon.report;

import ada.carbon.core.ExactSum;
import ada.carbon.report.ReportData.Bucket;
import ada.carbon.report.ReportData.EntityRow;
import ada.carbon.report.ReportData.EntityTable;
import ada.carbon.report.ReportData.Footprint;
import ada.carbon.report.ReportData.Slot;
import ada.carbon.report.ReportData.Summary;
import ada.carbon.schemas.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader of the database's views, for the report and for {@code serve}. For the whole database the totals
 * and averages are the {@code v_*_totals} and {@code v_*_averages} rows themselves. For a period they are the same
 * sums and means over the timeseries views' rows with {@code from <= ts < to} (the totals views cannot be filtered
 * by time). Every figure is of one {@link Selection}: the platform or one project, machine type, group or user.
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
     * The footprint and quality of v_footprint_totals and v_quality_totals (schema.sql), over the rows of
     * v_fact_footprint in a period: the same sums, the same honesty rule (any fact without its fact_embodied or
     * fact_quality row makes the figures that need it NULL) and the same shares.
     */
    private static final String FOOTPRINT = "SUM(t.busy_gCo2eq), SUM(t.idle_gCo2eq),"
            + " CASE WHEN COUNT(t.embodied_gCo2eq) = COUNT(*) THEN SUM(t.embodied_gCo2eq) END,"
            + " CASE WHEN COUNT(t.embodied_gCo2eq) = COUNT(*)"
            + " THEN IFNULL(SUM(t.busy_gCo2eq), 0) + IFNULL(SUM(t.idle_gCo2eq), 0) + SUM(t.embodied_gCo2eq) END,"
            + " SUM(IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0)),"
            + " CASE WHEN COUNT(t.hosts) = COUNT(*) AND SUM(IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0)) > 0"
            + " THEN SUM(t.kwh_actual) / SUM(IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0)) END,"
            + " CASE WHEN COUNT(t.hosts) = COUNT(*) AND SUM(IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0)) > 0"
            + " THEN SUM(t.kwh_fallback) / SUM(IFNULL(t.busy_kwh, 0) + IFNULL(t.idle_kwh, 0)) END,"
            + " CASE WHEN COUNT(t.hosts) = COUNT(*) AND SUM(t.hosts) > 0"
            + " THEN SUM(t.host_seconds) / (SUM(t.hosts) * (SELECT grain_seconds FROM sink_settings)) END";
    /** The width of a chart's bars: a prefix of the facts' {@code ts}. */
    public enum Grain {
        HOUR("hour", 13),
        DAY("day", 10),
        MONTH("month", 7);

        private final String id;
        private final int prefix;

        Grain(String id, int prefix) {
            this.id = id;
            this.prefix = prefix;
        }

        public String id() {
            return id;
        }
    }

    /** The tables the report shows, in its order, with their titles and the heading of their name column. */
    private static final List<String[]> TABLES = List.of(
            new String[] {"project", "Per project", "Project"},
            new String[] {"machine", "Per machine type", "Machine type"},
            new String[] {"group", "Per group", "Group"},
            new String[] {"user", "Per user", "User"});

    private ReportReader() {}

    public static ReportData read(Connection c, String database, ReportPeriod period) throws SQLException {
        List<Slot> slots = slots(c, period);
        List<EntityTable> tables = new ArrayList<>();
        for (String[] t : TABLES) {
            tables.add(table(c, ViewScope.of(t[0]), period, null));
        }
        Map<String, List<Bucket>> series = new LinkedHashMap<>();
        for (Grain g : Grain.values()) {
            series.put(g.id(), buckets(c, Selection.PLATFORM, period, g));
        }
        return new ReportData(
                database,
                Times.format(Instant.now()),
                period,
                grain(c),
                summary(c, period, slots, series.get(Grain.DAY.id())),
                series,
                slots,
                WhenToRun.read(c),
                tables);
    }

    /** The title and name heading of a scope's table. */
    public static String[] tableTitles(ViewScope scope) {
        for (String[] t : TABLES) {
            if (t[0].equals(scope.id())) {
                return new String[] {t[1], t[2]};
            }
        }
        throw new IllegalArgumentException("no table for scope " + scope.id());
    }

    /** The platform's figures over the period, with the workspaces active now and the slots' sources. */
    static Summary summary(Connection c, ReportPeriod period, List<Slot> slots, List<Bucket> buckets)
            throws SQLException {
        Totals t = totals(c, Selection.PLATFORM, period, buckets);
        Map<String, Long> bySource = new LinkedHashMap<>();
        for (String source : SOURCES) {
            bySource.put(
                    source,
                    slots.stream()
                            .filter(s -> s.hasCpu() && s.source().equals(source))
                            .count());
        }
        return new Summary(
                t.firstTs(),
                t.lastTs(),
                t.facts(),
                t.busyCpuSeconds(),
                t.idleCpuSeconds(),
                t.busyKwh(),
                t.idleKwh(),
                t.busyG(),
                t.idleG(),
                footprint(c, Selection.PLATFORM, period),
                activeWorkspaces(c),
                bySource);
    }

    /** fact_intensity's sources (SPEC 3.3), in the order the page lists them. */
    public static final List<String> SOURCES = List.of("actual", "forecast", "regional", "fallback");

    /**
     * The selection's footprint and quality over the period: for the whole database its v_footprint_totals and
     * v_quality_totals rows, for a period the same figures over its v_fact_footprint rows in it. No facts: {@link
     * Footprint#NONE}.
     */
    public static Footprint footprint(Connection c, Selection s, ReportPeriod period) throws SQLException {
        Footprint f = footprints(c, s.scope(), period, s.scope().named() ? List.of(s.name()) : null)
                .get(s.scope().named() ? s.name() : "");
        return f == null ? Footprint.NONE : f;
    }

    /**
     * Each entity's footprint and quality over the period, by name ({@code ""} for the platform), as {@link
     * #footprint}; entities without facts in it are absent.
     *
     * @param only the entities to read, or null for all of them
     */
    static Map<String, Footprint> footprints(
            Connection c, ViewScope scope, ReportPeriod period, Collection<String> only) throws SQLException {
        Map<String, Footprint> out = new HashMap<>();
        if (only != null && only.isEmpty()) {
            return out;
        }
        String in = only == null
                ? ""
                : " AND t.entity IN (" + String.join(", ", Collections.nCopies(only.size(), "?")) + ")";
        if (period.isAll()) {
            // The views' rows: v_quality_totals has one for every v_footprint_totals row (the same facts).
            read(
                    c,
                    "SELECT t.entity, t.busy_gCo2eq, t.idle_gCo2eq, t.embodied_gCo2eq, t.total_gCo2eq"
                            + " FROM v_footprint_totals t WHERE t.scope = ?" + in,
                    scope,
                    null,
                    only,
                    r -> out.put(
                            name(r),
                            new Footprint(r.getDouble(2), r.getDouble(3), dbl(r, 4), dbl(r, 5), 0, null, null, null)));
            read(
                    c,
                    "SELECT t.entity, t.kwh, t.measured_share, t.fallback_share, t.coverage FROM v_quality_totals t"
                            + " WHERE t.scope = ?" + in,
                    scope,
                    null,
                    only,
                    r -> {
                        Footprint carbon = out.get(name(r));
                        if (carbon != null) {
                            out.put(
                                    name(r),
                                    new Footprint(
                                            carbon.busyG(),
                                            carbon.idleG(),
                                            carbon.embodiedG(),
                                            carbon.totalG(),
                                            r.getDouble(2),
                                            dbl(r, 3),
                                            dbl(r, 4),
                                            dbl(r, 5)));
                        }
                    });
        } else {
            read(
                    c,
                    "SELECT t.entity, " + FOOTPRINT + " FROM v_fact_footprint t WHERE t.scope = ?" + in
                            + " AND t.ts >= ? AND t.ts < ? GROUP BY t.entity",
                    scope,
                    period,
                    only,
                    r -> out.put(
                            name(r),
                            new Footprint(
                                    r.getDouble(2),
                                    r.getDouble(3),
                                    dbl(r, 4),
                                    dbl(r, 5),
                                    r.getDouble(6),
                                    dbl(r, 7),
                                    dbl(r, 8),
                                    dbl(r, 9))));
        }
        return out;
    }

    /** A selection's facts over a period: how many, the first and last, and the six metrics summed. */
    public record Totals(
            long facts,
            String firstTs,
            String lastTs,
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG) {}

    /**
     * The selection's sums over the period, from its buckets of the period (any width): the facts, first and last
     * are theirs, and so are the sums, the same sums of the same timeseries rows taken a bucket at a time (one pass
     * over the rows, not two). For the whole database the sums are its {@code v_*_totals} row itself. Zero facts:
     * zeros, and no first or last.
     */
    public static Totals totals(Connection c, Selection s, ReportPeriod period, List<Bucket> buckets)
            throws SQLException {
        long facts = 0;
        String first = null;
        String last = null;
        ExactSum[] sums = new ExactSum[6];
        for (int i = 0; i < 6; i++) {
            sums[i] = new ExactSum();
        }
        for (Bucket b : buckets) {
            facts += b.facts();
            first = first == null || b.firstTs().compareTo(first) < 0 ? b.firstTs() : first;
            last = last == null || b.lastTs().compareTo(last) > 0 ? b.lastTs() : last;
            double[] v = {b.busyCpuSeconds(), b.idleCpuSeconds(), b.busyKwh(), b.idleKwh(), b.busyG(), b.idleG()};
            for (int i = 0; i < 6; i++) {
                sums[i].add(v[i]);
            }
        }
        double[] out = new double[6];
        for (int i = 0; i < 6; i++) {
            out[i] = sums[i].doubleValue();
        }
        if (period.isAll()) {
            out = new double[6];
            ViewScope scope = s.scope();
            try (PreparedStatement p = c.prepareStatement("SELECT busy_cpu_seconds_total, idle_cpu_seconds_total,"
                    + " busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq FROM " + scope.totals
                    + (scope.named() ? " WHERE " + scope.nameColumn + " = ?" : ""))) {
                if (scope.named()) {
                    p.setString(1, s.name());
                }
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        for (int i = 0; i < 6; i++) {
                            out[i] = r.getDouble(1 + i);
                        }
                    }
                }
            }
        }
        return new Totals(facts, first, last, out[0], out[1], out[2], out[3], out[4], out[5]);
    }

    /** The selection's newest fact's ts, or null: one index look-up. */
    public static String lastTs(Connection c, Selection s) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT MAX(t.ts) FROM " + s.scope().timeseries + " WHERE " + where(s))) {
            bind(p, s, ReportPeriod.ALL);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** The selection's six metrics per hour, day or month of the period: its timeseries rows summed by a prefix of ts. */
    public static List<Bucket> buckets(Connection c, Selection s, ReportPeriod period, Grain grain)
            throws SQLException {
        List<Bucket> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT substr(t.ts, 1, " + grain.prefix + ") AS k, COUNT(*), "
                + SIX_SUMS + ", MIN(t.ts), MAX(t.ts) FROM " + s.scope().timeseries + " WHERE " + where(s)
                + " GROUP BY k ORDER BY k")) {
            bind(p, s, period);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Bucket(
                            r.getString(1),
                            r.getLong(2),
                            r.getDouble(3),
                            r.getDouble(4),
                            r.getDouble(5),
                            r.getDouble(6),
                            r.getDouble(7),
                            r.getDouble(8),
                            r.getString(9),
                            r.getString(10)));
                }
            }
        }
        return out;
    }

    /** The fact_intensity rows of the period, in time order. */
    public static List<Slot> slots(Connection c, ReportPeriod period) throws SQLException {
        List<Slot> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + SLOT + " FROM fact_intensity WHERE ts >= ? AND ts < ?" + " ORDER BY ts")) {
            p.setString(1, period.lower());
            p.setString(2, period.upper());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(slot(r));
                }
            }
        }
        return out;
    }

    /** The newest fact_intensity slot starting at or before {@code ts}, or null. */
    public static Slot slotAt(Connection c, String ts) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + SLOT + " FROM fact_intensity WHERE ts <= ?" + " ORDER BY ts DESC LIMIT 1")) {
            p.setString(1, ts);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? slot(r) : null;
            }
        }
    }

    /**
     * The newest fact_intensity slot with a national actual, or null. With intensity.region set its source may be
     * {@code regional} (SPEC 2.3: the region's forecast comes first); the actual is still the newest measurement.
     */
    public static Slot newestActual(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + SLOT + " FROM fact_intensity WHERE actual IS NOT NULL"
                        + " ORDER BY ts DESC LIMIT 1")) {
            return r.next() ? slot(r) : null;
        }
    }

    private static final String SLOT =
            "ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source, has_cpu, region," + " regional_forecast";

    private static Slot slot(ResultSet r) throws SQLException {
        Double region = dbl(r, 8);
        return new Slot(
                r.getString(1),
                dbl(r, 2),
                dbl(r, 3),
                r.getString(4),
                r.getDouble(5),
                r.getString(6),
                r.getInt(7) != 0,
                region == null ? null : region.intValue(),
                dbl(r, 9));
    }

    /**
     * A scope's table: per entity, its facts, totals and means over the period, most carbon first.
     *
     * @param only the entities to show, or null for all of them
     */
    public static EntityTable table(Connection c, ViewScope scope, ReportPeriod period, Collection<String> only)
            throws SQLException {
        if (!scope.named()) {
            throw new IllegalArgumentException("scope ada has no table of entities");
        }
        String[] titles = tableTitles(scope);
        if (only != null && only.isEmpty()) {
            return new EntityTable(scope.id(), titles[0], titles[1], List.of());
        }
        boolean users = scope == ViewScope.USER;
        String in = only == null ? "" : " IN (" + String.join(", ", Collections.nCopies(only.size(), "?")) + ")";
        String sql;
        if (period.isAll()) {
            String n = scope.nameColumn;
            sql = "SELECT tot." + n + ", cnt.n, tot.busy_cpu_seconds_total, tot.idle_cpu_seconds_total, tot.busy_kwh,"
                    + " tot.idle_kwh, tot.busy_gCo2eq, tot.idle_gCo2eq, a.avg_busy_energy_kwh, a.avg_idle_energy_kwh,"
                    + " a.avg_busy_carbon_gCo2eq, a.avg_idle_carbon_gCo2eq, a.avg_intensity_gCo2eq_kwh"
                    + (users ? ", du.display_name, dg.group_name" : "")
                    + " FROM " + scope.totals + " tot JOIN " + scope.averages + " a ON a." + n + " = tot." + n
                    + " JOIN (SELECT " + scope.nameExpression + " AS name, COUNT(*) AS n FROM " + scope.timeseries
                    + " WHERE t.ts >= ? AND t.ts < ?" + (only == null ? "" : " AND " + scope.nameExpression + in)
                    + " GROUP BY " + scope.nameExpression + ") cnt ON cnt.name = tot." + n
                    + (users
                            ? " LEFT JOIN dim_user du ON du.user_id = tot.user_id"
                                    + " LEFT JOIN dim_group dg ON dg.group_id = du.group_id"
                            : "")
                    + (only == null ? "" : " WHERE tot." + n + in + " AND a." + n + in);
        } else {
            sql = "SELECT x.*" + (users ? ", du.display_name, dg.group_name" : "") + " FROM (SELECT "
                    + scope.nameExpression + " AS name, COUNT(*), " + SIX_SUMS + ", " + FIVE_MEANS
                    + " FROM " + scope.timeseries + " WHERE t.ts >= ? AND t.ts < ?"
                    + (only == null ? "" : " AND " + scope.nameExpression + in)
                    + " GROUP BY " + scope.nameExpression + ") x"
                    + (users
                            ? " LEFT JOIN dim_user du ON du.user_id = x.name"
                                    + " LEFT JOIN dim_group dg ON dg.group_id = du.group_id"
                            : "");
        }
        Map<String, Footprint> footprints = footprints(c, scope, period, only);
        List<EntityRow> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            p.setString(i++, period.lower());
            p.setString(i++, period.upper());
            int copies = only == null ? 0 : period.isAll() ? 3 : 1;
            for (int k = 0; k < copies; k++) {
                for (String name : only) {
                    p.setString(i++, name);
                }
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String name = r.getString(1);
                    rows.add(new EntityRow(
                            name,
                            users ? r.getString(14) : null,
                            users ? r.getString(15) : null,
                            r.getLong(2),
                            dbl(r, 3),
                            dbl(r, 4),
                            dbl(r, 5),
                            dbl(r, 6),
                            dbl(r, 7),
                            dbl(r, 8),
                            dbl(r, 9),
                            dbl(r, 10),
                            dbl(r, 11),
                            dbl(r, 12),
                            dbl(r, 13),
                            footprints.getOrDefault(name, Footprint.NONE)));
                }
            }
        }
        rows.sort(Comparator.comparingDouble(EntityRow::grams).reversed().thenComparing(EntityRow::name));
        return new EntityTable(scope.id(), titles[0], titles[1], rows);
    }

    /** Whether the selection's entity is in its dimension (the platform always is). */
    public static boolean exists(Connection c, Selection s) throws SQLException {
        if (!s.scope().named()) {
            return true;
        }
        ViewScope scope = s.scope();
        try (PreparedStatement p = c.prepareStatement(scope.dimension + " WHERE " + scope.nameColumn + " = ?")) {
            p.setString(1, s.name());
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Every entity of a scope's dimension, by name. */
    public static List<String> names(Connection c, ViewScope scope) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(scope.dimension + " ORDER BY " + scope.nameColumn)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** A user's display name and group (either may be null), or null if the user is not in dim_user. */
    public record UserInfo(String userId, String displayName, String groupName) {}

    public static UserInfo user(Connection c, String userId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT u.user_id, u.display_name, g.group_name FROM dim_user u"
                + " LEFT JOIN dim_group g ON g.group_id = u.group_id WHERE u.user_id = ?")) {
            p.setString(1, userId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new UserInfo(r.getString(1), r.getString(2), r.getString(3)) : null;
            }
        }
    }

    /** The users of a group (by dim_user.group_id), in order of id. */
    public static List<String> members(Connection c, String groupName) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT u.user_id FROM dim_user u JOIN dim_group g"
                + " ON g.group_id = u.group_id WHERE g.group_name = ? ORDER BY u.user_id")) {
            p.setString(1, groupName);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    public static long activeWorkspaces(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM active_workspace")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** An active_workspace row with its names. */
    public record Workspace(
            String workspaceKey,
            String instance,
            String host,
            String machineName,
            String cloudProjectName,
            String owner,
            String ownerGroup,
            String startedAt) {}

    /** Every active workspace, oldest first. */
    public static List<Workspace> workspaces(Connection c) throws SQLException {
        List<Workspace> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT w.workspace_key, i.raw_label, i.host, m.machine_name,"
                        + " p.cloud_project_name, w.user_id, g.group_name, w.started_at FROM active_workspace w"
                        + " JOIN dim_instance i ON i.instance_id = w.instance_id"
                        + " JOIN dim_machine m ON m.machine_id = w.machine_id"
                        + " LEFT JOIN dim_project p ON p.project_id = w.project_id"
                        + " LEFT JOIN dim_user u ON u.user_id = w.user_id"
                        + " LEFT JOIN dim_group g ON g.group_id = u.group_id ORDER BY w.started_at, w.workspace_key")) {
            while (r.next()) {
                out.add(new Workspace(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7),
                        r.getString(8)));
            }
        }
        return out;
    }

    /** The newest fact's ts, or null when there are none. */
    public static String newestFact(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(ts) FROM fact_usage")) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /** "hour", or "half hour" when the facts are kept per 30 minutes. */
    public static String grain(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT EXISTS (SELECT 1 FROM v_ada_timeseries WHERE substr(ts, 15, 2) <> '00')")) {
            r.next();
            return r.getInt(1) != 0 ? "half hour" : "hour";
        }
    }

    private interface RowReader {
        void accept(ResultSet r) throws SQLException;
    }

    /** Runs a query of a scope's rows: binds the scope, then the entities, then the period (unless null). */
    private static void read(
            Connection c, String sql, ViewScope scope, ReportPeriod period, Collection<String> only, RowReader rows)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            p.setString(i++, scope.id());
            for (String name : only == null ? List.<String>of() : only) {
                p.setString(i++, name);
            }
            if (period != null) {
                p.setString(i++, period.lower());
                p.setString(i, period.upper());
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.accept(r);
                }
            }
        }
    }

    /** The entity of a v_footprint_totals, v_quality_totals or v_fact_footprint row: "" for the platform. */
    private static String name(ResultSet r) throws SQLException {
        String name = r.getString(1);
        return name == null ? "" : name;
    }

    private static String where(Selection s) {
        return (s.scope().named() ? s.scope().nameExpression + " = ? AND " : "") + "t.ts >= ? AND t.ts < ?";
    }

    private static void bind(PreparedStatement p, Selection s, ReportPeriod period) throws SQLException {
        int i = 1;
        if (s.scope().named()) {
            p.setString(i++, s.name());
        }
        p.setString(i++, period.lower());
        p.setString(i, period.upper());
    }

    private static Double dbl(ResultSet r, int column) throws SQLException {
        double d = r.getDouble(column);
        return r.wasNull() ? null : d;
    }
}

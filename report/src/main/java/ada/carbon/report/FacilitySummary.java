package ada.carbon.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** What a facility manager wants to see first, read from the database's views. */
public final class FacilitySummary {
    private static final int TOP = 5;

    private FacilitySummary() {}

    public static void print(Path db, PrintStream out) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT MIN(ts), MAX(ts), COUNT(*), SUM(busy_kwh), SUM(idle_kwh),"
                    + " SUM(busy_gCo2eq), SUM(idle_gCo2eq) FROM v_ada_timeseries")) {
                r.next();
                double busyKwh = r.getDouble(4), idleKwh = r.getDouble(5);
                double busyG = r.getDouble(6), idleG = r.getDouble(7);
                double kwh = busyKwh + idleKwh, grams = busyG + idleG;
                out.printf(
                        Locale.ROOT,
                        "%nPlatform, %s to %s (%d hourly facts)%n",
                        r.getString(1),
                        r.getString(2),
                        r.getLong(3));
                out.printf(
                        Locale.ROOT,
                        "  energy  %,14.2f kWh   (busy %.1f%%, idle %.1f%%)%n",
                        kwh,
                        share(busyKwh, kwh),
                        share(idleKwh, kwh));
                out.printf(
                        Locale.ROOT,
                        "  carbon  %,14.2f kgCO2eq (busy %.1f%%, idle %.1f%%)%n",
                        grams / 1000,
                        share(busyG, grams),
                        share(idleG, grams));
                out.printf(Locale.ROOT, "  mean intensity %.1f gCO2eq/kWh%n", kwh > 0 ? grams / kwh : 0);
            }
            try (ResultSet r = s.executeQuery("SELECT f.embodied_gCo2eq, f.total_gCo2eq, q.measured_share, q.coverage"
                    + " FROM v_footprint_totals f, v_quality_totals q WHERE f.scope = 'ada' AND q.scope = 'ada'")) {
                if (r.next()) {
                    out.printf(
                            Locale.ROOT,
                            "  embodied %s kgCO2eq, footprint %s kgCO2eq in all%n",
                            kg(r.getObject(1)),
                            kg(r.getObject(2)));
                    out.printf(
                            Locale.ROOT,
                            "  measured: %s of the energy priced with actual intensity, hosts reported"
                                    + " %s of each hour%n",
                            percent(r.getObject(3)),
                            percent(r.getObject(4)));
                }
            }
            table(s, out, "Per project", "cloud_project_name", "v_project_totals", 100);
            table(s, out, "Per machine type", "machine_name", "v_machine_totals", 100);
            table(s, out, "Top users", "user_id", "v_user_totals", TOP);
            table(s, out, "Top groups", "group_name", "v_group_totals", TOP);
            try (ResultSet r = s.executeQuery(
                    "SELECT source, COUNT(*) FROM fact_intensity WHERE has_cpu" + " GROUP BY source ORDER BY source")) {
                out.printf("%nIntensity of the half-hour slots with CPU time:%n");
                while (r.next()) {
                    out.printf(Locale.ROOT, "  %-9s %,6d slots%n", r.getString(1), r.getLong(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM active_workspace")) {
                r.next();
                out.printf(Locale.ROOT, "%nActive workspaces now: %d%n", r.getLong(1));
            }
        }
    }

    private static void table(Statement s, PrintStream out, String title, String name, String view, int limit)
            throws SQLException {
        out.printf("%n%s:%n", title);
        out.printf(Locale.ROOT, "  %-24s %14s %14s %7s%n", "", "kWh", "kgCO2eq", "busy");
        try (ResultSet r = s.executeQuery("SELECT " + name + ", busy_kwh + idle_kwh AS kwh,"
                + " busy_gCo2eq + idle_gCo2eq AS g, busy_kwh FROM " + view + " ORDER BY g DESC LIMIT " + limit)) {
            while (r.next()) {
                double kwh = r.getDouble(2);
                out.printf(
                        Locale.ROOT,
                        "  %-24s %,14.2f %,14.2f %6.1f%%%n",
                        r.getString(1),
                        kwh,
                        r.getDouble(3) / 1000,
                        share(r.getDouble(4), kwh));
            }
        }
    }

    /** Grams as kg, or "not known" for NULL (facts computed before the figure was: see the README). */
    private static String kg(Object grams) {
        return grams == null ? "not known" : String.format(Locale.ROOT, "%,.2f", ((Number) grams).doubleValue() / 1000);
    }

    private static String percent(Object share) {
        return share == null ? "not known" : String.format(Locale.ROOT, "%.1f%%", 100 * ((Number) share).doubleValue());
    }

    private static double share(double part, double whole) {
        return whole > 0 ? 100 * part / whole : 0;
    }
}

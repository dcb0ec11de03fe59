package ada.carbon.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** Opens an ada-carbon database for reading only: the report and the export never write to it. */
public final class ReportDatabase {
    private ReportDatabase() {}

    /**
     * A read-only connection to {@code db}.
     *
     * @throws IllegalArgumentException if the file does not exist or is not an ada-carbon database
     */
    public static Connection openReadOnly(Path db) throws SQLException {
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("no database at " + db.toAbsolutePath());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'view' AND name IN"
                        + " ('v_ada_timeseries', 'v_project_totals', 'v_group_totals')")) {
            if (!r.next() || r.getInt(1) != 3) {
                c.close();
                throw new IllegalArgumentException(db + " is not an ada-carbon database (it lacks the v_* views)");
            }
        } catch (SQLException e) {
            c.close();
            throw new IllegalArgumentException(db + " is not a readable SQLite database: " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * Checks that the database has the tables and views of this version's schema that the report and serve read
     * beyond SPEC 3.2 (the footprint's): a database of an earlier sink gets them when this version's sink opens it.
     *
     * @throws IllegalArgumentException naming what is missing and how to bring the database up to date
     */
    public static void requireCurrentSchema(Connection c, Path db) throws SQLException {
        List<String> missing = new ArrayList<>(List.of(
                "v_fact_footprint",
                "v_footprint_totals",
                "v_quality_totals",
                "sink_settings",
                "fact_intensity.region"));
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name FROM sqlite_master UNION ALL SELECT 'fact_intensity.' || name"
                        + " FROM pragma_table_info('fact_intensity')")) {
            while (r.next()) {
                missing.remove(r.getString(1));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(db + " was written by an earlier ada-carbon (it lacks "
                    + String.join(", ", missing) + "): open it once with this version's sink (ada-carbon sink, load"
                    + " or replay), which brings its schema up to date and keeps every row");
        }
    }
}

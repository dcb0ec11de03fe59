package ada.carbon.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * schema.sql, the one definition of the database's tables, indexes and views, and the migrations of a database
 * made by an earlier version that {@code CREATE ... IF NOT EXISTS} cannot do.
 */
final class SchemaScript {
    private static final Logger log = LoggerFactory.getLogger(SchemaScript.class);
    static final String RESOURCE = "/ada/carbon/sink/schema.sql";
    /** What an earlier fact_intensity is renamed to while schema.sql creates the current one. */
    private static final String OLD_FACT_INTENSITY = "fact_intensity_before_regions";
    /** The columns fact_intensity had before regions: copied into the current table as they are. */
    private static final String FACT_INTENSITY_V1_COLUMNS =
            "ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source, has_cpu";

    private SchemaScript() {}

    static String text() {
        try (InputStream in = SchemaScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the whole script in one transaction, with the migrations it needs: every statement in it is
     * idempotent, and so is every migration (it runs only on a table that lacks what it adds).
     */
    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                // fact_intensity gained region, regional_forecast and the source 'regional'. SQLite cannot
                // change a table's CHECK, so the old table is set aside, schema.sql creates the current one
                // (its definition stays in one place), and the rows are copied over.
                boolean rebuildIntensity = exists(s, "fact_intensity") && !hasColumn(s, "fact_intensity", "region");
                if (rebuildIntensity) {
                    // Legacy renaming leaves views and triggers alone: none reads fact_intensity, and none may
                    // be pointed at the table about to be dropped.
                    s.execute("PRAGMA legacy_alter_table = ON");
                    s.execute("ALTER TABLE fact_intensity RENAME TO " + OLD_FACT_INTENSITY);
                    s.execute("PRAGMA legacy_alter_table = OFF");
                }
                // sqlite-jdbc hands a statement-less executeUpdate to sqlite3_exec, which runs every statement.
                s.executeUpdate(text());
                if (rebuildIntensity) {
                    int rows = s.executeUpdate("INSERT INTO fact_intensity (" + FACT_INTENSITY_V1_COLUMNS + ") SELECT "
                            + FACT_INTENSITY_V1_COLUMNS + " FROM " + OLD_FACT_INTENSITY);
                    s.execute("DROP TABLE " + OLD_FACT_INTENSITY);
                    log.info(
                            "fact_intensity rebuilt with the columns region and regional_forecast and the source"
                                    + " 'regional'; its {} rows kept",
                            rows);
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet r =
                s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
        try (ResultSet r = s.executeQuery(
                "SELECT COUNT(*) FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'")) {
            return r.next() && r.getInt(1) > 0;
        }
    }
}

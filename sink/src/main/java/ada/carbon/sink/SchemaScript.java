package ada.carbon.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** schema.sql, the one definition of the database's tables, indexes and views. */
final class SchemaScript {
    static final String RESOURCE = "/ada/carbon/sink/schema.sql";

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

    /** Runs the whole script in one transaction; every statement in it is idempotent. */
    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                // sqlite-jdbc hands a statement-less executeUpdate to sqlite3_exec, which runs every statement.
                s.executeUpdate(text());
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }
}

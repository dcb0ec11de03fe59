package ada.carbon.app.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest {@code fact_usage.ts} of the sink's database, read on a connection of its own (SQLite's WAL
 * lets it read beside the sink's writes) through the index on {@code ts}, at most every two seconds.
 */
final class NewestFact implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NewestFact.class);
    private static final long REFRESH_NANOS = 2_000_000_000L;

    private final Path db;
    private Connection connection;
    private long readAt = Long.MIN_VALUE;
    private double value = Double.NaN;

    NewestFact(Path db) {
        this.db = db;
    }

    synchronized double epochSeconds() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < REFRESH_NANOS) {
            return value;
        }
        readAt = now;
        try {
            if (connection == null) {
                if (!Files.exists(db)) {
                    return value = Double.NaN;
                }
                connection = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
            }
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT MAX(ts) FROM fact_usage")) {
                String ts = rs.next() ? rs.getString(1) : null;
                value = ts == null ? Double.NaN : parse(ts).getEpochSecond();
            }
        } catch (SQLException | DateTimeParseException e) {
            log.debug("cannot read the newest fact of {}: {}", db, e.toString());
            value = Double.NaN;
            close();
        }
        return value;
    }

    static Instant parse(String ts) {
        String t = ts.trim().replace(' ', 'T');
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing {}: {}", db, e.toString());
            }
            connection = null;
        }
    }
}

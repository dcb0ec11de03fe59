package ada.carbon.app.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The bench's reading connection to a database the sink child writes: over plain JDBC, as any reader
 * of the file would, since the sink runs in another process. Each query is its own snapshot (WAL), so
 * reading never holds the writer up.
 */
final class BenchDatabase implements AutoCloseable {
    /** One half-hour slot of fact_intensity. */
    record Slot(String ts, Double forecast, Double actual, String index, double intensity) {}

    private final Connection connection;
    private final PreparedStatement bucketCarbon;

    private BenchDatabase(Connection connection) throws SQLException {
        this.connection = connection;
        this.bucketCarbon = connection.prepareStatement("SELECT scope, IFNULL(project_id, -1), IFNULL(machine_id, -1), "
                + "IFNULL(user_id, ''), IFNULL(busy_gCo2eq, 0) + IFNULL(idle_gCo2eq, 0) FROM fact_usage WHERE ts = ?");
    }

    static BenchDatabase open(Path file) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA query_only = ON");
            }
            return new BenchDatabase(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The sink's stored positions (table {@code sink_offset}): where it resumes, so what it has stored. */
    Map<TopicPartition, Long> sinkPositions() {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT topic, \"partition\", next_offset FROM sink_offset")) {
            while (r.next()) {
                out.put(new TopicPartition(r.getString(1), r.getInt(2)), r.getLong(3));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sink_offset: " + e.getMessage(), e);
        }
    }

    /** The carbon (busy + idle) of every fact of one bucket, keyed by scope and entity. */
    Map<String, Double> bucketCarbon(String ts) {
        Map<String, Double> out = new HashMap<>();
        try {
            bucketCarbon.setString(1, ts);
            try (ResultSet r = bucketCarbon.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1) + "|" + r.getLong(2) + "|" + r.getLong(3) + "|" + r.getString(4), r.getDouble(5));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the facts of " + ts + ": " + e.getMessage(), e);
        }
    }

    /** The newest {@code n} slots with CPU time, newest first. */
    List<Slot> newestSlotsWithCpu(int n) {
        List<Slot> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT ts, forecast, actual, \"index\", intensity_gCo2eq_kwh "
                + "FROM fact_intensity WHERE has_cpu = 1 ORDER BY ts DESC LIMIT ?")) {
            s.setInt(1, n);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Slot(r.getString(1), nullable(r, 2), nullable(r, 3),
                            r.getString(4), r.getDouble(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fact_intensity: " + e.getMessage(), e);
        }
    }

    private static Double nullable(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    long count(String table) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to keep: the bench only read
        }
    }
}

package ada.carbon.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
                    out.put(
                            r.getString(1) + "|" + r.getLong(2) + "|" + r.getLong(3) + "|" + r.getString(4),
                            r.getDouble(5));
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
        try (PreparedStatement s =
                connection.prepareStatement("SELECT ts, forecast, actual, \"index\", intensity_gCo2eq_kwh "
                        + "FROM fact_intensity WHERE has_cpu = 1 ORDER BY ts DESC LIMIT ?")) {
            s.setInt(1, n);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Slot(r.getString(1), nullable(r, 2), nullable(r, 3), r.getString(4), r.getDouble(5)));
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
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table + ": " + e.getMessage(), e);
        }
    }

    /** A consistent copy of the database as it is now, by SQLite's online backup (sqlite-jdbc's {@code backup to}). */
    void copyTo(Path file) {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("backup to \"" + file.toAbsolutePath() + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the database to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every figure of the database, as rows of text: fact_usage, then fact_intensity, each ordered by its natural
     * key. Entities by name, not by the surrogate ids a database hands out in arrival order (README: two databases
     * made from the same events in another order may number them differently); figures exactly, as Java prints a
     * double (the shortest text that reads back as the same bits).
     */
    List<String> figureRows() {
        List<String> rows = new ArrayList<>();
        forEachFigureRow(rows::add);
        return rows;
    }

    /** How many rows {@link #figureRows} has of each table, and the SHA-256 of all of them. */
    Figures figures() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long[] counts = new long[2];
        forEachFigureRow(row -> {
            counts[row.startsWith(FACT_USAGE_TAG) ? 0 : 1]++;
            sha256.update(row.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
        });
        return new Figures(counts[0], counts[1], HexFormat.of().formatHex(sha256.digest()));
    }

    /** The rows of fact_usage and fact_intensity, and their digest; two databases with the same figures have the same. */
    record Figures(long factUsageRows, long factIntensityRows, String sha256) {}

    /** The first row where two databases' {@link #figureRows} differ, or empty when they are the same. */
    static Optional<String> firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(no row)";
            String y = i < b.size() ? b.get(i) : "(no row)";
            if (!x.equals(y)) {
                return Optional.of("row " + (i + 1) + ": " + x + "  against  " + y);
            }
        }
        return Optional.empty();
    }

    private static final String FACT_USAGE_TAG = "fact_usage|";
    private static final String FACT_INTENSITY_TAG = "fact_intensity|";
    private static final String FACT_USAGE_BY_NAME =
            "SELECT f.ts, f.scope, p.cloud_project_name, m.machine_name, f.user_id,"
                    + " f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,"
                    + " f.intensity_gCo2eq_kwh FROM fact_usage f LEFT JOIN dim_project p ON p.project_id = f.project_id"
                    + " LEFT JOIN dim_machine m ON m.machine_id = f.machine_id"
                    + " ORDER BY f.ts, f.scope, p.cloud_project_name, m.machine_name, f.user_id";
    private static final String FACT_INTENSITY = "SELECT ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source,"
            + " has_cpu FROM fact_intensity ORDER BY ts";

    private void forEachFigureRow(Consumer<String> out) {
        forEachRow(FACT_USAGE_TAG, FACT_USAGE_BY_NAME, out);
        forEachRow(FACT_INTENSITY_TAG, FACT_INTENSITY, out);
    }

    private void forEachRow(String tag, String sql, Consumer<String> out) {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            StringBuilder row = new StringBuilder();
            while (r.next()) {
                row.setLength(0);
                row.append(tag);
                for (int c = 1; c <= columns; c++) {
                    Object v = r.getObject(c);
                    row.append(c == 1 ? "" : "|")
                            .append(
                                    v == null
                                            ? "null"
                                            : v instanceof Float || v instanceof Double
                                                    ? Double.toString(((Number) v).doubleValue())
                                                    : v instanceof Number n
                                                            ? Long.toString(n.longValue())
                                                            : v.toString());
                }
                out.accept(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the figures (" + tag + "): " + e.getMessage(), e);
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

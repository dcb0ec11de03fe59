package ada.carbon.report.serve;

import ada.carbon.report.ReportDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * serve's own read-only connections to the database, a few shared by the request threads. The sink keeps
 * writing in WAL mode: a reader never blocks it, and each request reads in one short transaction (one snapshot
 * for all its figures), ended before the connection goes back, so no reader holds back the sink's checkpoints.
 */
final class ServeDatabase implements AutoCloseable {
    /** A request waits this long for a connection before it is answered 503. */
    private static final long WAIT_SECONDS = 10;
    /** SQLite's own ceiling for a map (SQLITE_MAX_MMAP_SIZE); a larger file is mapped in part, read in the rest. */
    private static final long MMAP_BYTES = 2_000_000_000L;

    interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    private final Path file;
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    /** Asks SQLite whether anyone committed since it last asked: PRAGMA data_version, on a connection of its own. */
    private final Connection watch;

    private long lastDataVersion = Long.MIN_VALUE;
    private long changes;

    ServeDatabase(Path file, int connections) throws SQLException {
        this.file = file;
        this.pool = new ArrayBlockingQueue<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = ReportDatabase.openReadOnly(file);
                all.add(c);
                try (Statement s = c.createStatement()) {
                    // Read the file through a memory map (no read call per page: a year of one user's facts is
                    // 8,760 pages apart), with a page cache of 32 MB per connection.
                    s.execute("PRAGMA mmap_size = " + MMAP_BYTES);
                    s.execute("PRAGMA cache_size = -32768");
                }
                c.setAutoCommit(false);
                pool.add(c);
            }
            watch = ReportDatabase.openReadOnly(file);
            all.add(watch);
            ReportDatabase.requireCurrentSchema(watch, file);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code read} on a pooled connection, in one read transaction. */
    <T> T read(Read<T> read) throws SQLException {
        Connection c;
        try {
            c = pool.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted while waiting for a database connection");
        }
        if (c == null) {
            throw new ApiError(503, "every database connection is busy; try again");
        }
        try {
            T result = read.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is still usable for the next request, or its next error says why
            }
            throw e;
        } finally {
            pool.add(c);
        }
    }

    /**
     * A number that grows whenever another connection (the sink) has committed since the last call: the
     * dashboard polls it to know when to fetch again.
     */
    synchronized long dataVersion() throws SQLException {
        try (Statement s = watch.createStatement();
                ResultSet r = s.executeQuery("PRAGMA data_version")) {
            r.next();
            long v = r.getLong(1);
            if (v != lastDataVersion) {
                lastDataVersion = v;
                changes++;
            }
            return changes;
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing more to do with it
            }
        }
    }
}

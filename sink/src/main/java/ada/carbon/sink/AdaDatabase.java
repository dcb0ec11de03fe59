package ada.carbon.sink;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.sink.SinkChange.CpuLabelChange;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import ada.carbon.sink.SinkChange.UserChange;
import ada.carbon.sink.SinkChange.WorkspaceChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ada SQLite database (SPEC 3): created from schema.sql on open, written one batch per
 * transaction together with the offsets the batch consumed, so a crash leaves either both or neither.
 * A database locked by another connection is waited for, never given up on. Thread-safe: calls are
 * serialised on the one connection.
 */
public final class AdaDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdaDatabase.class);

    /** How long SQLite itself waits for a lock before reporting the database busy to us. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private static final long MAX_RETRY_PAUSE_MS = 5_000;

    private final Path file;
    private final Connection connection;
    private final Dimensions dims;
    private final FactWriter facts;
    private final RegistryWriter registry;
    private final OffsetStore offsets;
    private boolean closed;

    private AdaDatabase(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.dims = new Dimensions(connection);
        this.facts = new FactWriter(connection, dims);
        this.registry = new RegistryWriter(connection, dims);
        this.offsets = new OffsetStore(connection);
    }

    public static AdaDatabase open(Path file) {
        return open(file, DEFAULT_BUSY_TIMEOUT);
    }

    /** Opens or creates the database at {@code file} and brings its schema up to date. */
    public static AdaDatabase open(Path file, Duration busyTimeout) {
        createParentDirectories(file);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            Connection c = connection;
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
                s.execute("PRAGMA foreign_keys = ON");
            }
            retryWhileBusy(file, "setting WAL mode and creating the schema", () -> {
                try (Statement s = c.createStatement()) {
                    // WAL lets dashboards read while the sink writes. NORMAL sync may lose the newest
                    // transactions on power loss but never splits one: rows and offsets go together.
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA synchronous = NORMAL");
                }
                SchemaScript.apply(c);
                return null;
            });
            AdaDatabase db = new AdaDatabase(file, connection);
            log.info("SQLite database {} open (WAL, foreign keys on)", file);
            return db;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new SinkDatabaseException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Applies the batch's changes in order and stores its offsets, all in one transaction. Invalid
     * changes are logged and skipped; a failure of the database (not of one change) rolls the whole batch back.
     *
     * @throws SinkDatabaseException if the batch could not be stored; nothing of it was
     */
    public synchronized ApplyResult apply(SinkBatch batch) {
        return apply(batch, rejected -> {});
    }

    /**
     * As {@link #apply(SinkBatch)}; a change that fails for what it holds (SPEC 2.7's reason {@code error}) is
     * left out and the batch applied again without it, so that one record cannot stall the sink.
     *
     * @param beforeCommit given the changes refused or left out, just before the commit (the sink dead-letters
     *                     them there, so that none is lost between the two); if it throws, nothing is stored
     */
    public synchronized ApplyResult apply(SinkBatch batch, Consumer<List<ApplyResult.Rejected>> beforeCommit) {
        requireOpen();
        if (batch.isEmpty()) {
            return new ApplyResult(0, List.of());
        }
        List<ApplyResult.Rejected> failed = new ArrayList<>();
        SinkBatch remaining = batch;
        while (true) {
            SinkBatch attempt = remaining;
            try {
                return retryWhileBusy(
                        file,
                        "a batch of " + attempt.size() + " changes",
                        () -> applyOnce(attempt, failed, beforeCommit));
            } catch (ChangeFailed e) {
                SinkBatch.Entry culprit = attempt.entries().get(e.index);
                log.error(
                        "the change from {} cannot be applied; the batch is applied without it",
                        culprit.origin(),
                        e.getCause());
                failed.add(new ApplyResult.Rejected(culprit, DeadLetter.ERROR, String.valueOf(e.getCause())));
                List<SinkBatch.Entry> kept = new ArrayList<>(attempt.entries());
                kept.remove(e.index);
                remaining = attempt.with(kept);
            } catch (SQLException e) {
                throw new SinkDatabaseException(
                        "batch of " + batch.size() + " changes rolled back: " + e.getMessage(), e);
            }
        }
    }

    /** One change of the batch failed for what it holds; the transaction is rolled back. */
    private static final class ChangeFailed extends RuntimeException {
        final int index;

        ChangeFailed(int index, Exception cause) {
            super(cause);
            this.index = index;
        }
    }

    /** The next offset to read for each partition the database has stored rows from. */
    public synchronized Map<SourcePartition, Long> storedOffsets() {
        requireOpen();
        try {
            return retryWhileBusy(file, "reading the stored offsets", offsets::readAll);
        } catch (SQLException e) {
            throw new SinkDatabaseException("cannot read the stored offsets: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (connection;
                dims;
                facts;
                registry;
                offsets) {
            log.info("SQLite database {} closed", file);
        } catch (SQLException e) {
            log.warn("closing SQLite database {}: {}", file, e.getMessage());
        }
    }

    private ApplyResult applyOnce(
            SinkBatch batch, List<ApplyResult.Rejected> failed, Consumer<List<ApplyResult.Rejected>> beforeCommit)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            // IMMEDIATE takes the write lock up front, so a busy database shows before any work is done.
            s.execute("BEGIN IMMEDIATE");
            try {
                ApplyResult result = writeAll(batch, failed);
                beforeCommit.accept(result.rejected());
                s.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(s);
                throw e;
            }
        }
    }

    private ApplyResult writeAll(SinkBatch batch, List<ApplyResult.Rejected> failed) throws SQLException {
        dims.beginTransaction();
        registry.beginTransaction();
        int applied = 0;
        List<ApplyResult.Rejected> rejected = new ArrayList<>(failed);
        List<SinkBatch.Entry> entries = batch.entries();
        for (int i = 0; i < entries.size(); i++) {
            SinkBatch.Entry entry = entries.get(i);
            try {
                write(entry.change());
                applied++;
            } catch (InvalidChangeException e) {
                rejected.add(new ApplyResult.Rejected(entry, DeadLetter.INVALID, e.getMessage()));
                log.warn(
                        "skipping invalid {} from {}: {}",
                        entry.change().getClass().getSimpleName(),
                        entry.origin(),
                        e.getMessage());
            } catch (SQLException e) {
                if (SqliteErrors.isOneChangesFault(e)) {
                    throw new ChangeFailed(i, e);
                }
                throw e;
            } catch (RuntimeException e) {
                throw new ChangeFailed(i, e);
            }
        }
        registry.finishTransaction();
        offsets.write(batch.offsets());
        return new ApplyResult(applied, rejected);
    }

    private void write(SinkChange change) throws InvalidChangeException, SQLException {
        if (change instanceof FactChange c) {
            facts.write(c);
        } else if (change instanceof SlotChange c) {
            facts.write(c);
        } else if (change instanceof WorkspaceChange c) {
            registry.write(c);
        } else if (change instanceof UserChange c) {
            registry.write(c);
        } else if (change instanceof CpuLabelChange c) {
            registry.write(c);
        } else {
            throw new InvalidChangeException("unknown change " + change);
        }
    }

    private static void rollback(Statement s) {
        try {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); nothing is left open.
            log.debug("rollback: {}", e.getMessage());
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} until it gets past another connection's lock; each attempt must be atomic. */
    private static <T> T retryWhileBusy(Path file, String what, SqlWork<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (!SqliteErrors.isBusy(e)) {
                    throw e;
                }
                long pause = Math.min(MAX_RETRY_PAUSE_MS, 100L << Math.min(attempt - 1, 6));
                log.warn(
                        "SQLite database {} is busy or locked by another connection ({}); retrying {} in {} ms (attempt {})",
                        file,
                        e.getMessage(),
                        what,
                        pause,
                        attempt);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for a busy database", ie);
                }
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("SQLite database " + file + " is closed");
        }
    }

    private static void createParentDirectories(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already failing to open; the first error is the one to report.
            }
        }
    }
}

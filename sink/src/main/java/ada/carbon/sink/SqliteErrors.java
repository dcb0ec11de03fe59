package ada.carbon.sink;

import java.sql.SQLException;

/** Which SQLite failures are worth waiting out. */
final class SqliteErrors {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private static final int SQLITE_TOOBIG = 18;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_MISMATCH = 20;
    private static final int SQLITE_RANGE = 25;
    /** A trigger's RAISE(ABORT): a rule the database's keeper added, not one a change can be faulted for. */
    private static final int SQLITE_CONSTRAINT_TRIGGER = 1811;

    private SqliteErrors() {}

    /**
     * The statement failed for what one change held (a constraint, a value too big or of the wrong type):
     * the same change fails every time, and the rest of its batch can be applied without it. Anything
     * else (a full disk, an I/O error, a locked or read-only file) is the database's, and the whole batch
     * waits for it.
     */
    static boolean isOneChangesFault(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        if (e instanceof org.sqlite.SQLiteException sqlite
                && sqlite.getResultCode().code == SQLITE_CONSTRAINT_TRIGGER) {
            return false; // the extended code: getErrorCode() holds the primary one only
        }
        return primary == SQLITE_TOOBIG
                || primary == SQLITE_CONSTRAINT
                || primary == SQLITE_MISMATCH
                || primary == SQLITE_RANGE;
    }

    /** Another connection holds a lock we need: the same work succeeds once it lets go. */
    static boolean isBusy(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // Extended result codes (e.g. SQLITE_BUSY_SNAPSHOT) keep the primary code in the low byte.
                int primary = sql.getErrorCode() & 0xff;
                if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
                    return true;
                }
            }
        }
        return false;
    }
}

package ada.carbon.sink;

import java.sql.SQLException;

/** Which SQLite failures are worth waiting out. */
final class SqliteErrors {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private SqliteErrors() {}

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

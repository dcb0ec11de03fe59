package ada.carbon.aggregator.errors;

/**
 * Thrown out of a processor when applying a record failed ({@link PoisonRecords}): it fails the stream
 * thread on purpose, so that the task starts again from its last commit, and the thread's replacement is
 * not counted as a fault of the process ({@link StreamThreadFailures}).
 */
public final class PoisonRecordException extends RuntimeException {
    PoisonRecordException(String record, String detail, Throwable cause) {
        super(
                "applying " + record + " failed (" + detail + "); the task restarts from its last commit and"
                        + " dead-letters it",
                cause);
    }

    /** Whether {@code t} or one of its causes is one. */
    public static boolean isIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PoisonRecordException) {
                return true;
            }
        }
        return false;
    }
}

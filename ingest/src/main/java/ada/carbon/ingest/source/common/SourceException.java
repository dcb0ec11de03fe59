package ada.carbon.ingest.source.common;

/**
 * A source could not do its work: an HTTP request that kept failing, an answer of the wrong shape, a
 * checkpoint that cannot be read. Never swallowed: a backfill stops at the last checkpoint, and a
 * follower reports it and tries again at its next poll only when {@link #isTransient()}.
 */
public class SourceException extends RuntimeException {
    private final boolean transientFailure;

    public SourceException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public SourceException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Permanent: retrying the same request cannot help (a 4xx, an answer that is not the documented shape). */
    public static SourceException permanent(String message) {
        return new SourceException(message, false);
    }

    /** True when the same request may well succeed later (timeouts, 429, 5xx, refused connections). */
    public boolean isTransient() {
        return transientFailure;
    }
}

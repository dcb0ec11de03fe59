package ada.carbon.bench;

import java.time.Duration;

/** A phase of the bench did not finish in time; the message says which and what was still behind. */
final class PhaseTimeoutException extends IllegalStateException {
    PhaseTimeoutException(String phase, Duration timeout, String detail) {
        super("bench phase '" + phase + "' timed out after " + timeout.toSeconds() + " s"
                + (detail == null || detail.isBlank() ? "" : "; " + detail));
    }
}

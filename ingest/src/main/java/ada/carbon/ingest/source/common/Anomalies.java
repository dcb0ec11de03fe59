package ada.carbon.ingest.source.common;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * Counts what a source had to leave out (a non-finite value, a slot the API did not return, ...),
 * warning loudly about the first few of each kind and counting the rest, so that nothing is dropped
 * silently and a bad day does not flood the log. The very same message is reported and counted once
 * (a follower meets the same odd record at every poll). The counts end up in the run's summary.
 */
public final class Anomalies {
    private static final int LOUD = 20;

    private final Logger log;
    private static final int REMEMBERED = 10_000;

    private final Map<String, Long> counts = new TreeMap<>();
    /** Messages already reported: a follower reading the same odd record at every poll reports it once. */
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    public Anomalies(Logger log) {
        this.log = log;
    }

    public void report(String kind, String detail) {
        report(kind, 1, detail);
    }

    /** Reports {@code count} occurrences of one kind in one message. */
    public synchronized void report(String kind, long count, String detail) {
        if (reported.contains(kind + "\n" + detail)) {
            return;
        }
        if (reported.size() < REMEMBERED) {
            reported.add(kind + "\n" + detail);
        }
        long before = counts.getOrDefault(kind, 0L);
        long n = counts.merge(kind, count, Long::sum);
        if (before < LOUD) {
            log.warn(
                    "{}: {}{}",
                    kind,
                    detail,
                    n >= LOUD ? " (further ones of this kind are counted, logged at DEBUG)" : "");
        } else {
            log.debug("{}: {}", kind, detail);
        }
    }

    public synchronized long count(String kind) {
        return counts.getOrDefault(kind, 0L);
    }

    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    @Override
    public synchronized String toString() {
        return counts.isEmpty() ? "none" : counts.toString();
    }
}

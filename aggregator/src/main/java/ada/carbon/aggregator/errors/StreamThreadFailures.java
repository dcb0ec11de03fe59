package ada.carbon.aggregator.errors;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies. A poison record ({@link PoisonRecordException}) is expected to
 * cost one restart of its task, so its thread is replaced. Any other failure is a fault of the process
 * or the cluster: the thread is replaced a few times within a window (a broker restart, a network
 * blip), then the client shuts down, so that the service exits non-zero and is restarted by whoever
 * runs it, instead of living on with a thread that fails forever. An {@link Error} (out of memory)
 * shuts it down at once: a fresh JVM is the only cure.
 */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);
    static final int MAX_FAULTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final Deque<Long> faults = new ArrayDeque<>();
    private volatile long lastFailureNanos;
    private volatile String lastFailure;

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        if (PoisonRecordException.isIn(e)) {
            log.warn(
                    "a record could not be applied; restarting its task from the last commit without it: {}",
                    e.getMessage());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        long now = System.nanoTime();
        lastFailureNanos = now;
        lastFailure = String.valueOf(e.getMessage());
        if (causedByError(e)) {
            log.error("aggregator stream thread died of an Error; shutting the aggregator down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        while (!faults.isEmpty() && now - faults.peekFirst() > WINDOW.toNanos()) {
            faults.removeFirst();
        }
        faults.addLast(now);
        if (faults.size() >= MAX_FAULTS) {
            log.error(
                    "aggregator stream threads failed {} times within {} minutes; shutting the aggregator down",
                    faults.size(),
                    WINDOW.toMinutes(),
                    e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error(
                "aggregator stream thread failed ({} of {} failures allowed within {} minutes); replacing it",
                faults.size(),
                MAX_FAULTS - 1,
                WINDOW.toMinutes(),
                e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * The last fault (a failure that was not a poison record's), if one struck within {@code within}: health
     * is not UP while threads fail.
     */
    public Optional<String> faultWithin(Duration within) {
        String failure = lastFailure;
        return failure != null && System.nanoTime() - lastFailureNanos < within.toNanos()
                ? Optional.of(failure)
                : Optional.empty();
    }

    private static boolean causedByError(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Error) {
                return true;
            }
        }
        return false;
    }
}

package ada.carbon.app.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Tells a service that is up but not working: input is waiting (its consumer group's lag is above zero)
 * and it has consumed nothing for {@link #STALL_AFTER}. Its {@code /health} is then not UP. Asked on each
 * health check, which is what moves it on: it remembers the last progress it saw and when it changed.
 */
public final class StallWatch {
    /**
     * Longer than any pause the services make of their own: a sink retrying a busy database (at most 5 s
     * apart), the aggregator committing (every 500 ms); restoring state counts as rebalancing, not as stalling.
     */
    public static final Duration STALL_AFTER = Duration.ofMinutes(2);

    private final LongSupplier progress;
    private final DoubleSupplier behind;
    private final LongSupplier nanoTime;
    private final Duration stallAfter;
    private long lastProgress = Long.MIN_VALUE;
    private long changedAt;

    /**
     * @param progress a count that grows as the service consumes (records read)
     * @param behind the records waiting for it (NaN when unknown: not a stall)
     */
    public StallWatch(LongSupplier progress, DoubleSupplier behind) {
        this(progress, behind, System::nanoTime, STALL_AFTER);
    }

    StallWatch(LongSupplier progress, DoubleSupplier behind, LongSupplier nanoTime, Duration stallAfter) {
        this.progress = progress;
        this.behind = behind;
        this.nanoTime = nanoTime;
        this.stallAfter = stallAfter;
    }

    /** Why the service counts as stalled, or empty when it does not. */
    public synchronized Optional<String> stalled() {
        long now = nanoTime.getAsLong();
        long seen = progress.getAsLong();
        if (seen != lastProgress) {
            lastProgress = seen;
            changedAt = now;
            return Optional.empty();
        }
        double waiting = behind.getAsDouble();
        long quietFor = now - changedAt;
        if (waiting > 0 && quietFor >= stallAfter.toNanos()) {
            return Optional.of(String.format(
                    java.util.Locale.ROOT,
                    "stalled: %.0f records waiting, none consumed for %d s",
                    waiting,
                    Duration.ofNanos(quietFor).toSeconds()));
        }
        return Optional.empty();
    }
}

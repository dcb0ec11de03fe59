package ada.carbon.ingest.source.testing;

import ada.carbon.ingest.source.common.FollowClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A follower's clock that jumps instead of waiting: each {@link #sleepUntil} moves time to the
 * instant asked for, runs the test's hook (to change what a server answers, say), and stops the
 * follower after a given number of sleeps.
 */
public final class TestClock implements FollowClock {
    private Instant now;
    private int sleepsLeft;
    private boolean stopped;
    private final List<Instant> sleeps = new ArrayList<>();
    private Consumer<Instant> onWake = t -> {};

    public TestClock(Instant now, int sleeps) {
        this.now = now;
        this.sleepsLeft = sleeps;
    }

    public TestClock onWake(Consumer<Instant> hook) {
        this.onWake = hook;
        return this;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    public synchronized void set(Instant t) {
        now = t;
    }

    @Override
    public synchronized boolean sleepUntil(Instant until) {
        if (stopped || sleepsLeft-- <= 0) {
            stopped = true;
            return false;
        }
        sleeps.add(until);
        if (until.isAfter(now)) {
            now = until;
        }
        onWake.accept(now);
        return true;
    }

    @Override
    public synchronized boolean stopped() {
        return stopped;
    }

    public synchronized List<Instant> sleeps() {
        return new ArrayList<>(sleeps);
    }
}

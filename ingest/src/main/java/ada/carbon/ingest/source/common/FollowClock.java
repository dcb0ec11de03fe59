package ada.carbon.ingest.source.common;

import java.time.Duration;
import java.time.Instant;

/** Time as a following source sees it: what time it is, and waiting for the next poll until stopped. */
public interface FollowClock {
    Instant now();

    /**
     * Waits until {@code until} (at once if it has passed).
     *
     * @return false if the follower was stopped meanwhile (or before): it should finish and return
     */
    boolean sleepUntil(Instant until);

    /** True once the follower has been asked to stop. */
    boolean stopped();

    /** The wall clock; {@link #stop()} wakes a sleeping follower (from a shutdown hook, say). */
    static SystemClock system() {
        return new SystemClock();
    }

    final class SystemClock implements FollowClock {
        private final Object lock = new Object();
        private boolean stopped;

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public boolean sleepUntil(Instant until) {
            synchronized (lock) {
                while (!stopped) {
                    long ms = Duration.between(Instant.now(), until).toMillis();
                    if (ms <= 0) {
                        return true;
                    }
                    try {
                        lock.wait(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stopped = true;
                    }
                }
                return false;
            }
        }

        @Override
        public boolean stopped() {
            synchronized (lock) {
                return stopped;
            }
        }

        public void stop() {
            synchronized (lock) {
                stopped = true;
                lock.notifyAll();
            }
        }
    }
}

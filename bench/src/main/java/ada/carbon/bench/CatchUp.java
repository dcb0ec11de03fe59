package ada.carbon.bench;

import ada.carbon.stack.Quiescence;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the moment everything published has reached the database, by {@link Quiescence}'s definition
 * (the aggregator has consumed its raw and internal topics to their ends, and the sink has stored its
 * output to their ends). Unlike {@link Quiescence#await}, the time it gives is that of the first clean
 * round, not of the rounds that confirm it, so the figure is not inflated by the confirmation.
 */
final class CatchUp {
    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    /**
     * How long nothing may be behind before it counts: {@link Quiescence#SETTLE}, longer than a change
     * can stay unwritten. One round can be fooled: the restatement probe saw a clean round in about a
     * third of its probes while the last change was still to come.
     */
    static final Duration STABLE = Quiescence.SETTLE;

    private final Quiescence quiescence;
    private final Supplier<String> problem;

    /** @param problem why the pipeline can no longer catch up (a service died), or null while it can */
    CatchUp(Quiescence quiescence, Supplier<String> problem) {
        this.quiescence = quiescence;
        this.problem = problem;
    }

    /**
     * @param pollEvery the shortest pause between rounds; each is up to twice that, at random
     * @return the {@link System#nanoTime()} of the first of the rounds that found nothing behind for {@link #STABLE}
     * @throws PhaseTimeoutException after {@code timeout}, saying what was still behind
     */
    long await(String phase, Duration timeout, Duration pollEvery) throws InterruptedException {
        int pollMs = (int) pollEvery.toMillis();
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        long firstClean = -1;
        String behind = "";
        while (System.nanoTime() < deadline) {
            String dead = problem.get();
            if (dead != null) {
                throw new IllegalStateException("bench phase '" + phase + "': " + dead);
            }
            long at = System.nanoTime();
            behind = quiescence.behind();
            if (behind.isEmpty()) {
                if (firstClean < 0) {
                    firstClean = at;
                } else if (at - firstClean >= STABLE.toNanos()) {
                    return firstClean;
                }
            } else {
                firstClean = -1;
            }
            if (System.nanoTime() > nextProgress) {
                nextProgress += PROGRESS_EVERY.toNanos();
                log.info(
                        "{}: {} s in, still behind: {}",
                        phase,
                        (System.nanoTime() - started) / 1_000_000_000L,
                        brief(behind));
            }
            Thread.sleep(jittered(pollMs));
        }
        throw new PhaseTimeoutException(phase, timeout, "still behind: " + brief(behind));
    }

    /**
     * One round, right now: nothing behind. For callers that poll something else between checks and
     * confirm over {@link #STABLE} themselves.
     */
    boolean nothingBehind() throws InterruptedException {
        String dead = problem.get();
        if (dead != null) {
            throw new IllegalStateException(dead);
        }
        return quiescence.behind().isEmpty();
    }

    /** Between {@code ms} and twice that, at random: polls that cannot fall into step with the commits. */
    static long jittered(int ms) {
        return ms + ThreadLocalRandom.current().nextInt(ms + 1);
    }

    private static final Pattern LAG = Pattern.compile("(\\w+) (\\S+)-(\\d+) at (\\d+) of (\\d+)");

    /**
     * What is behind, summed per consumer and topic, largest first (Quiescence lists every partition):
     * which internal topic's backlog grows is the first clue to what limits the pipeline.
     */
    static String brief(String behind) {
        Map<String, Long> lag = new HashMap<>();
        Matcher m = LAG.matcher(behind);
        while (m.find()) {
            lag.merge(
                    m.group(1) + " " + m.group(2), Long.parseLong(m.group(5)) - Long.parseLong(m.group(4)), Long::sum);
        }
        if (lag.isEmpty()) {
            return behind.length() <= 400 ? behind : behind.substring(0, 400) + "...";
        }
        long total = lag.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%,d records; ", total)
                + lag.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(5)
                        .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "))
                + (lag.size() > 5 ? ", ..." : "");
    }
}

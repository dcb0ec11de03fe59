package ada.carbon.ingest.source.prometheus;

import ada.carbon.avro.CpuEvent;
import ada.carbon.ingest.source.common.Anomalies;
import ada.carbon.ingest.source.common.BackfillStart;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.FollowClock;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.SourceTimes;
import ada.carbon.ingest.source.common.Urls;
import ada.carbon.ingest.source.common.WindowedSource;
import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU seconds from Prometheus: one {@code cpu} event per instance per step, with the busy and idle
 * seconds summed over cores (SPEC 1.1).
 *
 * <p>Two range queries per chunk, {@link PrometheusSettings#busyQuery()} and
 * {@link PrometheusSettings#idleQuery()}, evaluated at the end of each step: the point at time
 * {@code t} is {@code increase(…[step])} over {@code (t - step, t]} and becomes the event with
 * {@code ts = t - step}, {@code period_seconds = step}. {@code increase} corrects counter resets per
 * series before the sum, so a reboot does not produce a negative or huge value. A step without samples
 * has no point and so no event: a gap stays a gap, it never becomes a zero.
 *
 * <p>Steps are aligned to multiples of the step since the epoch. Long ranges are cut into chunks of at
 * most {@link PrometheusSettings#stepsPerRequest()} steps, under Prometheus' 11,000 points per series.
 * After each chunk the sink is flushed and the checkpoint records {@code done_until}; a rerun of the
 * same job starts there.
 *
 * <p>What cannot be emitted is reported and counted, never emitted as zero: a non-finite, negative or
 * implausibly large value, a busy figure without its idle one (or the reverse), a series without the
 * instance label. Steps an instance has no samples for, between two it has, are reported as a gap;
 * a chunk without any data at all is reported too.
 */
public final class PrometheusSource implements WindowedSource {
    public static final String NAME = "prometheus";
    static final String DONE_UNTIL = "done_until";
    private static final Logger log = LoggerFactory.getLogger(PrometheusSource.class);

    private final PrometheusSettings settings;
    private final PrometheusClient client;
    private final EventSink sink;
    private final Committer committer;
    private final Consumer<String> progress;
    private final Anomalies anomalies = new Anomalies(log);
    private final String sourceName;
    /** The last step emitted per instance, to report the steps missing between two that are not. */
    private final Map<String, Instant> lastStep = new java.util.HashMap<>();

    private long events;

    public PrometheusSource(
            PrometheusSettings settings,
            PrometheusClient client,
            EventSink sink,
            Committer committer,
            Consumer<String> progress) {
        this.settings = settings;
        this.client = client;
        this.sink = sink;
        this.committer = committer;
        this.progress = progress;
        this.sourceName = Urls.masked(client.endpoint());
    }

    /** The checkpoint job of a backfill of {@code [from, to)}. */
    public static ObjectNode backfillJob(PrometheusSettings s, Instant from, Instant to) {
        ObjectNode job = s.identity();
        job.put("from", Times.format(alignDown(from, s.step())));
        job.put("to", Times.format(alignDown(to, s.step())));
        return job;
    }

    /** The checkpoint job of a follower (from {@code from}, or from the last complete step). */
    public static ObjectNode followJob(PrometheusSettings s, Optional<Instant> from) {
        ObjectNode job = s.identity();
        job.put("follow", true);
        from.ifPresent(f -> job.put("from", Times.format(alignDown(f, s.step()))));
        return job;
    }

    /** Events emitted so far (taken by the sink or rejected by it). */
    public long events() {
        return events;
    }

    @Override
    public Anomalies anomalies() {
        return anomalies;
    }

    /**
     * Emits every step of {@code [from, to)} (both rounded down to a multiple of the step), from where
     * {@code resume} stopped if given.
     */
    @Override
    public void backfill(Instant from, Instant to, Optional<ObjectNode> resume) {
        Instant start = alignDown(from, settings.step());
        Instant end = alignDown(to, settings.step());
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("--from must be at least one step (" + settings.step()
                    + ") before --to, after both are rounded down to whole steps");
        }
        Optional<Instant> resumeAt = BackfillStart.of(NAME, start, end, resumePoint(resume), committer, progress);
        if (resumeAt.isEmpty()) {
            return;
        }
        Instant next = resumeAt.get();
        long totalSteps = Duration.between(start, end).dividedBy(settings.step());
        long started = System.nanoTime();
        long stepsAtStart = Duration.between(start, next).dividedBy(settings.step());
        while (next.isBefore(end)) {
            Instant chunkEnd = min(end, next.plus(settings.step().multipliedBy(settings.stepsPerRequest())));
            long n = chunk(next, chunkEnd);
            next = chunkEnd;
            long done = Duration.between(start, next).dividedBy(settings.step());
            double secs = (System.nanoTime() - started) / 1e9;
            double rate = (done - stepsAtStart) / Math.max(secs, 1e-3);
            long etaSeconds = Math.round((totalSteps - done) / Math.max(rate, 1e-9));
            progress.accept(String.format(
                    "%s: up to %s: %d%% (%d of %d steps), %d events in this chunk, %d in all%s",
                    NAME,
                    Times.format(next),
                    done * 100 / totalSteps,
                    done,
                    totalSteps,
                    n,
                    events,
                    done < totalSteps ? ", about " + etaSeconds + " s to go" : ""));
        }
        if (anomalies.total() > 0) {
            progress.accept(NAME + ": left out (reported above): " + anomalies);
        }
    }

    /**
     * Emits each step once it is complete (its end plus the delay has passed), until the clock is
     * stopped. Starts at the checkpoint of the same job, else at {@code from}, else at the last
     * complete step. A poll that fails transiently is reported and retried after
     * {@link PrometheusSettings#retryPause()}; nothing is skipped meanwhile.
     */
    @Override
    public void follow(Optional<Instant> from, Optional<ObjectNode> resume, FollowClock clock) {
        Duration step = settings.step();
        Instant next = resumePoint(resume)
                .or(() -> from.map(f -> alignDown(f, step)))
                .orElseGet(() -> completeUntil(clock.now()).minus(step));
        progress.accept(
                NAME + ": following from " + Times.format(next) + ", each step " + settings.delay() + " after it ends");
        while (!clock.stopped()) {
            Instant complete = completeUntil(clock.now());
            try {
                while (next.isBefore(complete) && !clock.stopped()) {
                    Instant chunkEnd = min(complete, next.plus(step.multipliedBy(settings.stepsPerRequest())));
                    long n = chunk(next, chunkEnd);
                    next = chunkEnd;
                    progress.accept(NAME + ": up to " + Times.format(next) + ": " + n + " events");
                }
            } catch (SourceException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                if (clock.stopped()) {
                    break; // stopped mid-request: what was not finished is done again next time
                }
                log.error(
                        "{}: the steps from {} could not be read; trying again in {}: {}",
                        NAME,
                        Times.format(next),
                        settings.retryPause(),
                        e.getMessage());
                if (!clock.sleepUntil(clock.now().plus(settings.retryPause()))) {
                    break;
                }
                continue;
            }
            if (!clock.sleepUntil(next.plus(step).plus(settings.delay()))) {
                break;
            }
        }
        progress.accept(NAME + ": stopped following at " + Times.format(next));
    }

    private Instant completeUntil(Instant now) {
        return alignDown(now.minus(settings.delay()), settings.step());
    }

    private Optional<Instant> resumePoint(Optional<ObjectNode> resume) {
        return resume.map(s -> s.path(DONE_UNTIL).asText(null)).map(Times::parse);
    }

    private record Key(Instant ts, String instance, String project, String machine) {}

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::ts)
            .thenComparing(Key::instance)
            .thenComparing(Key::project)
            .thenComparing(Key::machine);

    /**
     * Reads and emits the steps of {@code [start, end)}, then commits {@code end}. A range Prometheus
     * finds too heavy (it refuses to load that many samples) is read in halves instead.
     */
    long chunk(Instant start, Instant end) {
        Duration step = settings.step();
        Instant firstEval = start.plus(step);
        List<PrometheusClient.Series> busy;
        List<PrometheusClient.Series> idle;
        try {
            busy = client.queryRange(settings.busyQuery(), firstEval, end, step);
            idle = client.queryRange(settings.idleQuery(), firstEval, end, step);
        } catch (SourceException e) {
            long steps = Duration.between(start, end).dividedBy(step);
            if (e.isTransient() || steps < 2 || !tooHeavy(e.getMessage())) {
                throw e;
            }
            Instant middle = start.plus(step.multipliedBy(steps / 2));
            log.warn(
                    "{}: Prometheus refused {} steps at once ({}); reading them in two halves (a smaller --chunk"
                            + " avoids this)",
                    NAME,
                    steps,
                    e.getMessage());
            return chunk(start, middle) + chunk(middle, end);
        }
        if (busy.isEmpty() && idle.isEmpty()) {
            anomalies.report(
                    "no data",
                    "Prometheus has no " + settings.metric() + " data from " + Times.format(start) + " to "
                            + Times.format(end) + " (check --url, --selector and the time range); no events");
        }
        Map<Key, String[]> values = new TreeMap<>(ORDER);
        collect(busy, 0, values, start, end);
        collect(idle, 1, values, start, end);
        long emitted = 0;
        for (Map.Entry<Key, String[]> e : values.entrySet()) {
            Key k = e.getKey();
            String[] v = e.getValue();
            String where = k.instance() + " at " + Times.format(k.ts());
            Instant last = lastStep.put(k.instance(), k.ts());
            if (last != null && k.ts().isAfter(last.plus(step))) {
                long missing = Duration.between(last, k.ts()).dividedBy(step) - 1;
                anomalies.report(
                        "gap",
                        missing,
                        k.instance() + " has no samples for " + missing + " step"
                                + (missing == 1 ? "" : "s") + " from " + Times.format(last.plus(step)) + " to "
                                + Times.format(k.ts()) + " (scrapes missed, or the host was down); no events for them");
            }
            if (v[0] == null || v[1] == null) {
                anomalies.report(
                        "incomplete",
                        "Prometheus gave " + (v[0] == null ? "idle" : "busy") + " seconds but no "
                                + (v[0] == null ? "busy" : "idle") + " seconds for " + where + "; no event");
                continue;
            }
            double b = PrometheusClient.value(v[0]);
            double i = PrometheusClient.value(v[1]);
            if (!Double.isFinite(b) || !Double.isFinite(i) || b < 0 || i < 0) {
                anomalies.report(
                        "non-finite or negative", "busy " + v[0] + ", idle " + v[1] + " for " + where + "; no event");
                continue;
            }
            double limit = (double) step.toSeconds() * settings.maxCores();
            if (b + i > limit) {
                anomalies.report(
                        "implausible",
                        "busy " + v[0] + " + idle " + v[1] + " CPU seconds in "
                                + step.toSeconds() + " s for " + where + " is more than " + settings.maxCores()
                                + " cores could give (a counter reset seen wrongly?); no event");
                continue;
            }
            sink.emit(new CpuEvent(k.instance(), k.project(), k.machine(), k.ts(), step.toSeconds(), b, i), sourceName);
            emitted++;
        }
        events += emitted;
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put(DONE_UNTIL, Times.format(end));
        committer.commit(state);
        return emitted;
    }

    private void collect(
            List<PrometheusClient.Series> series, int slot, Map<Key, String[]> values, Instant start, Instant end) {
        Duration step = settings.step();
        for (PrometheusClient.Series s : series) {
            String instance = s.labels().get(settings.instanceLabel());
            if (instance == null || instance.isEmpty()) {
                anomalies.report(
                        "no instance label",
                        "a series without label '" + settings.instanceLabel() + "': " + s.labels() + " ("
                                + s.points().size() + " points); no events");
                continue;
            }
            String project = s.labels().getOrDefault(settings.projectLabel(), "");
            String machine = s.labels().getOrDefault(settings.machineLabel(), "");
            for (PrometheusClient.Point p : s.points()) {
                Instant ts = p.time().minus(step);
                if (ts.isBefore(start) || !p.time().isAfter(start) || p.time().isAfter(end)) {
                    throw SourceException.permanent("Prometheus answered a range query for " + start + ".." + end
                            + " with a point at " + p.time());
                }
                String[] pair = values.computeIfAbsent(new Key(ts, instance, project, machine), x -> new String[2]);
                if (pair[slot] != null) {
                    throw SourceException.permanent("Prometheus answered two series for " + s.labels() + " at "
                            + p.time() + " (labels that differ only in name?)");
                }
                pair[slot] = p.value();
            }
        }
    }

    /** Prometheus' answers to a query that loads too much: query.max-samples, or the points limit. */
    static boolean tooHeavy(String message) {
        return message.contains("too many samples") || message.contains("maximum resolution");
    }

    static Instant alignDown(Instant t, Duration step) {
        return SourceTimes.floor(t, step);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

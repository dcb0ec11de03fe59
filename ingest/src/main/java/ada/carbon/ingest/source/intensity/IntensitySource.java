package ada.carbon.ingest.source.intensity;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.source.common.Anomalies;
import ada.carbon.ingest.source.common.BackfillStart;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.FollowClock;
import ada.carbon.ingest.source.common.Hashes;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.SourceTimes;
import ada.carbon.ingest.source.common.WindowedSource;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grid carbon intensity from the UK Carbon Intensity API: one {@code intensity} event per half hour
 * (SPEC 1.2) of one {@link IntensitySeries}, {@code actual} null where the API has none yet. A region's
 * events carry its {@code regionid} and a forecast only; a half hour of it without a forecast is a gap.
 *
 * <p>A backfill reads {@code [from, to)} in windows of at most 14 days, committing {@code done_until}
 * after each. A follower reads the last 48 hours and the next 48 at each poll and publishes every
 * half hour whose figures differ from what it published before (a forecast revised, an actual that
 * arrived), so later actuals restate the facts; what it published is kept in the checkpoint, so a
 * restarted follower does not publish it all again.
 *
 * <p>A past half hour the API did not return is reported and counted (a gap the user should know of),
 * never filled in.
 */
public final class IntensitySource implements WindowedSource {
    public static final String NAME = "intensity";
    static final String DONE_UNTIL = "done_until";
    static final String PUBLISHED = "published";
    private static final Logger log = LoggerFactory.getLogger(IntensitySource.class);
    private static final Duration HALF_HOUR = IntensitySettings.HALF_HOUR;

    private final IntensitySettings settings;
    private final String name;
    private final IntensityClient client;
    private final EventSink sink;
    private final Committer committer;
    private final Consumer<String> progress;
    private final FollowClock clock;
    private final Anomalies anomalies = new Anomalies(log);
    private long events;
    /** For a postcode: the region the API last answered for. */
    private Integer answeredRegion;

    public IntensitySource(
            IntensitySettings settings,
            IntensityClient client,
            EventSink sink,
            Committer committer,
            Consumer<String> progress,
            FollowClock clock) {
        if (!client.series().equals(settings.series())) {
            throw new IllegalArgumentException("the client reads the " + client.series() + " series, the settings"
                    + " name the " + settings.series());
        }
        this.settings = settings;
        this.name = settings.series().sourceName();
        this.client = client;
        this.sink = sink;
        this.committer = committer;
        this.progress = progress;
        this.clock = clock;
    }

    public static ObjectNode backfillJob(IntensitySettings s, Instant from, Instant to) {
        ObjectNode job = s.identity();
        job.put("from", Times.format(SourceTimes.floor(from, HALF_HOUR)));
        job.put("to", Times.format(SourceTimes.ceil(to, HALF_HOUR)));
        return job;
    }

    public static ObjectNode followJob(IntensitySettings s, Optional<Instant> from) {
        ObjectNode job = s.identity();
        job.put("follow", true);
        from.ifPresent(f -> job.put("from", Times.format(SourceTimes.floor(f, HALF_HOUR))));
        return job;
    }

    public long events() {
        return events;
    }

    @Override
    public Anomalies anomalies() {
        return anomalies;
    }

    /** Emits every half hour of {@code [from, to)} ({@code from} rounded down, {@code to} up, to half hours). */
    @Override
    public void backfill(Instant from, Instant to, Optional<ObjectNode> resume) {
        Instant start = SourceTimes.floor(from, HALF_HOUR);
        Instant end = SourceTimes.ceil(to, HALF_HOUR);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        Optional<Instant> next = BackfillStart.of(name, start, end, doneUntil(resume), committer, progress);
        if (next.isEmpty()) {
            return;
        }
        backfillRange(start, next.get(), end, JsonNodeFactory.instance.objectNode());
        if (anomalies.total() > 0) {
            progress.accept(name + ": reported above: " + anomalies);
        }
    }

    private void backfillRange(Instant start, Instant next, Instant end, ObjectNode state) {
        long total = Duration.between(start, end).dividedBy(HALF_HOUR);
        while (next.isBefore(end)) {
            Instant windowEnd = next.plus(settings.window());
            if (windowEnd.isAfter(end)) {
                windowEnd = end;
            }
            IntensityClient.Answer a = client.fetch(next, windowEnd);
            int n = 0;
            for (IntensityEvent e : a.slots().values()) {
                emit(e, a);
                n++;
            }
            handleRest(a, next, windowEnd);
            next = windowEnd;
            state.put(DONE_UNTIL, Times.format(next));
            committer.commit(state);
            long done = Duration.between(start, next).dividedBy(HALF_HOUR);
            progress.accept(String.format(
                    "%s: up to %s: %d%% (%d of %d half hours), %d events in this window, %d in all",
                    name, Times.format(next), done * 100 / total, done, total, n, events));
        }
    }

    /**
     * Follows until the clock is stopped: first a backfill from {@code from} (or the checkpoint) up to
     * where the follow window starts, then a poll every {@link IntensitySettings#interval()}.
     */
    @Override
    public void follow(Optional<Instant> from, Optional<ObjectNode> resume, FollowClock follow) {
        ObjectNode state = resume.map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        Map<Instant, String> published = new HashMap<>();
        JsonNode saved = state.path(PUBLISHED);
        saved.fields()
                .forEachRemaining(
                        e -> published.put(Times.parse(e.getKey()), e.getValue().asText()));
        Optional<Instant> backfillFrom = doneUntil(resume).or(() -> from.map(f -> SourceTimes.floor(f, HALF_HOUR)));
        Instant windowStart = SourceTimes.floor(follow.now(), HALF_HOUR).minus(settings.behind());
        if (backfillFrom.isPresent() && backfillFrom.get().isBefore(windowStart)) {
            progress.accept(name + ": catching up from " + Times.format(backfillFrom.get()));
            backfillRange(backfillFrom.get(), backfillFrom.get(), windowStart, state);
        }
        progress.accept(name + ": following: every " + settings.interval() + ", " + settings.behind() + " back and "
                + settings.ahead() + " ahead");
        while (!follow.stopped()) {
            Instant now = follow.now();
            try {
                int n = poll(now, published, state);
                progress.accept(name + ": polled at " + Times.format(now) + ": " + n + " new or changed half hours");
            } catch (SourceException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                if (follow.stopped()) {
                    break; // stopped mid-request: what was not finished is done again next time
                }
                log.error(
                        "{}: the poll at {} failed; trying again in {}: {}",
                        name,
                        Times.format(now),
                        settings.retryPause(),
                        e.getMessage());
                if (!follow.sleepUntil(now.plus(settings.retryPause()))) {
                    break;
                }
                continue;
            }
            if (!follow.sleepUntil(now.plus(settings.interval()))) {
                break;
            }
        }
        progress.accept(name + ": stopped following");
    }

    private int poll(Instant now, Map<Instant, String> published, ObjectNode state) {
        Instant h = SourceTimes.floor(now, HALF_HOUR);
        Instant start = h.minus(settings.behind());
        Instant end = h.plus(settings.ahead());
        IntensityClient.Answer a = client.fetch(start, end);
        int n = 0;
        for (IntensityEvent e : a.slots().values()) {
            String hash = Hashes.of(JsonEvents.toJson(e));
            if (!hash.equals(published.get(e.getFrom()))) {
                emit(e, a);
                published.put(e.getFrom(), hash);
                n++;
            }
        }
        handleRest(a, start, end);
        // Half hours that left the window are never read again: forget them.
        for (Iterator<Instant> it = published.keySet().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(start)) {
                it.remove();
            }
        }
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        published.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> map.put(Times.format(e.getKey()), e.getValue()));
        state.set(PUBLISHED, map);
        // A follower restarted after a long stop catches up from the start of its last window.
        Optional<Instant> done = doneUntil(Optional.of(state));
        if (done.isEmpty() || done.get().isBefore(start)) {
            state.put(DONE_UNTIL, Times.format(start));
        }
        committer.commit(state);
        return n;
    }

    private void emit(IntensityEvent e, IntensityClient.Answer a) {
        sink.emit(e, a.source());
        events++;
    }

    /** Rejects unreadable elements and reports what is missing and what was dropped. */
    private void handleRest(IntensityClient.Answer a, Instant from, Instant to) {
        noteRegion(a);
        for (IntensityClient.Unreadable u : a.unreadable()) {
            sink.reject(u.original(), DeadLetter.MALFORMED, u.reason(), a.source(), u.index());
        }
        if (a.conflicting() > 0) {
            anomalies.report(
                    "conflicting duplicates",
                    a.source() + " returned " + a.conflicting()
                            + " half hours twice with different figures; kept the copy with an actual, else the later one");
        } else if (a.duplicates() > 0) {
            log.info("{} returned {} half hours twice (identical copies, kept once)", a.source(), a.duplicates());
        }
        Instant now = clock.now();
        List<Instant> missing = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plus(HALF_HOUR)) {
            if (!a.slots().containsKey(t) && !t.plus(HALF_HOUR).isAfter(now)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            boolean national = settings.series().national();
            anomalies.report(
                    "missing",
                    missing.size(),
                    a.source() + " returned no " + (national ? "figures" : "forecast")
                            + " for " + missing.size() + " past half hour" + (missing.size() == 1 ? "" : "s")
                            + ", from "
                            + Times.format(missing.get(0))
                            + (missing.size() > 1 ? " to " + Times.format(missing.get(missing.size() - 1)) : "")
                            + "; they have no " + (national ? "" : "regional ") + "intensity event (the pipeline uses "
                            + (national ? "its fallback" : "the national series") + " for them)");
        }
    }

    /** A postcode's region is the API's to say: said once, and reported if it changes. */
    private void noteRegion(IntensityClient.Answer a) {
        if (settings.series().postcode() == null
                || a.region() == null
                || a.region().equals(answeredRegion)) {
            return;
        }
        if (answeredRegion == null) {
            progress.accept(name + ": postcode " + settings.series().postcode() + " is region " + a.region()
                    + (a.regionName() == null ? "" : " (" + a.regionName() + ")"));
        } else {
            anomalies.report(
                    "region changed",
                    a.source() + " answered for region " + a.region() + " where earlier"
                            + " answers were for region " + answeredRegion
                            + "; its half hours are published under region "
                            + a.region());
        }
        answeredRegion = a.region();
    }

    private static Optional<Instant> doneUntil(Optional<ObjectNode> state) {
        return state.map(s -> s.path(DONE_UNTIL).asText(null)).map(Times::parse);
    }
}

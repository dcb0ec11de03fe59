package ada.carbon.ingest.source.intensity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.ingest.IngestCounts;
import ada.carbon.ingest.source.common.Checkpoint;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.CrashingSink;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.HttpSettings;
import ada.carbon.ingest.source.common.JsonLinesFileSink;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.testing.CapturedLogs;
import ada.carbon.ingest.source.testing.JsonLinesFiles;
import ada.carbon.ingest.source.testing.LocalHttpServer;
import ada.carbon.ingest.source.testing.LocalHttpServer.Reply;
import ada.carbon.ingest.source.testing.TestClock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The carbon-intensity source against a local HTTP server answering in the API's documented shape. */
class IntensitySourceTest {
    private static final Instant DAY1 = Instant.parse("2025-09-01T00:00:00Z");
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);
    /** Every backfill here is in the server's past: actuals have arrived, except the documented nulls. */
    private static final Instant LATER = Instant.parse("2025-10-01T00:00:00Z");

    @TempDir
    Path dir;

    LocalHttpServer server;
    FakeIntensityApi api;
    TestClock clock;
    List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock(LATER, 0);
        api = new FakeIntensityApi(() -> clock.now()); // the field: tests replace the clock
        server = new LocalHttpServer(api);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HttpSettings http(int retries) {
        return new HttpSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                retries,
                Duration.ofMillis(5),
                Duration.ofMillis(50),
                Map.of(),
                HttpSettings.DEFAULT_MAX_BODY_BYTES);
    }

    private Path out() {
        return dir.resolve("intensity.jsonl");
    }

    private Checkpoint checkpoint(ObjectNode job) {
        return new Checkpoint(dir.resolve("intensity.checkpoint.json"), IntensitySource.NAME, job);
    }

    private IntensitySource source(IntensitySettings s, EventSink sink, Checkpoint cp, int retries) {
        return new IntensitySource(
                s,
                new IntensityClient(new HttpFetcher(http(retries)), s.baseUrl(), s.series()),
                sink,
                new Committer(sink, cp),
                progress::add,
                clock);
    }

    private IntensitySettings settings() {
        return IntensitySettings.defaults(server.uri()).withWindow(Duration.ofDays(1));
    }

    private static List<Instant> halfHours(Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plus(HALF_HOUR)) {
            out.add(t);
        }
        return out;
    }

    @Test
    void backfillReadsEveryHalfHourOnceThroughNullsDuplicatesErrorsAndSlowAnswers() throws Exception {
        Instant to = DAY1.plus(Duration.ofDays(3));
        Instant conflicted = DAY1.plus(Duration.ofHours(30));
        api.conflicting.add(conflicted);
        AtomicInteger day2 = new AtomicInteger();
        AtomicInteger day3 = new AtomicInteger();
        api.fault = r -> {
            if (r.path().contains("/2025-09-02T00:00Z/")) {
                return switch (day2.incrementAndGet()) {
                    case 1 -> Reply.status(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "1");
                    case 2 -> Reply.status(503, "<html>Service Unavailable</html>");
                    default -> null;
                };
            }
            if (r.path().contains("/2025-09-03T00:00Z/") && day3.incrementAndGet() == 1) {
                return Reply.json("{\"data\":[]}").after(Duration.ofSeconds(5)); // slower than the 2 s timeout
            }
            return null;
        };
        IntensitySettings s = settings();
        ObjectNode job = IntensitySource.backfillJob(s, DAY1, to);
        IntensitySource source;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            source = source(s, sink, checkpoint(job), 3);
            source.backfill(DAY1, to, Optional.empty());
        }

        List<IntensityEvent> events = JsonLinesFiles.read(out(), IntensityEvent.class);
        // Every half hour of [from, to) exactly once, in order; not the one ending at `from` the API adds.
        assertThat(events).extracting(IntensityEvent::getFrom).containsExactlyElementsOf(halfHours(DAY1, to));
        for (IntensityEvent e : events) {
            assertThat(e.getTo()).isEqualTo(e.getFrom().plus(HALF_HOUR));
            assertThat(e.getForecast()).isEqualTo(FakeIntensityApi.forecast(e.getFrom()));
            if (!e.getFrom().equals(conflicted)) {
                assertThat(e.getActual())
                        .as("actual of %s", e.getFrom())
                        .isEqualTo(FakeIntensityApi.actual(e.getFrom(), LATER));
            }
        }
        assertThat(events).filteredOn(e -> e.getActual() == null).isNotEmpty(); // nulls are kept as nulls
        assertThat(events)
                .filteredOn(e -> e.getForecast() == null && e.getActual() == null)
                .isNotEmpty();
        // The copy of a half hour listed twice that has the actual wins over the one without.
        assertThat(events)
                .filteredOn(e -> e.getFrom().equals(conflicted))
                .singleElement()
                .extracting(IntensityEvent::getActual)
                .isEqualTo(111.0);
        assertThat(source.anomalies().count("conflicting duplicates")).isEqualTo(1);
        // 1 request for day 1, 3 for day 2 (429, 503, ok), 2 for day 3 (timed out, ok).
        assertThat(server.requests()).hasSize(6);
        assertThat(day2.get()).isEqualTo(3);
        assertThat(day3.get()).isEqualTo(2);
        ObjectNode state = checkpoint(job).resumable().orElseThrow();
        assertThat(state.get("done_until").asText()).isEqualTo("2025-09-04T00:00:00Z");
        assertThat(state.get(Committer.OUT_BYTES).asLong()).isEqualTo(Files.size(out()));
        assertThat(progress).anyMatch(p -> p.contains("100%"));
    }

    @Test
    void missingAndUnreadableHalfHoursAreReportedAndCountedNeverFilledIn() throws Exception {
        Instant to = DAY1.plus(Duration.ofDays(1));
        Instant gone = DAY1.plus(Duration.ofHours(5));
        Instant bad = DAY1.plus(Duration.ofHours(7));
        api.omitted.add(gone);
        api.unreadable.add(bad);
        IntensitySettings s = settings();
        IntensitySource source;
        IngestCounts counts;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            source = source(s, sink, checkpoint(IntensitySource.backfillJob(s, DAY1, to)), 0);
            source.backfill(DAY1, to, Optional.empty());
            counts = sink.counts();
        }
        List<Instant> expected = halfHours(DAY1, to);
        expected.remove(gone);
        expected.remove(bad);
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class))
                .extracting(IntensityEvent::getFrom)
                .containsExactlyElementsOf(expected);
        assertThat(source.anomalies().count("missing")).isEqualTo(2); // the omitted one and the unreadable one
        assertThat(counts.rejected("malformed")).isEqualTo(1);
        assertThat(counts.published()).isEqualTo(46);
    }

    @Test
    void aPasswordInTheUrlAppearsInNoLogMessageProgressOrCheckpoint() throws Exception {
        String secret = "pa55-W0RD-zq81";
        URI withPassword =
                URI.create("http://ada:" + secret + "@127.0.0.1:" + server.uri().getPort());
        String masked = "http://***@127.0.0.1:" + server.uri().getPort();
        IntensitySettings s = IntensitySettings.defaults(withPassword).withWindow(Duration.ofDays(1));
        Instant to = DAY1.plus(Duration.ofDays(3));
        api.omitted.add(DAY1.plus(Duration.ofHours(5))); // reported, naming where it is missing from
        api.unreadable.add(DAY1.plus(Duration.ofHours(7))); // rejected, naming where it came from
        AtomicInteger calls = new AtomicInteger();
        api.fault = r -> switch (calls.incrementAndGet()) {
            case 1 -> Reply.status(503, "{}"); // a retry, logged
            case 2, 3 -> null;
            default -> Reply.status(404, "{\"error\":\"no such range\"}"); // the failure
        };
        Path cpFile = dir.resolve("intensity.checkpoint.json");
        // A checkpoint an older version wrote, with the URL as it was given: its job is now another one.
        Files.writeString(
                cpFile,
                "{\"source\":\"intensity\",\"job\":{\"url\":\"" + withPassword + "\",\"from\":"
                        + "\"2025-09-01T00:00:00Z\",\"to\":\"2025-09-04T00:00:00Z\"},\"state\":{\"done_until\":"
                        + "\"2025-09-02T00:00:00Z\"}}");
        Checkpoint cp = new Checkpoint(cpFile, IntensitySource.NAME, IntensitySource.backfillJob(s, DAY1, to));
        String failure;
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(cp.resumable()).isEmpty();
            try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
                IntensitySource source = source(s, sink, cp, 2);
                failure = catchThrowableOfType(() -> source.backfill(DAY1, to, Optional.empty()), SourceException.class)
                        .getMessage();
            }
            String everything = String.join(
                    "\n",
                    logs.text(),
                    failure,
                    String.join("\n", progress),
                    Files.readString(cpFile),
                    Files.readString(out()));

            assertThat(everything).doesNotContain(secret);
            // What names the server names it masked: the retry, the gap, the rejected element, the failure.
            assertThat(logs.text())
                    .contains("GET " + masked + "/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z: HTTP 503")
                    .contains(masked + "/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z returned no figures")
                    .contains("Rejected (malformed) " + masked + "/intensity/")
                    .contains("belongs to another job (url: " + masked + " → " + masked
                            + "; url_secret: - → pbkdf2-sha256:");
            assertThat(failure).startsWith("GET " + masked + "/intensity/2025-09-03T00:00Z/2025-09-04T00:00Z failed:");
            assertThat(Files.readString(cpFile))
                    .contains("\"url\" : \"" + masked + "\"")
                    .contains("\"url_secret\" : \"pbkdf2-sha256:");
            assertThat(progress).anyMatch(p -> p.contains("up to 2025-09-03T00:00:00Z"));
        }
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void aRefusedRequestFailsAtOnceAndSpentRetriesFailLoudly() throws Exception {
        IntensitySettings s = settings();
        Instant to = DAY1.plus(Duration.ofDays(1));
        api.fault = r -> Reply.status(400, "{\"error\":{\"message\":\"Invalid date\"}}");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            IntensitySource source = source(s, sink, checkpoint(IntensitySource.backfillJob(s, DAY1, to)), 5);
            assertThatThrownBy(() -> source.backfill(DAY1, to, Optional.empty()))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("Invalid date")
                    .satisfies(
                            e -> assertThat(((SourceException) e).isTransient()).isFalse());
        }
        assertThat(server.requests()).hasSize(1);

        api.fault = r -> Reply.status(502, "bad gateway");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            IntensitySource source = source(s, sink, checkpoint(IntensitySource.backfillJob(s, DAY1, to)), 2);
            assertThatThrownBy(() -> source.backfill(DAY1, to, Optional.empty()))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageContaining("HTTP 502");
        }
        assertThat(server.requests()).hasSize(4);
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class)).isEmpty();
        assertThat(Files.exists(dir.resolve("intensity.checkpoint.json"))).isFalse();
    }

    @Test
    void anInterruptedBackfillResumesFromItsCheckpointWithoutGapsOrRepeats() throws Exception {
        Instant to = DAY1.plus(Duration.ofDays(5));
        IntensitySettings s = settings();
        ObjectNode job = IntensitySource.backfillJob(s, DAY1, to);

        // Run 1: the API fails from day 3 on, past every retry.
        api.fault = r -> r.path().contains("/2025-09-03T00:00Z/") ? Reply.status(500, "oops") : null;
        try (JsonLinesFileSink sink =
                JsonLinesFileSink.open(out(), Committer.outBytes(checkpoint(job).resumable()))) {
            IntensitySource source = source(s, sink, checkpoint(job), 1);
            assertThatThrownBy(() -> source.backfill(DAY1, to, Optional.empty()))
                    .isInstanceOf(SourceException.class);
        }
        assertThat(checkpoint(job).resumable().orElseThrow().get("done_until").asText())
                .isEqualTo("2025-09-03T00:00:00Z");

        // Run 2: the API is back, but the run crashes half way through day 4, after writing part of it.
        api.fault = r -> null;
        int before = server.requests().size();
        Optional<ObjectNode> resume = checkpoint(job).resumable();
        try (JsonLinesFileSink file = JsonLinesFileSink.open(out(), Committer.outBytes(resume))) {
            EventSink sink = new CrashingSink(file, 48 + 20);
            IntensitySource source = source(s, sink, checkpoint(job), 1);
            assertThatThrownBy(() -> source.backfill(DAY1, to, resume)).hasMessageContaining("simulated crash");
        }
        // It began where run 1 stopped, re-reading nothing before.
        assertThat(server.requests().get(before).path()).startsWith("/intensity/2025-09-03T00:00Z/");
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class)).hasSize(48 * 3 + 20); // 20 beyond the checkpoint

        // Run 3: completes.
        Optional<ObjectNode> resume3 = checkpoint(job).resumable();
        assertThat(resume3.orElseThrow().get("done_until").asText()).isEqualTo("2025-09-04T00:00:00Z");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(resume3))) {
            source(s, sink, checkpoint(job), 1).backfill(DAY1, to, resume3);
        }

        List<Instant> froms = JsonLinesFiles.read(out(), IntensityEvent.class).stream()
                .map(IntensityEvent::getFrom)
                .collect(Collectors.toList());
        assertThat(froms).containsExactlyElementsOf(halfHours(DAY1, to)); // no gap, no repeat, in order

        // And a fourth run of the same job has nothing left to do.
        int requests = server.requests().size();
        Optional<ObjectNode> resume4 = checkpoint(job).resumable();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(resume4))) {
            source(s, sink, checkpoint(job), 1).backfill(DAY1, to, resume4);
        }
        assertThat(server.requests()).hasSize(requests);
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class)).hasSize(froms.size());

        // The same backfill asked to go a day further continues where it stopped.
        Instant further = to.plus(Duration.ofDays(1));
        ObjectNode extended = IntensitySource.backfillJob(s, DAY1, further);
        Optional<ObjectNode> resume5 = checkpoint(extended).resumable();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(resume5))) {
            source(s, sink, checkpoint(extended), 1).backfill(DAY1, further, resume5);
        }
        assertThat(server.requests()).hasSize(requests + 1);
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class))
                .extracting(IntensityEvent::getFrom)
                .containsExactlyElementsOf(halfHours(DAY1, further));
    }

    @Test
    void followingPublishesForecastsThenTheActualsThatArriveLater() throws Exception {
        Instant now = Instant.parse("2025-09-10T12:10:00Z");
        IntensitySettings s = IntensitySettings.defaults(server.uri());
        ObjectNode job = IntensitySource.followJob(s, Optional.empty());
        clock = new TestClock(now, 2); // three polls: 12:10, 12:40, 13:10
        List<Integer> sizes = new ArrayList<>();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            IntensitySource source = source(s, sink, checkpoint(job), 0);
            clock.onWake(t -> sizes.add((int) source.events()));
            source.follow(Optional.empty(), Optional.empty(), clock);
            sizes.add((int) source.events());
        }
        List<IntensityEvent> events = JsonLinesFiles.read(out(), IntensityEvent.class);
        // Poll 1: 48 hours back and 48 ahead of 12:00.
        assertThat(sizes.get(0)).isEqualTo(192);
        assertThat(events.get(0).getFrom()).isEqualTo(Instant.parse("2025-09-08T12:00:00Z"));
        assertThat(events.get(191).getFrom()).isEqualTo(Instant.parse("2025-09-12T11:30:00Z"));
        // Poll 2 (12:40): the half hour 11:00 got its actual (an hour after it ended), and one new ahead.
        List<IntensityEvent> poll2 = events.subList(192, sizes.get(1));
        assertThat(poll2)
                .extracting(e -> e.getFrom().toString())
                .containsExactly("2025-09-10T11:00:00Z", "2025-09-12T12:00:00Z");
        IntensityEvent restated = poll2.get(0);
        assertThat(events.subList(0, 192))
                .filteredOn(e -> e.getFrom().equals(restated.getFrom()))
                .singleElement()
                .extracting(IntensityEvent::getActual)
                .isNull();
        assertThat(restated.getActual())
                .isEqualTo(FakeIntensityApi.actual(restated.getFrom(), LATER))
                .isNotNull();
        // Poll 3 (13:10): 11:30 got its actual, and one new ahead.
        assertThat(events.subList(sizes.get(1), sizes.get(2)))
                .extracting(e -> e.getFrom().toString())
                .containsExactly("2025-09-10T11:30:00Z", "2025-09-12T12:30:00Z");

        // A follower started again from the checkpoint publishes only what changed since.
        clock = new TestClock(Instant.parse("2025-09-10T13:15:00Z"), 0);
        Optional<ObjectNode> resume = checkpoint(job).resumable();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(resume))) {
            IntensitySource again = source(s, sink, checkpoint(job), 0);
            again.follow(Optional.empty(), resume, clock);
            assertThat(again.events()).isZero();
        }
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class)).hasSize(events.size());

        // Started again after five days stopped, it first catches up: no half hour is left without an event.
        clock = new TestClock(Instant.parse("2025-09-15T13:15:00Z"), 0);
        Optional<ObjectNode> later = checkpoint(job).resumable();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(later))) {
            source(s, sink, checkpoint(job), 0).follow(Optional.empty(), later, clock);
        }
        java.util.TreeSet<Instant> covered = JsonLinesFiles.read(out(), IntensityEvent.class).stream()
                .map(IntensityEvent::getFrom)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(List.copyOf(covered))
                .containsExactlyElementsOf(
                        halfHours(Instant.parse("2025-09-08T12:00:00Z"), Instant.parse("2025-09-17T13:00:00Z")));
    }

    @Test
    void aFollowerStartedFromATimeCatchesUpFirst() throws Exception {
        Instant now = Instant.parse("2025-09-10T12:10:00Z");
        IntensitySettings s = IntensitySettings.defaults(server.uri());
        Instant from = Instant.parse("2025-09-05T00:00:00Z");
        clock = new TestClock(now, 0);
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            source(s, sink, checkpoint(IntensitySource.followJob(s, Optional.of(from))), 0)
                    .follow(Optional.of(from), Optional.empty(), clock);
        }
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class))
                .extracting(IntensityEvent::getFrom)
                .containsExactlyElementsOf(halfHours(from, Instant.parse("2025-09-12T12:00:00Z")));
    }

    // --- A region's series ----------------------------------------------------------------------

    private IntensitySettings regional(String region, String postcode) {
        return settings().withSeries(IntensitySeries.of(region, postcode));
    }

    private Checkpoint checkpoint(IntensitySettings s, ObjectNode job) {
        return new Checkpoint(
                dir.resolve("intensity.checkpoint.json"), s.series().sourceName(), job);
    }

    @ParameterizedTest
    @EnumSource(FakeIntensityApi.RegionalShape.class)
    void aRegionsBackfillPublishesItsForecastsUnderItsRegionidAndReportsItsGapsNeverZeros(
            FakeIntensityApi.RegionalShape shape) throws Exception {
        api.regionalShape = shape;
        Instant to = DAY1.plus(Duration.ofDays(2));
        List<Instant> gaps = List.of(
                DAY1.plus(Duration.ofHours(5)), DAY1.plus(Duration.ofHours(7)), DAY1.plus(Duration.ofHours(30)));
        api.regionalOmitted.add(gaps.get(0));
        api.regionalNullForecast.add(gaps.get(1));
        api.regionalActualOnly.add(gaps.get(2));
        api.regionalWithActual.add(DAY1.plus(Duration.ofHours(9)));
        IntensitySettings s = regional("12", null);
        ObjectNode job = IntensitySource.backfillJob(s, DAY1, to);
        IntensitySource source;
        IngestCounts counts;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            source = source(s, sink, checkpoint(s, job), 0);
            source.backfill(DAY1, to, Optional.empty());
            counts = sink.counts();
        }

        assertThat(server.requests())
                .extracting(LocalHttpServer.Request::path)
                .containsExactly(
                        "/regional/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z/regionid/12",
                        "/regional/intensity/2025-09-02T00:00Z/2025-09-03T00:00Z/regionid/12");
        List<IntensityEvent> events = JsonLinesFiles.read(out(), IntensityEvent.class);
        List<Instant> expected = halfHours(DAY1, to);
        expected.removeAll(gaps);
        assertThat(events).extracting(IntensityEvent::getFrom).containsExactlyElementsOf(expected);
        for (IntensityEvent e : events) {
            assertThat(e.getRegion()).isEqualTo(12);
            assertThat(e.getActual()).as("a regional series has forecasts only").isNull();
            assertThat(e.getForecast())
                    .isEqualTo(FakeIntensityApi.regionalForecast(e.getFrom(), 12, LATER))
                    .isNotEqualTo(FakeIntensityApi.forecast(e.getFrom()))
                    .isPositive();
            assertThat(e.getIndex()).isNotNull();
        }
        // The half hours without a forecast (left out, null, or an actual alone) are gaps, reported and counted.
        assertThat(source.anomalies().count("missing")).isEqualTo(3);
        assertThat(counts.published()).isEqualTo(expected.size());
        assertThat(counts.rejected("malformed")).isZero();
        assertThat(checkpoint(s, job)
                        .resumable()
                        .orElseThrow()
                        .get("done_until")
                        .asText())
                .isEqualTo("2025-09-03T00:00:00Z");
        assertThat(job.get("region").asInt()).isEqualTo(12);
    }

    @Test
    void aPostcodeIsAskedForByItsOutwardPartAndPublishedUnderTheRegionTheApiAnswers() throws Exception {
        Instant to = DAY1.plus(Duration.ofDays(2));
        IntensitySettings s = regional("", " ox11 ");
        assertThat(s.series().sourceName()).isEqualTo("intensity-postcode-OX11");
        // On the second day the API places the postcode in another region (boundaries are the API's to draw).
        api.fault = r -> r.path().startsWith("/regional/intensity/2025-09-02T00:00Z/")
                ? api.regional(r.path().replace("/postcode/OX11", "/regionid/11"))
                : null;
        IntensitySource source;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            source = source(s, sink, checkpoint(s, IntensitySource.backfillJob(s, DAY1, to)), 0);
            source.backfill(DAY1, to, Optional.empty());
        }
        assertThat(server.requests())
                .extracting(LocalHttpServer.Request::path)
                .containsExactly(
                        "/regional/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z/postcode/OX11",
                        "/regional/intensity/2025-09-02T00:00Z/2025-09-03T00:00Z/postcode/OX11");
        List<IntensityEvent> events = JsonLinesFiles.read(out(), IntensityEvent.class);
        assertThat(events).hasSize(96);
        for (IntensityEvent e : events) {
            int region = e.getFrom().isBefore(DAY1.plus(Duration.ofDays(1))) ? 12 : 11;
            assertThat(e.getRegion()).as("%s", e.getFrom()).isEqualTo(region);
            assertThat(e.getForecast()).isEqualTo(FakeIntensityApi.regionalForecast(e.getFrom(), region, LATER));
        }
        assertThat(progress).contains("intensity-postcode-OX11: postcode OX11 is region 12 (South England)");
        assertThat(source.anomalies().count("region changed")).isEqualTo(1);
    }

    @Test
    void followingARegionPublishesItsForecastsAndTheirRevisionsAndKeepsItsOwnCheckpoint() throws Exception {
        Instant now = Instant.parse("2025-09-10T12:10:00Z");
        IntensitySettings s = regional("12", null).withWindow(IntensitySettings.MAX_WINDOW);
        ObjectNode job = IntensitySource.followJob(s, Optional.empty());
        // A national follower's checkpoint in the same file is another job's: the region's starts afresh.
        IntensitySettings national = IntensitySettings.defaults(server.uri());
        new Checkpoint(
                        dir.resolve("intensity.checkpoint.json"),
                        IntensitySource.NAME,
                        IntensitySource.followJob(national, Optional.empty()))
                .save(JsonNodeFactory.instance.objectNode().put("done_until", "2025-09-10T00:00:00Z"));
        assertThat(checkpoint(s, job).resumable()).isEmpty();

        clock = new TestClock(now, 1); // two polls: 12:10, 12:40
        List<Integer> sizes = new ArrayList<>();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            IntensitySource source = source(s, sink, checkpoint(s, job), 0);
            clock.onWake(t -> sizes.add((int) source.events()));
            source.follow(Optional.empty(), Optional.empty(), clock);
            sizes.add((int) source.events());
        }
        List<IntensityEvent> events = JsonLinesFiles.read(out(), IntensityEvent.class);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getRegion()).isEqualTo(12);
            assertThat(e.getActual()).isNull();
        });
        // Poll 1: 48 hours back and 48 ahead of 12:00; a day ahead, the forecasts are the day-ahead ones.
        assertThat(sizes.get(0)).isEqualTo(192);
        IntensityEvent dayAhead = events.get(0 + 96 + 49); // 2025-09-11T12:30, just over a day after 12:10
        assertThat(dayAhead.getFrom()).isEqualTo(Instant.parse("2025-09-11T12:30:00Z"));
        assertThat(dayAhead.getForecast()).isEqualTo(FakeIntensityApi.regionalForecast(dayAhead.getFrom(), 12, now));
        // Poll 2 (12:40): 12:30 tomorrow is now within a day, its forecast revised; and one new half hour ahead.
        List<IntensityEvent> poll2 = events.subList(192, sizes.get(1));
        assertThat(poll2)
                .extracting(e -> e.getFrom().toString())
                .containsExactly("2025-09-11T12:30:00Z", "2025-09-12T12:00:00Z");
        assertThat(poll2.get(0).getForecast()).isEqualTo(dayAhead.getForecast() - 5);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.path()).endsWith("/regionid/12"));

        // Started again from its checkpoint, it publishes only what changed since.
        clock = new TestClock(Instant.parse("2025-09-10T12:45:00Z"), 0);
        Optional<ObjectNode> resume = checkpoint(s, job).resumable();
        assertThat(resume).isPresent();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), Committer.outBytes(resume))) {
            IntensitySource again = source(s, sink, checkpoint(s, job), 0);
            again.follow(Optional.empty(), resume, clock);
            assertThat(again.events()).isZero();
        }
    }

    static List<Arguments> answersNotAboutTheRegionAskedFor() {
        String half =
                "{\"from\":\"2025-09-01T00:00Z\",\"to\":\"2025-09-01T00:30Z\",\"intensity\":{\"forecast\":150,\"index\":\"moderate\"}}";
        return List.of(
                Arguments.of(
                        "{\"data\":{\"regionid\":3,\"shortname\":\"North West England\",\"data\":[" + half + "]}}",
                        "for region 3, where region 12 was asked for"),
                Arguments.of("{\"data\":[" + half + "]}", "with a region that has no whole-number 'regionid'"),
                Arguments.of(
                        "{\"data\":[{\"regionid\":12,\"data\":[]},{\"regionid\":13,\"data\":[]}]}",
                        "with 2 regions [12, 13], where one was asked for"),
                Arguments.of(
                        "{\"data\":{\"regionid\":12,\"shortname\":\"South England\"}}",
                        "for region 12 without its 'data' array"),
                Arguments.of("{\"data\":\"none\"}", "without a 'data' region or array of regions"));
    }

    @ParameterizedTest
    @MethodSource("answersNotAboutTheRegionAskedFor")
    void anAnswerAboutAnotherRegionOrNoneFailsAtOnceNamingWhatItIs(String body, String message) throws Exception {
        api.fault = r -> Reply.json(body);
        IntensitySettings s = regional("12", null);
        Instant to = DAY1.plus(Duration.ofDays(1));
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out(), -1)) {
            IntensitySource source = source(s, sink, checkpoint(s, IntensitySource.backfillJob(s, DAY1, to)), 3);
            assertThatThrownBy(() -> source.backfill(DAY1, to, Optional.empty()))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining(message)
                    .hasMessageContaining("/regional/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z/regionid/12")
                    .satisfies(
                            e -> assertThat(((SourceException) e).isTransient()).isFalse());
        }
        assertThat(server.requests()).hasSize(1);
        assertThat(JsonLinesFiles.read(out(), IntensityEvent.class)).isEmpty();
    }
}

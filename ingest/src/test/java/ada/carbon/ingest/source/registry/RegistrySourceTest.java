package ada.carbon.ingest.source.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.ingest.IngestCounts;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import ada.carbon.ingest.source.common.Checkpoint;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.HttpSettings;
import ada.carbon.ingest.source.common.JsonLinesFileSink;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.testing.CapturedLogs;
import ada.carbon.ingest.source.testing.LocalHttpServer;
import ada.carbon.ingest.source.testing.LocalHttpServer.Reply;
import ada.carbon.ingest.source.testing.TestClock;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry source against a local HTTP server answering with documents shaped as the Ada registry
 * keeps them (Eve-style pages of {@code _items} for workspaces, a plain array for users), with nulls,
 * duplicates, a record that cannot be used, an error and a slow answer.
 */
class RegistrySourceTest {
    private static final int PAGE = 2;

    @TempDir
    Path dir;

    LocalHttpServer server;
    final List<String> workspaces = new CopyOnWriteArrayList<>(List.of(
            "{\"_id\":{\"$oid\":\"65f1c0de9a1b2c3d4e5f6a01\"},\"hostname\":\"host-172-16-100-116.nubes.stfc.ac.uk\","
                    + "\"owner\":\"aa123456\",\"state\":\"CLAIMED\",\"tag\":\"ISIS\",\"created_time\":\"2025-09-11T09:00:00Z\","
                    + "\"deleted_time\":null,\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\"}",
            "{\"_id\":\"w2\",\"hostname\":\"workspace-w2-sans-0\",\"owner\":null,\"state\":\"READY\",\"tag\":\"ISIS\","
                    + "\"created_time\":\"Thu, 11 Sep 2025 09:30:00 GMT\",\"deleted_time\":null}",
            "{\"_id\":\"w3\",\"hostname\":\"workspace-w3-muon-1\",\"owner\":\"bb654321\",\"state\":\"DELETED\",\"tag\":\"CLF\","
                    + "\"created_time\":{\"$date\":\"2025-09-01T08:00:00.000Z\"},\"deleted_time\":{\"$date\":1757000000000}}",
            "{\"_id\":\"w2\",\"hostname\":\"workspace-w2-sans-0\",\"owner\":\"cc111111\",\"state\":\"CLAIMED\",\"tag\":\"ISIS\","
                    + "\"created_time\":\"Thu, 11 Sep 2025 09:30:00 GMT\",\"deleted_time\":null}",
            "{\"_id\":\"w5\",\"hostname\":\"workspace-w5-muon-0\",\"owner\":\"aa123456\",\"tag\":\"ISIS\",\"created_time\":null}",
            "{\"_id\":\"w6\",\"hostname\":\"workspace-w6-laser-0\",\"owner\":\"\",\"state\":\"DELETED\",\"tag\":\"TRAINING\","
                    + "\"created_time\":\"2025-09-02 10:00:00\",\"deleted_time\":null}"));
    final List<String> users = new CopyOnWriteArrayList<>(List.of(
            "{\"platform_name\":\"aa123456\",\"name\":\"Andrew Smith\",\"group\":\"RB2410001\",\"projects\":[\"IDAaaS\"]}",
            "{\"platform_name\":\"bb654321\",\"name\":null,\"group\":null,\"projects\":[]}",
            "{\"platform_name\":\"cc111111\",\"name\":\"Cee\",\"group\":[{\"name\":\"RB1\"},{\"name\":\"RB2\"}],"
                    + "\"projects\":\"CDAaaS\"}",
            "{\"name\":\"nobody\",\"projects\":[]}"));
    volatile Function<LocalHttpServer.Request, Reply> fault = r -> null;

    final RegistryMapping mapping = RegistryMapping.of(Map.of(
            "tag.ISIS.project", "IDAaaS",
            "tag.CLF.project", "CDAaaS",
            "tag.TRAINING.project", "IDAaaS",
            "workspace.machine_pattern", "^workspace-[^-]+-([a-z]+)-\\d+$",
            "machine.sans", "SANS",
            "machine.muon", "Muon"));

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(this::answer);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reply answer(LocalHttpServer.Request r) {
        Reply f = fault.apply(r);
        if (f != null) {
            return f;
        }
        return switch (r.path()) {
            case "/workspaces" -> {
                int page = r.param("page") == null ? 1 : Integer.parseInt(r.param("page"));
                List<String> all = new ArrayList<>(workspaces);
                int from = (page - 1) * PAGE;
                List<String> items = all.subList(Math.min(from, all.size()), Math.min(from + PAGE, all.size()));
                String next = from + PAGE < all.size()
                        ? ",\"_links\":{\"next\":{\"title\":\"next page\",\"href\":\"workspaces?page=" + (page + 1)
                                + "\"}}"
                        : "";
                yield Reply.json("{\"_items\":[" + String.join(",", items) + "]" + next + ",\"_meta\":{\"page\":" + page
                        + ",\"max_results\":" + PAGE + ",\"total\":" + all.size() + "}}");
            }
            case "/users" -> Reply.json("[" + String.join(",", users) + "]");
            default -> Reply.status(404, "{\"_status\":\"ERR\"}");
        };
    }

    private RegistrySource source(JsonLinesFileSink sink, Checkpoint cp) {
        HttpFetcher http = new HttpFetcher(new HttpSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                2,
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Map.of(),
                HttpSettings.DEFAULT_MAX_BODY_BYTES));
        return new RegistrySource(
                mapping,
                Optional.of(RegistryInput.url(http, server.uri("/workspaces"))),
                Optional.of(RegistryInput.url(http, server.uri("/users"))),
                sink,
                new Committer(sink, cp),
                p -> {});
    }

    private Checkpoint checkpoint() {
        HttpFetcher http = new HttpFetcher(HttpSettings.defaults());
        return new Checkpoint(
                dir.resolve("registry.json"),
                RegistrySource.NAME,
                RegistrySource.job(
                        mapping,
                        Optional.of(RegistryInput.url(http, server.uri("/workspaces"))),
                        Optional.of(RegistryInput.url(http, server.uri("/users")))));
    }

    private static List<SpecificRecord> read(Path file) throws Exception {
        List<SpecificRecord> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(((ParseResult.Event) JsonEvents.parse(line)).record());
        }
        return out;
    }

    private static WorkspaceEvent workspace(List<SpecificRecord> events, String key) {
        return events.stream()
                .filter(e ->
                        e instanceof WorkspaceEvent w && w.getWorkspaceKey().equals(key))
                .map(WorkspaceEvent.class::cast)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + key));
    }

    private static UserEvent user(List<SpecificRecord> events, String id) {
        return events.stream()
                .filter(e -> e instanceof UserEvent u && u.getUserId().equals(id))
                .map(UserEvent.class::cast)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + id));
    }

    @Test
    void readsWorkspacesAndUsersThroughPagesNullsDuplicatesErrorsAndSlowAnswers() throws Exception {
        AtomicInteger page2 = new AtomicInteger();
        AtomicInteger usersCalls = new AtomicInteger();
        fault = r -> {
            if ("2".equals(r.param("page")) && page2.incrementAndGet() == 1) {
                return Reply.status(503, "{\"_status\":\"ERR\",\"_error\":{\"code\":503}}");
            }
            if (r.path().equals("/users") && usersCalls.incrementAndGet() == 1) {
                return Reply.json("[]").after(Duration.ofSeconds(5)); // slower than the 2 s timeout
            }
            return null;
        };
        Path out = dir.resolve("registry.jsonl");
        RegistrySource source;
        IngestCounts counts;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            source = source(sink, checkpoint());
            RegistrySource.Poll p = source.once(Optional.empty());
            assertThat(p.workspaces()).isEqualTo(4);
            assertThat(p.users()).isEqualTo(3);
            counts = sink.counts();
        }
        assertThat(page2.get()).isEqualTo(2);
        assertThat(usersCalls.get()).isEqualTo(2);
        List<SpecificRecord> events = read(out);
        assertThat(events).hasSize(4 + 3);

        WorkspaceEvent w1 = workspace(events, "65f1c0de9a1b2c3d4e5f6a01");
        assertThat(w1.getInstance()).isEqualTo("host-172-16-100-116.nubes.stfc.ac.uk");
        assertThat(w1.getOwner()).isEqualTo("aa123456");
        assertThat(w1.getCloudProjectName()).isEqualTo("IDAaaS");
        assertThat(w1.getMachineName()).isEqualTo("Muon");
        assertThat(w1.getCreatedTime()).isEqualTo(Instant.parse("2025-09-11T09:00:00Z"));
        assertThat(w1.getDeletedTime()).isNull();
        // Listed twice: the later record wins (owner cc111111), project from the tag, machine from the hostname.
        WorkspaceEvent w2 = workspace(events, "w2");
        assertThat(w2.getOwner()).isEqualTo("cc111111");
        assertThat(w2.getCloudProjectName()).isEqualTo("IDAaaS");
        assertThat(w2.getMachineName()).isEqualTo("SANS");
        assertThat(w2.getCreatedTime()).isEqualTo(Instant.parse("2025-09-11T09:30:00Z"));
        assertThat(events.stream()
                        .filter(e -> e instanceof WorkspaceEvent w
                                && w.getWorkspaceKey().equals("w2")))
                .hasSize(1);
        WorkspaceEvent w3 = workspace(events, "w3");
        assertThat(w3.getCloudProjectName()).isEqualTo("CDAaaS");
        assertThat(w3.getCreatedTime()).isEqualTo(Instant.parse("2025-09-01T08:00:00Z"));
        assertThat(w3.getDeletedTime()).isEqualTo(Instant.ofEpochMilli(1757000000000L));
        WorkspaceEvent w6 = workspace(events, "w6");
        assertThat(w6.getOwner()).isNull(); // an empty owner is a pool workspace
        assertThat(w6.getMachineName()).isEqualTo("laser");
        assertThat(w6.getCreatedTime()).isEqualTo(Instant.parse("2025-09-02T10:00:00Z"));

        UserEvent a = user(events, "aa123456");
        assertThat(a.getDisplayName()).isEqualTo("Andrew Smith");
        assertThat(a.getGroupName()).isEqualTo("RB2410001");
        assertThat(a.getProjects()).containsExactly("IDAaaS");
        UserEvent b = user(events, "bb654321");
        assertThat(b.getDisplayName()).isNull();
        assertThat(b.getGroupName()).isNull();
        assertThat(b.getProjects()).isEmpty();
        UserEvent c = user(events, "cc111111");
        assertThat(c.getGroupName()).isEqualTo("RB1");
        assertThat(c.getProjects()).containsExactly("CDAaaS");

        assertThat(counts.rejected("malformed")).isEqualTo(2); // w5 (no created_time), the user without an id
        assertThat(source.anomalies().counts())
                .containsEntry("duplicate key", 1L)
                .containsEntry("deleted without a time", 1L)
                .containsEntry("several groups", 1L);
    }

    @Test
    void followingPublishesOnlyWhatChanged() throws Exception {
        Path out = dir.resolve("follow.jsonl");
        List<Integer> sizes = new ArrayList<>();
        TestClock clock = new TestClock(Instant.parse("2025-09-12T00:00:00Z"), 2);
        IngestCounts counts;
        RegistrySource source;
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            source = source(sink, checkpoint());
            RegistrySource s = source;
            clock.onWake(t -> {
                sizes.add((int) s.events());
                if (sizes.size() == 1) {
                    workspaces.set(
                            0,
                            workspaces
                                    .get(0)
                                    .replace("\"deleted_time\":null", "\"deleted_time\":\"2025-09-11T17:00:00Z\""));
                    workspaces.add("{\"_id\":\"w7\",\"hostname\":\"workspace-w7-muon-0\",\"owner\":\"bb654321\","
                            + "\"tag\":\"ISIS\",\"created_time\":\"2025-09-11T20:00:00Z\"}");
                    users.set(
                            1,
                            "{\"platform_name\":\"bb654321\",\"name\":\"Bee\",\"group\":\"RB2\",\"projects\":[\"IDAaaS\"]}");
                } else {
                    workspaces.remove(workspaces.size() - 2); // w6 is no longer listed
                }
            });
            source.follow(Optional.empty(), clock, Duration.ofMinutes(5), Duration.ofMinutes(1));
            sizes.add((int) source.events());
            counts = sink.counts();
        }
        List<SpecificRecord> events = read(out);
        assertThat(sizes).containsExactly(7, 10, 10);
        assertThat(events.subList(7, 10))
                .extracting(e -> e instanceof WorkspaceEvent w ? w.getWorkspaceKey() : ((UserEvent) e).getUserId())
                .containsExactlyInAnyOrder("bb654321", "65f1c0de9a1b2c3d4e5f6a01", "w7");
        assertThat(workspace(events, "65f1c0de9a1b2c3d4e5f6a01").getDeletedTime())
                .isEqualTo(Instant.parse("2025-09-11T17:00:00Z"));
        assertThat(user(events, "bb654321").getGroupName()).isEqualTo("RB2");
        assertThat(counts.rejected("malformed")).isEqualTo(2); // rejected once, not at every poll
        assertThat(source.anomalies().count("no longer listed")).isEqualTo(1);
        assertThat(clock.sleeps())
                .extracting(Instant::toString)
                .containsExactly("2025-09-12T00:05:00Z", "2025-09-12T00:10:00Z");

        // A rerun from the checkpoint publishes nothing: nothing changed since.
        Optional<ObjectNode> resume = checkpoint().resumable();
        assertThat(resume).isPresent();
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, Committer.outBytes(resume))) {
            RegistrySource again = source(sink, checkpoint());
            RegistrySource.Poll p = again.once(resume);
            assertThat(p.workspacesChanged() + p.usersChanged() + p.rejected()).isZero();
        }
        assertThat(read(out)).hasSize(10);
    }

    @Test
    void nextPagesStayOnTheConfiguredOriginAndTheTokenInTheUrlIsNeverShown() throws Exception {
        String token = "tok-9f8e7d6c";
        String bearer = "Bearer hdr-5a4b3c";
        AtomicReference<URI> nextPages = new AtomicReference<>(server.uri("/workspaces?token=" + token));
        // Eve's next links, made absolute: on this server, then on another one.
        server.handler(r -> {
            Reply page = answer(r);
            return r.path().equals("/workspaces")
                    ? Reply.json(page.body()
                            .replace("\"href\":\"workspaces?page=", "\"href\":\"" + nextPages.get() + "&page="))
                    : page;
        });
        HttpFetcher http = new HttpFetcher(HttpSettings.defaults().withHeaders(Map.of("Authorization", bearer)));
        URI workspacesUrl = server.uri("/workspaces?token=" + token + "&max_results=" + PAGE);
        URI usersUrl = server.uri("/users?access_token=" + token);
        Optional<RegistryInput> ws = Optional.of(RegistryInput.url(http, workspacesUrl));
        Optional<RegistryInput> us = Optional.of(RegistryInput.url(http, usersUrl));
        Path cpFile = dir.resolve("registry.json");
        Checkpoint cp = new Checkpoint(cpFile, RegistrySource.NAME, RegistrySource.job(mapping, ws, us));
        List<String> progress = new ArrayList<>();
        Path out = dir.resolve("registry.jsonl");
        String failure;
        try (CapturedLogs logs = new CapturedLogs()) {
            try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
                RegistrySource source =
                        new RegistrySource(mapping, ws, us, sink, new Committer(sink, cp), progress::add);
                assertThat(source.once(Optional.empty()).workspaces())
                        .isEqualTo(4); // every page, absolute links and all

                try (LocalHttpServer elsewhere = new LocalHttpServer(r -> Reply.json("{\"_items\":[]}"))) {
                    nextPages.set(elsewhere.uri("/collect?token=" + token));
                    failure = catchThrowableOfType(() -> source.once(cp.resumable()), SourceException.class)
                            .getMessage();
                    assertThat(elsewhere.requests()).isEmpty(); // it never saw the Authorization header, nor anything
                }
            }
            assertThat(failure)
                    .isEqualTo("GET " + server.uri("/workspaces?token=***&max_results=2") + " gives as its"
                            + " next page " + "http://127.0.0.1:" + nextPagesPort(nextPages)
                            + "/collect?token=***&page=2"
                            + ", on another origin: http://127.0.0.1:" + nextPagesPort(nextPages) + " rather than "
                            + server.uri()
                            + ". Not followed: the request's headers (--header) go to the configured origin only.");
            String everything = String.join(
                    "\n",
                    logs.text(),
                    failure,
                    String.join("\n", progress),
                    Files.readString(cpFile),
                    Files.readString(out));
            assertThat(everything).doesNotContain(token).doesNotContain("hdr-5a4b3c");
            // A rejected record names the page it came from, masked.
            assertThat(logs.text())
                    .contains("Rejected (malformed) " + server.uri("/workspaces?token=***&page=3") + ":");
            assertThat(Files.readString(cpFile))
                    .contains("\"workspaces\" : \"" + server.uri("/workspaces?token=***" + "&max_results=2") + "\"")
                    .contains("\"users\" : \"" + server.uri("/users?access_token=***") + "\"")
                    .contains("\"workspaces_secret\" : \"pbkdf2-sha256:")
                    .contains("\"users_secret\" : \"pbkdf2-sha256:");
        }
        assertThat(server.requests())
                .allSatisfy(r -> assertThat(r.headers().get("Authorization")).containsExactly(bearer));
    }

    private static int nextPagesPort(AtomicReference<URI> nextPages) {
        return nextPages.get().getPort();
    }

    @Test
    void aFailedReadPublishesNothing() throws Exception {
        fault = r -> r.path().equals("/users") ? Reply.status(401, "{\"_status\":\"ERR\",\"_error\":\"auth\"}") : null;
        Path out = dir.resolve("none.jsonl");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            RegistrySource source = source(sink, checkpoint());
            assertThatThrownBy(() -> source.once(Optional.empty()))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("HTTP 401");
        }
        assertThat(Files.size(out)).isZero();
        assertThat(Files.exists(dir.resolve("registry.json"))).isFalse();
    }

    @Test
    void readsFilesAsJsonArraysWrappedListsOrJsonLines() throws Exception {
        Path ws = dir.resolve("workspaces.jsonl"); // as mongoexport writes them
        Files.writeString(ws, String.join("\n", workspaces.get(0), workspaces.get(2)) + "\n");
        Path us = dir.resolve("users.json");
        Files.writeString(us, "{\"_items\":[" + users.get(0) + "," + users.get(1) + "]}");
        Path out = dir.resolve("files.jsonl");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            Optional<RegistryInput> w = Optional.of(RegistryInput.file(ws));
            Optional<RegistryInput> u = Optional.of(RegistryInput.file(us));
            Checkpoint cp =
                    new Checkpoint(dir.resolve("files.json"), RegistrySource.NAME, RegistrySource.job(mapping, w, u));
            new RegistrySource(mapping, w, u, sink, new Committer(sink, cp), p -> {}).once(Optional.empty());
        }
        List<SpecificRecord> events = read(out);
        assertThat(events).hasSize(4);
        assertThat(workspace(events, "w3").getMachineName()).isEqualTo("Muon");
        assertThat(user(events, "aa123456").getGroupName()).isEqualTo("RB2410001");
    }

    @Test
    void theMappingRefusesUnknownKeysAndBadPatterns() {
        assertThatThrownBy(() -> RegistryMapping.of(Map.of("workspace.hostname", "host")))
                .hasMessageContaining("unknown registry mapping key 'workspace.hostname'");
        assertThatThrownBy(() -> RegistryMapping.of(Map.of("workspace.machine_pattern", "workspace-.*")))
                .hasMessageContaining("needs a group");
        assertThat(RegistryMapping.of(Map.of("user.group", "experiment.name")).get("user.group"))
                .isEqualTo("experiment.name");
    }
}

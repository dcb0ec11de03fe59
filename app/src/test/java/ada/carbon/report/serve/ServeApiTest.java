package ada.carbon.report.serve;

import static ada.carbon.report.serve.ServedDatabase.GROUP_RB1;
import static ada.carbon.report.serve.ServedDatabase.OPERATOR;
import static ada.carbon.report.serve.ServedDatabase.USER_AA;
import static ada.carbon.report.serve.ServedDatabase.USER_UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.app.Main;
import ada.carbon.app.cli.ServeCommand;
import ada.carbon.report.ReportDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The API against a real server (Javalin on a free port) over a real database built by the pipeline
 * ({@code load} of the end-to-end events on the embedded broker): its figures are the views', each role gets what
 * it may see and a 401 or 403 for the rest, bad parameters get a 400 naming them, and no token reaches the logs.
 */
class ServeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static ServedDatabase served;

    @BeforeAll
    static void serve() throws Exception {
        served = new ServedDatabase(dir);
    }

    @AfterAll
    static void stop() {
        if (served != null) {
            served.close();
        }
    }

    static JsonNode ok(String token, String path) throws Exception {
        ServedDatabase.Answer a = served.get(token, path);
        assertThat(a.status()).as("%s: %s", path, a.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(a.body());
        if (!path.equals("/openapi.json")) {
            assertThat(body.path("units").path("energy").asText())
                    .as("%s says its units", path)
                    .isEqualTo("kWh");
            assertThat(body.path("units").path("carbon").asText()).isEqualTo("gCO2eq");
        }
        return body;
    }

    static JsonNode status(int expected, String token, String path) throws Exception {
        ServedDatabase.Answer a = served.get(token, path);
        assertThat(a.status())
                .as("%s with %s: %s", path, token == null ? "no token" : "a token", a.body())
                .isEqualTo(expected);
        return JSON.readTree(a.body());
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    // ---------------------------------------------------------------- figures

    @Test
    void theFiguresAreTheViews() throws Exception {
        Map<String, Object> ada = served.row("SELECT * FROM v_ada_totals");
        JsonNode usage = ok(OPERATOR, "/carbon/usage?view=day");
        JsonNode total = usage.get("total");
        assertThat(total.get("busy_kwh").asDouble()).isEqualTo(d(ada.get("busy_kwh")));
        assertThat(total.get("idle_kwh").asDouble()).isEqualTo(d(ada.get("idle_kwh")));
        assertThat(total.get("busy_gco2eq").asDouble()).isEqualTo(d(ada.get("busy_gCo2eq")));
        assertThat(total.get("idle_gco2eq").asDouble()).isEqualTo(d(ada.get("idle_gCo2eq")));
        assertThat(total.get("busy_cpu_seconds").asDouble()).isEqualTo(d(ada.get("busy_cpu_seconds_total")));
        assertThat(usage.get("bucket").asText()).isEqualTo("hour");
        // One bar per hourly fact: each the v_ada_timeseries row itself.
        List<Map<String, Object>> hours = served.rows("SELECT * FROM v_ada_timeseries ORDER BY ts");
        assertThat(hours).hasSize(3);
        assertThat(usage.get("periods")).hasSize(hours.size());
        for (int i = 0; i < hours.size(); i++) {
            JsonNode p = usage.get("periods").get(i);
            assertThat(p.get("period").asText() + ":00:00Z")
                    .isEqualTo(hours.get(i).get("ts"));
            assertThat(p.get("busy_gco2eq").asDouble()).isEqualTo(d(hours.get(i).get("busy_gCo2eq")));
            assertThat(p.get("idle_kwh").asDouble()).isEqualTo(d(hours.get(i).get("idle_kwh")));
        }
        JsonNode history = ok(OPERATOR, "/carbon/history?view=day&data_type=electricity&scope=machine&id=Muon");
        List<Map<String, Object>> muon =
                served.rows("SELECT * FROM v_machine_timeseries WHERE machine_name = 'Muon' ORDER BY ts");
        assertThat(history.get("unit").asText()).isEqualTo("kWh");
        assertThat(history.get("busy")).hasSize(muon.size());
        for (int i = 0; i < muon.size(); i++) {
            assertThat(history.get("busy").get(i).asDouble())
                    .isEqualTo(d(muon.get(i).get("busy_kwh")));
            assertThat(history.get("idle").get(i).asDouble())
                    .isEqualTo(d(muon.get(i).get("idle_kwh")));
        }

        // Tables and summaries: the totals and averages views' rows.
        JsonNode projects = ok(OPERATOR, "/projects");
        List<Map<String, Object>> totals = served.rows(
                "SELECT * FROM v_project_totals t JOIN v_project_averages a" + " USING (cloud_project_name)");
        assertThat(projects.get("rows")).hasSize(totals.size());
        for (Map<String, Object> view : totals) {
            JsonNode row = find(projects.get("rows"), (String) view.get("cloud_project_name"));
            assertThat(row.get("busy_kwh").asDouble()).isEqualTo(d(view.get("busy_kwh")));
            assertThat(row.get("idle_gco2eq").asDouble()).isEqualTo(d(view.get("idle_gCo2eq")));
            assertThat(row.get("avg_intensity_gco2eq_kwh").asDouble())
                    .isEqualTo(d(view.get("avg_intensity_gCo2eq_kwh")));
            assertThat(row.get("avg_busy_energy_kwh").asDouble()).isEqualTo(d(view.get("avg_busy_energy_kwh")));
        }
        Map<String, Object> alice = served.row("SELECT * FROM v_user_totals WHERE user_id = 'aa111111'");
        JsonNode summary = ok(OPERATOR, "/users/aa111111/summary");
        assertThat(summary.get("energy_kwh").get("busy").asDouble()).isEqualTo(d(alice.get("busy_kwh")));
        assertThat(summary.get("carbon_gco2eq").get("idle").asDouble()).isEqualTo(d(alice.get("idle_gCo2eq")));
        assertThat(summary.get("total_cpu_seconds").get("busy_seconds").asDouble())
                .isEqualTo(d(alice.get("busy_cpu_seconds_total")));
        assertThat(summary.get("display_name").asText()).isEqualTo("Alice A");
        assertThat(summary.get("group_name").asText()).isEqualTo("RB1");
        assertThat(summary.get("carbon_equivalencies").get("total_gco2eq").asDouble())
                .isEqualTo(d(alice.get("busy_gCo2eq")) + d(alice.get("idle_gCo2eq")));
        Map<String, Object> rb1 = served.row("SELECT * FROM v_group_totals WHERE group_name = 'RB1'");
        JsonNode group = ok(OPERATOR, "/groups/RB1/summary");
        assertThat(group.get("total_energy_kwh").asDouble()).isEqualTo(d(rb1.get("busy_kwh")) + d(rb1.get("idle_kwh")));
        assertThat(group.get("members")).extracting(JsonNode::asText).containsExactly("aa111111", "bb222222");

        // The daily heatmap, the intensity slots, the forecast and the active workspaces.
        JsonNode heatmap = ok(OPERATOR, "/carbon/heatmap?year=2025");
        Map<String, Object> day = served.row("SELECT substr(ts, 1, 10) AS d, SUM(busy_gCo2eq) + SUM(idle_gCo2eq) AS g"
                + " FROM v_ada_timeseries GROUP BY d");
        assertThat(heatmap.get("days")).hasSize(1);
        assertThat(heatmap.get("days").get(0).get("date").asText()).isEqualTo(day.get("d"));
        assertThat(heatmap.get("days").get(0).get("value").asDouble()).isEqualTo(d(day.get("g")));
        JsonNode slots = ok(OPERATOR, "/carbon/intensity?from=2025-09-11&to=2025-09-12");
        List<Map<String, Object>> rows = served.rows("SELECT * FROM fact_intensity ORDER BY ts");
        assertThat(slots.get("slots")).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(slots.get("slots").get(i).get("from").asText())
                    .isEqualTo(rows.get(i).get("ts"));
            assertThat(slots.get("slots").get(i).get("source").asText())
                    .isEqualTo(rows.get(i).get("source"));
            assertThat(slots.get("slots").get(i).get("intensity").asDouble())
                    .isEqualTo(d(rows.get(i).get("intensity_gCo2eq_kwh")));
        }
        JsonNode forecast = ok(OPERATOR, "/carbon/intensity/forecast?window=0.5");
        assertThat(forecast.get("newest_actual").asText())
                .isEqualTo(served.row("SELECT MAX(ts) AS t FROM fact_intensity WHERE source = 'actual'")
                        .get("t"));
        assertThat(forecast.get("window_hours").asDouble()).isEqualTo(0.5);
        JsonNode current = ok(OPERATOR, "/carbon/intensity/current");
        assertThat(current.get("from").asText())
                .isEqualTo(served.row("SELECT MAX(ts) AS t FROM fact_intensity").get("t"));
        JsonNode workspaces = ok(OPERATOR, "/workspaces/active");
        assertThat(workspaces.get("count").asDouble())
                .isEqualTo(d(
                        served.row("SELECT COUNT(*) AS n FROM active_workspace").get("n")))
                .isPositive();
        // The footprint: the views' rows, whatever the aggregator computed (null where it did not).
        for (String[] sel :
                new String[][] {{"ada", null}, {"project", "IDAaaS"}, {"group", "RB1"}, {"user", "aa111111"}}) {
            String where =
                    " WHERE scope = '" + sel[0] + "' AND entity " + (sel[1] == null ? "IS NULL" : "= '" + sel[1] + "'");
            Map<String, Object> fp = served.row("SELECT * FROM v_footprint_totals" + where);
            Map<String, Object> q = served.row("SELECT * FROM v_quality_totals" + where);
            JsonNode body = ok(OPERATOR, "/carbon/footprint?scope=" + sel[0] + (sel[1] == null ? "" : "&id=" + sel[1]));
            for (String[] pair : new String[][] {
                {"footprint", "busy_gco2eq", "busy_gCo2eq"},
                {"footprint", "embodied_gco2eq", "embodied_gCo2eq"},
                {"footprint", "total_gco2eq", "total_gCo2eq"}
            }) {
                assertSame(body.get(pair[0]).get(pair[1]), fp.get(pair[2]), sel[0] + " " + pair[1]);
            }
            for (String column : List.of("kwh", "measured_share", "fallback_share", "coverage")) {
                assertSame(body.get("quality").get(column), q.get(column), sel[0] + " " + column);
            }
        }
        JsonNode eq = ok(OPERATOR, "/carbon/equivalencies/393?count=1");
        assertThat(eq.get("top_equivalencies").get("miles").get("value").asDouble())
                .isEqualTo(1.0);
        assertThat(eq.get("top_equivalencies").get("miles").get("source").asText())
                .contains("EPA");
        assertThat(eq.get("top_equivalencies")).hasSize(1);
    }

    private static void assertSame(JsonNode served, Object view, String what) {
        if (view == null) {
            assertThat(served.isNull()).as(what).isTrue();
        } else {
            assertThat(served.asDouble()).as(what).isEqualTo(d(view));
        }
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode r : rows) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no row " + name + " in " + rows);
    }

    // ---------------------------------------------------------------- roles

    @Test
    void everyRouteButThePublicOnesNeedsAValidToken() throws Exception {
        for (String path : List.of(
                "/whoami",
                "/carbon/usage",
                "/carbon/history",
                "/carbon/footprint",
                "/users/aa111111/usage",
                "/groups",
                "/workspaces/active",
                "/carbon/intensity/current",
                "/carbon/equivalencies/10",
                "/users/nobody/summary")) {
            JsonNode body = status(401, null, path);
            assertThat(body.get("error").asText()).isEqualTo("unauthorized");
            status(401, "not-a-token-of-this-server", path);
        }
        assertThat(served.get(null, "/whoami").headers().get("www-authenticate"))
                .anyMatch(h -> h.startsWith("Bearer"));
        for (String path : List.of("/", "/health", "/openapi.json")) {
            assertThat(served.get(null, path).status()).as(path).isEqualTo(200);
        }
        assertThat(ok(OPERATOR, "/whoami").get("label").asText()).isEqualTo("ops on call");
    }

    @Test
    void aUserSeesTheirOwnUsageAndThePlatform() throws Exception {
        JsonNode me = ok(USER_AA, "/users/me/summary");
        assertThat(me.get("id").asText()).isEqualTo("aa111111");
        assertThat(ok(USER_AA, "/users/aa111111/usage")
                        .get("total")
                        .get("facts")
                        .asLong())
                .isPositive();
        assertThat(ok(USER_AA, "/carbon/usage").get("scope").asText()).isEqualTo("ada");
        assertThat(ok(USER_AA, "/carbon/history?scope=user&id=aa111111")
                        .get("id")
                        .asText())
                .isEqualTo("aa111111");
        assertThat(ok(USER_AA, "/users").get("rows"))
                .extracting(r -> r.get("name").asText())
                .containsExactly("aa111111");
        // Alice's one workspace was deleted; the others' are not hers to see.
        assertThat(ok(USER_AA, "/workspaces/active").get("count").asInt()).isZero();
        assertThat(ok(OPERATOR, "/workspaces/active").get("count").asInt()).isPositive();
        // Someone else's, existing or not: the same 403, no hint.
        JsonNode other = status(403, USER_AA, "/users/bb222222/usage");
        JsonNode nobody = status(403, USER_AA, "/users/nobody/usage");
        assertThat(nobody).isEqualTo(other);
        assertThat(other.get("detail").asText()).doesNotContain("bb222222");
        ok(USER_AA, "/carbon/footprint?scope=user&id=aa111111");
        for (String path : List.of(
                "/users/bb222222/summary",
                "/carbon/history?scope=user&id=bb222222",
                "/groups/RB1/summary",
                "/carbon/footprint?scope=user&id=bb222222",
                "/carbon/footprint?scope=group&id=RB1",
                "/projects/IDAaaS/usage",
                "/machines/Muon/summary",
                "/carbon/heatmap?scope=group&id=RB1",
                "/groups",
                "/projects",
                "/machines",
                "/workspaces/active?scope=user&id=bb222222")) {
            status(403, USER_AA, path);
        }
        // A user with no facts yet still has a self; another role has no "me".
        status(404, USER_UNKNOWN, "/users/me/summary");
        status(404, OPERATOR, "/users/me/summary");
    }

    @Test
    void aGroupSeesItsGroupAndItsMembers() throws Exception {
        assertThat(ok(GROUP_RB1, "/groups").get("rows"))
                .extracting(r -> r.get("name").asText())
                .containsExactly("RB1");
        assertThat(ok(GROUP_RB1, "/users").get("rows"))
                .extracting(r -> r.get("name").asText())
                .containsExactlyInAnyOrder("aa111111", "bb222222");
        ok(GROUP_RB1, "/groups/RB1/usage");
        ok(GROUP_RB1, "/users/bb222222/summary");
        ok(GROUP_RB1, "/carbon/history?scope=user&id=aa111111");
        assertThat(ok(GROUP_RB1, "/workspaces/active").get("workspaces"))
                .extracting(w -> w.get("owner_group").asText())
                .isNotEmpty()
                .containsOnly("RB1");
        for (String path : List.of(
                "/groups/RB2/summary",
                "/groups/NOPE/summary",
                "/users/ee555555/usage",
                "/users/cc333333/usage",
                "/users/nobody/usage",
                "/projects",
                "/projects/IDAaaS/summary")) {
            status(403, GROUP_RB1, path);
        }
    }

    @Test
    void anOperatorSeesEverythingAndIsToldWhatDoesNotExist() throws Exception {
        assertThat(ok(OPERATOR, "/users").get("rows").size())
                .isEqualTo(served.rows("SELECT * FROM v_user_totals").size());
        ok(OPERATOR, "/groups/RB2/summary");
        ok(OPERATOR, "/projects/CDAaaS/usage");
        ok(OPERATOR, "/machines/Muon/usage");
        JsonNode missing = status(404, OPERATOR, "/users/nobody/summary");
        assertThat(missing.get("detail").asText()).isEqualTo("no user 'nobody'");
        status(404, OPERATOR, "/groups/NOPE/usage");
        status(404, OPERATOR, "/carbon/history?scope=project&id=NOPE");
        status(404, OPERATOR, "/no/such/route");
    }

    // ---------------------------------------------------------------- bad requests

    @Test
    void badParametersAreRefusedByName() throws Exception {
        Object[][] cases = {
            {"/carbon/history?scope=bogus", "unknown scope 'bogus'"},
            {"/carbon/history?scope=user", "scope user needs an id"},
            {"/carbon/usage?id=x", "scope ada takes no id"},
            {"/carbon/usage?from=2025-13-01", "from: '2025-13-01'"},
            {"/carbon/usage?to=yesterday", "to: 'yesterday'"},
            {"/carbon/usage?from=2025-09-12&to=2025-09-11", "from 2025-09-12T00:00:00Z is not before to"},
            {"/carbon/usage?from=2025-09-11&to=2025-09-11", "is not before"},
            {"/carbon/usage?view=week", "view: 'week'"},
            {"/carbon/history?data_type=water", "data_type: 'water'"},
            {"/carbon/heatmap?year=1999", "year: 1999 is out of range"},
            {"/carbon/heatmap?year=99999", "year: 99999 is out of range"},
            {"/carbon/heatmap?year=last", "year: 'last' is not a whole number"},
            {"/carbon/intensity/forecast?hours=0", "hours: 0 is out of range"},
            {"/carbon/intensity/forecast?window=0.7", "window: 0.7 hours"},
            {"/carbon/equivalencies/-5", "gco2eq: -5"},
            {"/carbon/equivalencies/lots", "gco2eq: 'lots'"},
            {"/carbon/equivalencies/10?count=9", "count: 9 is out of range"},
            {"/projects?from=2025-09-11T10:00:00.5Z", "fraction of a second"},
        };
        for (Object[] c : cases) {
            JsonNode body = status(400, OPERATOR, (String) c[0]);
            assertThat(body.get("error").asText()).isEqualTo("bad_request");
            assertThat(body.get("detail").asText()).as((String) c[0]).contains((String) c[1]);
        }
    }

    // ---------------------------------------------------------------- the rest

    @Test
    void openApiDescribesEveryRouteAndNoOther() throws Exception {
        JsonNode doc = ok(null, "/openapi.json");
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        for (Iterator<String> i = doc.get("paths").fieldNames(); i.hasNext(); ) {
            paths.add(i.next());
        }
        assertThat(new TreeSet<>(paths)).isEqualTo(new TreeSet<>(served.server.routes()));
        // Each documented schema a response refers to exists.
        doc.get("paths")
                .forEach(p -> p.get("get").get("responses").forEach(r -> {
                    String ref = r.path("content")
                            .path("application/json")
                            .path("schema")
                            .path("$ref")
                            .asText();
                    if (!ref.isEmpty()) {
                        assertThat(doc.get("components").get("schemas").has(ref.substring(ref.lastIndexOf('/') + 1)))
                                .as(ref)
                                .isTrue();
                    }
                }));
    }

    @Test
    void healthSaysTheDatabaseIsReadable() throws Exception {
        JsonNode h = ok(null, "/health");
        assertThat(h.get("status").asText()).isEqualTo("UP");
        assertThat(h.get("newest_fact_ts").asText())
                .isEqualTo(served.row("SELECT MAX(ts) AS t FROM fact_usage").get("t"));
        assertThat(h.get("data_version").asLong()).isPositive();
        assertThat(h.get("lag").isNull()).isTrue();
    }

    @Test
    void serveOnlyReads() throws Exception {
        try (Connection c = ReportDatabase.openReadOnly(served.db)) {
            assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM fact_usage"))
                    .hasMessageContaining("readonly");
        }
        // Its pooled connections are the same kind: a write through one fails too.
        ServeDatabase database = new ServeDatabase(served.db, 1);
        try {
            assertThatThrownBy(() -> database.read(c -> c.createStatement().executeUpdate("DELETE FROM fact_usage")))
                    .hasMessageContaining("readonly");
        } finally {
            database.close();
        }
    }

    /**
     * The sink writes while serve answers: with a busy timeout of 50 ms, any lock serve held for longer would fail
     * a commit with SQLITE_BUSY. (The users written have no facts and no group: no figure above changes.)
     */
    @Test
    void theSinkCommitsWhileServeAnswers() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                while (reading.get()) {
                    for (String path :
                            List.of("/carbon/usage?view=day", "/users", "/groups/RB1/summary", "/carbon/intensity")) {
                        if (served.get(OPERATOR, path).status() == 200) {
                            answered.incrementAndGet();
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        try (ada.carbon.sink.AdaDatabase writer =
                ada.carbon.sink.AdaDatabase.open(served.db, java.time.Duration.ofMillis(50))) {
            for (int i = 0; i < 40; i++) {
                ada.carbon.sink.SinkBatch batch = new ada.carbon.sink.SinkBatch()
                        .add(ada.carbon.sink.SinkChange.UserChange.of(new ada.carbon.avro.UserEvent(
                                "writer-" + i, "Written while serving", null, List.of())));
                assertThat(writer.apply(batch).skipped()).isZero();
                Thread.sleep(10);
            }
        } finally {
            reading.set(false);
            reader.join();
        }
        assertThat(answered.get())
                .as("requests answered while the writer committed")
                .isGreaterThan(4);
        assertThat(served.rows("SELECT * FROM dim_user WHERE user_id LIKE 'writer-%'"))
                .hasSize(40);
    }

    /** Valid, invalid and refused requests of every role, all logged at DEBUG for ours and INFO for Jetty's. */
    @Test
    void noTokenEverReachesTheLogs() throws Exception {
        status(401, "Bearer-like-" + OPERATOR.substring(3), "/whoami");
        ok(USER_AA, "/users/me/usage");
        status(403, GROUP_RB1, "/groups/RB2/summary");
        List<String> lines = served.logLines();
        assertThat(lines)
                .as("the access log")
                .anyMatch(
                        l -> l.contains("GET /users/me/usage 200") && l.contains("by Alice's laptop (user:aa111111)"));
        assertThat(lines).anyMatch(l -> l.contains("GET /groups/RB2/summary 403") && l.contains("RB1 lead"));
        for (String token : ServedDatabase.TOKENS) {
            assertThat(lines).as("a log line with a token").noneMatch(l -> l.contains(token));
            assertThat(lines).noneMatch(l -> l.contains(token.substring(0, 16)));
        }
    }

    // ---------------------------------------------------------------- the command line

    @Test
    void withoutTokensOnlyLoopbackIsServed() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("serve", "--db", served.db.toString(), "--bind", "0.0.0.0", "--port", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--bind 0.0.0.0 without --tokens is refused");
        assertThat(ServeCommand.loopback("127.0.0.1")).isTrue();
        assertThat(ServeCommand.loopback("::1")).isTrue();
        assertThat(ServeCommand.loopback("0.0.0.0")).isFalse();
    }

    @Test
    void hashTokenPrintsWhatATokenFileLists() throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream((OPERATOR + "\n").getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(Main.commandLine().execute("serve", "--hash-token")).isZero();
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String line = printed.toString(StandardCharsets.UTF_8).strip();
        assertThat(line)
                .matches("sha256:[0-9a-f]{64}")
                .isEqualTo(TokenFile.hash(OPERATOR))
                .doesNotContain(OPERATOR);
        // The file refuses a token written in place of its hash, a bad role, and a repeated token.
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, OPERATOR + " operator oops\n");
        assertThatThrownBy(() -> TokenFile.read(file))
                .hasMessageContaining("line 1")
                .hasMessageNotContaining(OPERATOR);
        Files.writeString(file, "# ok\n" + line + " admin someone\n");
        assertThatThrownBy(() -> TokenFile.read(file)).hasMessageContaining("line 2: role 'admin'");
        Files.writeString(file, line + " operator a\n" + line + " user:x b\n");
        assertThatThrownBy(() -> TokenFile.read(file)).hasMessageContaining("line 2: the same token as 'a'");
        Files.writeString(file, line + " group:RB1 the lead of RB1\n");
        assertThat(TokenFile.read(file).authenticate(OPERATOR))
                .isEqualTo(new Caller(new Role(Role.Kind.GROUP, "RB1"), "the lead of RB1"));
        assertThat(TokenFile.read(file).authenticate(OPERATOR + "x")).isNull();
    }
}

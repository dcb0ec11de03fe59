package ada.carbon.report.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import ada.carbon.app.e2e.E2e;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A database built by the pipeline ({@code ada-carbon load} of the end-to-end events on the embedded broker) and a
 * real server over it, with one token per role; every log event of the run is kept, to look for tokens in.
 */
final class ServedDatabase implements AutoCloseable {
    static final String OPERATOR = TokenFile.newToken();
    static final String GROUP_RB1 = TokenFile.newToken();
    static final String USER_AA = TokenFile.newToken();
    static final String USER_UNKNOWN = TokenFile.newToken();
    static final List<String> TOKENS = List.of(OPERATOR, GROUP_RB1, USER_AA, USER_UNKNOWN);

    final Path dir;
    final Path db;
    final Path dataDir;
    final CarbonServer server;
    final String base;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServedDatabase(Path dir) throws Exception {
        this.dir = dir;
        this.db = dir.resolve("served.db");
        this.dataDir = dir.resolve("state");
        captureLogs();
        load(events());
        TokenFile tokens = TokenFile.parse(
                "test tokens",
                List.of(
                        "# one token per role",
                        TokenFile.hash(OPERATOR) + " operator ops on call",
                        TokenFile.hash(GROUP_RB1) + " group:RB1 RB1 lead",
                        TokenFile.hash(USER_AA) + " user:aa111111 Alice's laptop",
                        TokenFile.hash(USER_UNKNOWN) + " user:zz999999 nobody yet"));
        server = CarbonServer.start(new CarbonServer.Settings(db, "127.0.0.1", 0, tokens, null, 4, Duration.ofDays(7)));
        base = "http://127.0.0.1:" + server.port();
    }

    /** The end-to-end events, a file the pipeline reads as is. */
    static Path events() throws URISyntaxException {
        return Path.of(E2e.class.getResource("/e2e/events.jsonl").toURI());
    }

    /** Runs {@code ada-carbon load} of more files into the same data directory and database. */
    void load(Path... files) {
        List<String> args = new ArrayList<>(List.of("load", "--data-dir", dataDir.toString(), "--db", db.toString()));
        for (Path f : files) {
            args.add(f.toString());
        }
        assertThat(Main.commandLine().execute(args.toArray(String[]::new)))
                .as("ada-carbon %s", args)
                .isZero();
    }

    /** Our own logs at DEBUG, the rest at INFO: everything an operator might turn on, kept in memory. */
    private void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.setContext(context);
        logs.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        context.getLogger("ada.carbon").setLevel(Level.DEBUG);
    }

    /** Every log line of the run so far, with its stack trace if any. */
    List<String> logLines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            out.add(e.getLoggerName() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : " " + e.getThrowableProxy().getMessage()));
        }
        return out;
    }

    record Answer(int status, String body, Map<String, List<String>> headers) {}

    Answer get(String token, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body(), r.headers().map());
    }

    /** The rows of a query on the database, independently of serve. */
    List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return E2e.rows(r);
        }
    }

    Map<String, Object> row(String sql) throws SQLException {
        List<Map<String, Object>> rows = rows(sql);
        assertThat(rows).as(sql).hasSize(1);
        return new LinkedHashMap<>(rows.get(0));
    }

    /** A file of more events: one more hour of CPU on host 1 (Muon, IDAaaS), held by bb222222 then. */
    Path moreEvents() throws IOException {
        Path f = dir.resolve("more-" + System.nanoTime() + ".jsonl");
        Files.writeString(
                f,
                "{\"kind\":\"cpu\",\"instance\":\"host-172-16-100-1.nubes.stfc.ac.uk:9100\","
                        + "\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\",\"ts\":\"2025-09-11T14:00:00Z\","
                        + "\"period_seconds\":3600,\"busy_cpu_seconds\":7200,\"idle_cpu_seconds\":7200}\n");
        return f;
    }

    @Override
    public void close() {
        server.close();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        context.getLogger("ada.carbon").setLevel(Level.INFO);
    }
}

package ada.carbon.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ada-carbon bench} on a tiny workload (4 hosts, 1 day) through the real embedded broker, with the
 * aggregator and the sink as child JVMs: every phase reports, the database holds the facts, every
 * restatement probe was observed, and the output ends with the ratio line. No timing is asserted.
 */
class BenchCommandTest {
    static final int RESTATEMENTS = 4;

    @TempDir
    static Path dir;
    static Path dataDir;
    static int exitCode;
    static String stdout;
    static String stderr;

    @BeforeAll
    static void runTheBench() {
        dataDir = dir.resolve("bench");
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        exitCode = cli.execute("bench", "--hosts", "4", "--days", "1", "--restatements", Integer.toString(RESTATEMENTS),
                "--data-dir", dataDir.toString(), "--keep", "--phase-timeout", "3");
        stdout = out.toString();
        stderr = err.toString();
        System.out.println(stdout);
    }

    @Test
    void succeeds() {
        assertThat(exitCode).as("exit code; stderr:\n%s", stderr).isZero();
    }

    @Test
    void reportsEveryPhase() {
        for (String row : List.of("1 raw limit", "produce (tuned producer, acks=all)", "consume (tuned consumer)",
                "Kafka Streams, no-op processor", "floor / raw produce", "2 pipeline", "events in to database complete", "3 sink", "SinkService replay of the outputs",
                "plain JDBC batched upsert", "4 restatement", "new actual to all bucket facts", "5 memory",
                "peak RSS (VmHWM) broker", "peak RSS (VmHWM) aggregator", "peak RSS (VmHWM) sink",
                "aggregator state directory")) {
            assertThat(stdout).as("the report:\n%s", stdout).contains(row);
        }
        assertThat(stdout).contains("cpu interval 300 s");
        // Every throughput row has a rate and a count of what it measured.
        assertThat(Pattern.compile("[\\d,]+ (events|fact rows)/s  \\([\\d,]+ in [\\d.]+ s\\)").matcher(stdout).results().count())
                .isEqualTo(8);
        // On Linux the three processes' peaks are known.
        assertThat(Pattern.compile("peak RSS \\(VmHWM\\) \\w+ +[\\d,]+ MiB").matcher(stdout).results().count()).isEqualTo(3);
    }

    @Test
    void observesEveryRestatement() {
        Matcher m = Pattern.compile("p50 (\\d+) ms, p99 (\\d+) ms \\((\\d+) of (\\d+) probes observed\\)").matcher(stdout);
        assertThat(m.find()).as("the restatement row in:\n%s", stdout).isTrue();
        assertThat(Integer.parseInt(m.group(3))).isEqualTo(RESTATEMENTS);
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(RESTATEMENTS);
        assertThat(Long.parseLong(m.group(1))).isPositive().isLessThanOrEqualTo(Long.parseLong(m.group(2)));
    }

    @Test
    void theDatabaseHoldsTheFacts() throws Exception {
        Path db = dataDir.resolve("bench.db");
        assertThat(db).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage WHERE scope = 'ada'")).as("ada facts: 24 hours").isEqualTo(24);
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage")).isGreaterThan(24);
            assertThat(count(s, "SELECT COUNT(*) FROM fact_intensity WHERE has_cpu = 1")).isEqualTo(48);
        }
        // The sink replay and the plain upsert wrote the same fact rows as the pipeline did.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("plain-upsert.db"));
             Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage WHERE scope = 'ada'")).isEqualTo(24);
        }
    }

    @Test
    void endsWithTheRatioLine() {
        List<String> lines = stdout.lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("ratio pipeline/raw-produce: \\d+\\.\\d{2}");
    }

    @Test
    void leavesNoChildProcessBehind() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("child processes still alive after the bench").isEmpty();
        assertThat(Files.exists(dataDir.resolve("aggregator.log"))).isTrue();
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }
}

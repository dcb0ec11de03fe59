package ada.carbon.bench;

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
 * aggregator and the sink as child JVMs, on two partitions: every phase reports, the database holds the facts,
 * every restatement probe was observed, the live phases ran on the partitions and threads asked for, the
 * backfill ran its three configurations (as the broker saw them) to the same figures, and the output ends with
 * the three lines. No timing is asserted.
 */
class BenchCommandTest {
    static final int RESTATEMENTS = 4;
    static final int PARTITIONS = 2;

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
        exitCode = cli.execute(
                "bench",
                "--hosts",
                "4",
                "--days",
                "1",
                "--restatements",
                Integer.toString(RESTATEMENTS),
                "--partitions",
                Integer.toString(PARTITIONS),
                "--threads",
                "2",
                "--data-dir",
                dataDir.toString(),
                "--keep",
                "--phase-timeout",
                "3");
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
        for (String row : List.of(
                "1 raw limit",
                "produce (tuned producer, acks=all)",
                "consume (tuned consumer)",
                "Kafka Streams, no-op processor",
                "floor / raw produce",
                "2 pipeline",
                "events in to database complete",
                "3 sink",
                "SinkService replay of the outputs",
                "plain JDBC batched upsert",
                "4 restatement",
                "new actual to all bucket facts",
                "5 memory",
                "peak RSS (VmHWM) broker",
                "peak RSS (VmHWM) aggregator",
                "peak RSS (VmHWM) sink",
                "aggregator state directory",
                "pipeline / streams floor",
                "6 backfill",
                "scaling (b) / (a), 2 threads / 1 thread",
                "live heap of each instance of (c) / (b)")) {
            assertThat(stdout).as("the report:\n%s", stdout).contains(row);
        }
        assertThat(stdout).contains("cpu interval 300 s");
        // Every throughput row has a rate and a count of what it measured.
        assertThat(Pattern.compile("[\\d,]+ (events|fact rows)/s  \\([\\d,]+ in [\\d.]+ s\\)")
                        .matcher(stdout)
                        .results()
                        .count())
                .isEqualTo(8);
        // On Linux the three processes' peaks are known.
        assertThat(Pattern.compile("peak RSS \\(VmHWM\\) \\w+ +[\\d,]+ MiB")
                        .matcher(stdout)
                        .results()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void observesEveryRestatement() {
        Matcher m = Pattern.compile("p50 (\\d+) ms, p99 (\\d+) ms \\((\\d+) of (\\d+) probes observed\\)")
                .matcher(stdout);
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
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage WHERE scope = 'ada'"))
                    .as("ada facts: 24 hours")
                    .isEqualTo(24);
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage")).isGreaterThan(24);
            assertThat(count(s, "SELECT COUNT(*) FROM fact_intensity WHERE has_cpu = 1"))
                    .isEqualTo(48);
        }
        // The sink replay and the plain upsert wrote the same fact rows as the pipeline did.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("plain-upsert.db"));
                Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM fact_usage WHERE scope = 'ada'"))
                    .isEqualTo(24);
        }
    }

    @Test
    void endsWithTheThreeRatioLines() {
        List<String> lines = stdout.lines().toList();
        assertThat(lines.subList(lines.size() - 3, lines.size()))
                .as("the report:\n%s", stdout)
                .satisfiesExactly(
                        l -> assertThat(l).matches("ratio pipeline/raw-produce: \\d+\\.\\d{2}"),
                        l -> assertThat(l).matches("ratio pipeline/streams-floor: \\d+\\.\\d{2}"),
                        l -> assertThat(l).matches("scaling backfill 2 threads/1 thread: \\d+\\.\\d{2}"));
    }

    @Test
    void runsTheLivePhasesOnThePartitionsAndThreadsAskedFor() throws Exception {
        assertThat(rawCpuPartitions(dataDir)).containsExactly("ada.raw.cpu-0", "ada.raw.cpu-1");
        // As the broker saw the aggregator's group: one instance, two stream threads, a host task per partition.
        assertThat(stdout)
                .containsPattern("aggregator stream threads, host tasks +2 threads, 2 tasks \\(2 partitions\\)");
        assertThat(stdout)
                .contains("topics of 2 partitions, the aggregator and the streams floor with 2 stream threads");
    }

    @Test
    void backfillsUnderThreeConfigurationsAsTheBrokerSawThem() throws Exception {
        // configuration, tasks, threads, instances, events/s, time, peak RSS, live heap, CPU-s, fact_usage rows, late
        Pattern row = Pattern.compile(
                "^(\\([abc]\\)) .+? {2,}(\\S+(?: \\(\\d+ \\+ \\d+\\))?) +(\\d+(?: \\+ \\d+)?) +(\\d+)"
                        + " +[\\d,]+ +[\\d.]+ s +([\\d,]+(?: \\+ [\\d,]+)? MiB) +([\\d,]+(?: \\+ [\\d,]+)? MiB) +[\\d.]+ \\(aggregators"
                        + " [\\d.]+\\) +([\\d,]+) +([\\d,]+)$",
                Pattern.MULTILINE);
        Matcher m = row.matcher(stdout);
        List<List<String>> rows = new java.util.ArrayList<>();
        while (m.find()) {
            rows.add(List.of(
                    m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)));
        }
        assertThat(rows).as("the backfill's table in:\n%s", stdout).hasSize(3);
        assertThat(rows.get(0).subList(0, 4)).containsExactly("(a)", "1", "1", "1");
        assertThat(rows.get(1).subList(0, 4)).containsExactly("(b)", "2", "2", "1");
        assertThat(rows.get(2).subList(0, 4)).containsExactly("(c)", "2 (1 + 1)", "1 + 1", "2");
        // Each instance's peak RSS and live heap; the live heap is what is reachable, so less than the peak.
        assertThat(rows.get(2).get(4)).matches("\\d+ \\+ \\d+ MiB");
        assertThat(rows.get(2).get(5)).matches("\\d+ \\+ \\d+ MiB");
        for (List<String> r : rows) {
            assertThat(Long.parseLong(r.get(5).split(" ")[0]))
                    .isPositive()
                    .isLessThan(Long.parseLong(r.get(4).split(" ")[0]));
            assertThat(r.get(7))
                    .as("events dead-lettered as late in backfill %s", r.get(0))
                    .isEqualTo("0");
        }
        assertThat(rawCpuPartitions(dataDir.resolve("backfill-a"))).containsExactly("ada.raw.cpu-0");
        assertThat(rawCpuPartitions(dataDir.resolve("backfill-b"))).containsExactly("ada.raw.cpu-0", "ada.raw.cpu-1");
        // Every configuration's database holds the facts the table counts.
        for (String config : List.of("a", "b", "c")) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
                            + dataDir.resolve("backfill-" + config).resolve("bench.db"));
                    Statement s = c.createStatement()) {
                long facts = count(s, "SELECT COUNT(*) FROM fact_usage");
                assertThat(facts).isGreaterThan(24);
                assertThat(rows.get("abc".indexOf(config)).get(6))
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%,d", facts));
            }
        }
    }

    @Test
    void findsTheSameFiguresInEveryDatabase() {
        assertThat(stdout)
                .containsPattern("figures of \\(b\\), \\(c\\) and phase 2 against \\(a\\) +identical: [\\d,]+"
                        + " fact_usage and [\\d,]+ fact_intensity rows");
        assertThat(stdout).containsPattern("(?m)events dead-lettered as late +0$");
        assertThat(stdout).doesNotContain("FAILED").doesNotContain("WARNING");
    }

    @Test
    void refusesPartitionsBelowOne() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(
                        "bench",
                        "--partitions",
                        "0",
                        "--data-dir",
                        dir.resolve("refused").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--partitions and --threads must be at least 1");
        assertThat(dir.resolve("refused")).doesNotExist();
    }

    /** The partitions of ada.raw.cpu the broker of a (kept) data directory holds. */
    private static List<String> rawCpuPartitions(Path data) throws java.io.IOException {
        try (var logs = Files.list(data.resolve("kafka").resolve("kafka-logs"))) {
            return logs.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ada.raw.cpu-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void leavesNoChildProcessBehind() {
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .toList())
                .as("child processes still alive after the bench")
                .isEmpty();
        assertThat(Files.exists(dataDir.resolve("aggregator.log"))).isTrue();
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        }
    }
}

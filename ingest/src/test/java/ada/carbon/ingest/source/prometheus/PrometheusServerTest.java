package ada.carbon.ingest.source.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.CpuEvent;
import ada.carbon.ingest.source.common.Checkpoint;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.CrashingSink;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.HttpSettings;
import ada.carbon.ingest.source.common.JsonLinesFileSink;
import ada.carbon.ingest.source.testing.JsonLinesFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus source against a real Prometheus server (Debian's {@code prometheus} package, installed
 * by {@code scripts/install-prometheus.sh} when missing), started on a free loopback port over a
 * temporary TSDB that holds known data, written as OpenMetrics and turned into blocks by
 * {@code promtool tsdb create-blocks-from openmetrics}. Blocks are picked up when the server starts;
 * the data lies three days back, well inside the default retention and clear of the head block.
 *
 * <h2>The data</h2>
 * Two hosts × two CPUs × modes idle, user, system, iowait, one sample every 15 s for two hours, starting
 * on a whole hour. Within each 5-minute step every series grows by the same amount every 15 s (it
 * changes from step to step), each CPU's modes adding up to 15 s per 15 s. Host B's counters all reset
 * (a reboot) in the middle of step 9: they start again from zero, so the sample after the reset is
 * exactly one increment. Host A has a gap: no samples strictly between 62 and 78 minutes.
 *
 * <h2>What Prometheus computes and what the test allows</h2>
 * The source evaluates {@code increase(node_cpu_seconds_total{…}[300s])} at each step end {@code t}.
 * {@code increase} takes the samples in the window, adds up their increases (a drop counts as a reset
 * from zero, so the reset adds exactly the post-reset value) and extrapolates towards the window's
 * edges: fully when the first/last sample is within 1.1 sample intervals of the edge, else by half an
 * interval. Here the samples sit on the step boundaries, so:
 * <ul>
 *   <li>a step with all its samples is <b>exact</b> (nothing to extrapolate: with Prometheus 2.x the
 *       window [t-300s, t] includes both boundary samples; with 3.x, whose windows are left-open, the
 *       15 s it extrapolates at the start grow at the same constant rate) — checked to a relative
 *       1e-9, for the busy and the idle seconds, the reset step included;
 *   <li>a step with no samples, or a single one, inside host A's gap has <b>no event</b> (a gap, not a
 *       zero), while host B's steps are all there;
 *   <li>the two steps the gap cuts hold 120 s of samples: Prometheus extrapolates their increase by half
 *       a sample interval (7.5 s) towards the gap, so the test allows anything from the raw increase
 *       of those samples to that increase scaled to the whole step (×300/120), and checks it is above
 *       the raw increase by no more than ×(120+15)/120, a full sample interval.
 * </ul>
 * The CPU time of host A during the gap itself is in no event: no sample says when it was spent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusServerTest {
    private static final Duration STEP = Duration.ofMinutes(5);
    private static final int SAMPLE_SECONDS = 15;
    private static final int SAMPLES = 2 * 3600 / SAMPLE_SECONDS; // samples 0..480
    private static final int PER_STEP = 300 / SAMPLE_SECONDS;
    private static final String[] MODES = {"idle", "user", "system", "iowait"};
    private static final int RESET_HOST = 1;
    private static final int RESET_SAMPLE = 9 * PER_STEP + 7;
    private static final int GAP_HOST = 0;
    private static final int GAP_FIRST_MISSING = 62 * 4 + 1; // 62:15
    private static final int GAP_LAST_MISSING = 78 * 4 - 1; // 77:45

    record Host(String instance, String project, String machine) {}

    static final Host[] HOSTS = {
        new Host("host-a:9100", "IDAaaS", "Muon"), new Host("host-b.example.org:9100", "CDAaaS", "SANS")
    };

    @TempDir
    static Path dir;

    Instant base;
    URI url;
    Process prometheus;

    /** The increase of one series in the 15 s before sample {@code i} (i ≥ 1), a multiple of 1/16 s. */
    static double increment(int host, int cpu, int mode, int i) {
        int step = (i - 1) / PER_STEP;
        int a = (7 * step + 13 * host + 5 * cpu) % 20; // user, sixteenths of a second
        int b = (3 * step + 11 * host + 7 * cpu) % 12; // system
        int c = (step + host + cpu) % 5; // iowait
        double user = a / 16.0;
        double system = b / 16.0;
        double iowait = c / 16.0;
        return switch (mode) {
            case 0 -> SAMPLE_SECONDS - user - system - iowait;
            case 1 -> user;
            case 2 -> system;
            default -> iowait;
        };
    }

    static boolean present(int host, int i) {
        return !(host == GAP_HOST && i >= GAP_FIRST_MISSING && i <= GAP_LAST_MISSING);
    }

    @BeforeAll
    void startPrometheus() throws Exception {
        ensureInstalled();
        base = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        Path om = dir.resolve("cpu.om");
        try (Writer w = Files.newBufferedWriter(om, StandardCharsets.UTF_8)) {
            w.write("# HELP node_cpu_seconds Seconds the CPUs spent in each mode.\n");
            w.write("# TYPE node_cpu_seconds counter\n");
            for (int h = 0; h < HOSTS.length; h++) {
                for (int cpu = 0; cpu < 2; cpu++) {
                    for (int m = 0; m < MODES.length; m++) {
                        String labels =
                                "{cpu=\"" + cpu + "\",mode=\"" + MODES[m] + "\",instance=\"" + HOSTS[h].instance()
                                        + "\",cloud_project_name=\"" + HOSTS[h].project() + "\",machine_name=\""
                                        + HOSTS[h].machine() + "\",job=\"node\"}";
                        double value = 100_000 + 1000 * (4 * h + 2 * cpu + m);
                        for (int i = 0; i <= SAMPLES; i++) {
                            if (i > 0) {
                                value = h == RESET_HOST && i == RESET_SAMPLE
                                        ? increment(h, cpu, m, i)
                                        : value + increment(h, cpu, m, i);
                            }
                            if (present(h, i)) {
                                w.write("node_cpu_seconds_total" + labels + " " + value + " "
                                        + (base.getEpochSecond() + (long) i * SAMPLE_SECONDS) + "\n");
                            }
                        }
                    }
                }
            }
            w.write("# EOF\n");
        }
        Path data = Files.createDirectories(dir.resolve("tsdb"));
        run(
                dir.resolve("promtool.log"),
                "promtool",
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                om.toString(),
                data.toString());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        url = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready(url)) {
            if (!prometheus.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus did not become ready:\n" + tail(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    private static void ensureInstalled() throws Exception {
        if (onPath("prometheus") && onPath("promtool")) {
            return;
        }
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/install-prometheus.sh"))) {
                script = d.resolve("scripts/install-prometheus.sh");
                break;
            }
        }
        assertThat(script)
                .as("scripts/install-prometheus.sh above " + Path.of("").toAbsolutePath())
                .isNotNull();
        Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES))
                .as("install-prometheus.sh finished")
                .isTrue();
        assertThat(p.exitValue()).as("install-prometheus.sh exit code").isZero();
        assertThat(onPath("prometheus") && onPath("promtool"))
                .as("prometheus and promtool on PATH")
                .isTrue();
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue())
                .as(String.join(" ", command) + ":\n" + tail(log))
                .isZero();
    }

    private static boolean ready(URI url) {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) url.resolve("/-/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // --- expectations, computed from the generated samples alone ---

    /** The raw increase of a host's busy or idle seconds over the samples present in step k's window. */
    static double raw(int host, int k, boolean busy, boolean iowaitIdle) {
        double sum = 0;
        int first = k * PER_STEP;
        for (int i = first + 1; i <= first + PER_STEP; i++) {
            if (!present(host, i) || !present(host, i - 1)) {
                continue;
            }
            for (int cpu = 0; cpu < 2; cpu++) {
                for (int m = 0; m < MODES.length; m++) {
                    boolean idleMode = m == 0 || (iowaitIdle && m == 3);
                    if (idleMode != busy) {
                        sum += increment(host, cpu, m, i);
                    }
                }
            }
        }
        return sum;
    }

    /** Samples of a host inside step k's closed window [start, end]. */
    static int samplesIn(int host, int k) {
        int n = 0;
        for (int i = k * PER_STEP; i <= (k + 1) * PER_STEP; i++) {
            if (present(host, i)) {
                n++;
            }
        }
        return n;
    }

    private PrometheusSettings settings() {
        return PrometheusSettings.defaults(url).withChunk(Duration.ofMinutes(30));
    }

    private List<CpuEvent> backfill(
            PrometheusSettings s, Path out, Checkpoint cp, Optional<ObjectNode> resume, int crashAfter)
            throws IOException {
        HttpFetcher http = new HttpFetcher(HttpSettings.defaults().withRequestTimeout(Duration.ofSeconds(20)));
        try (JsonLinesFileSink file = JsonLinesFileSink.open(out, Committer.outBytes(resume))) {
            EventSink sink = crashAfter < 0 ? file : new CrashingSink(file, crashAfter);
            PrometheusSource source =
                    new PrometheusSource(s, new PrometheusClient(http, url), sink, new Committer(sink, cp), p -> {});
            source.backfill(base, base.plus(Duration.ofHours(2)), resume);
            // The gap is reported: host A has no samples for two steps (their events are missing, not zero).
            assertThat(source.anomalies().counts()).isEqualTo(Map.of("gap", 2L));
        }
        return JsonLinesFiles.read(out, CpuEvent.class);
    }

    @Test
    void emitsTheKnownCpuSecondsPerInstanceAndStepThroughAResetAndAGap() throws Exception {
        PrometheusSettings s = settings();
        Checkpoint cp = new Checkpoint(
                dir.resolve("a.checkpoint.json"),
                PrometheusSource.NAME,
                PrometheusSource.backfillJob(s, base, base.plus(Duration.ofHours(2))));
        List<CpuEvent> events = backfill(s, dir.resolve("a.jsonl"), cp, Optional.empty(), -1);
        check(events, false);
        assertThat(cp.resumable().orElseThrow().get("done_until").asText())
                .isEqualTo(ada.carbon.schemas.Times.format(base.plus(Duration.ofHours(2))));
    }

    @Test
    void iowaitCanCountAsIdle() throws Exception {
        PrometheusSettings s = settings().withIowaitIsIdle(true);
        Checkpoint cp = new Checkpoint(
                dir.resolve("b.checkpoint.json"),
                PrometheusSource.NAME,
                PrometheusSource.backfillJob(s, base, base.plus(Duration.ofHours(2))));
        check(backfill(s, dir.resolve("b.jsonl"), cp, Optional.empty(), -1), true);
    }

    @Test
    void anInterruptedBackfillResumesWithoutGapsOrRepeats() throws Exception {
        PrometheusSettings s = settings();
        Checkpoint cp = new Checkpoint(
                dir.resolve("c.checkpoint.json"),
                PrometheusSource.NAME,
                PrometheusSource.backfillJob(s, base, base.plus(Duration.ofHours(2))));
        Path out = dir.resolve("c.jsonl");
        // Crash in the third chunk of 30 minutes, after its first 3 events (the first two have 6 steps × 2 hosts).
        assertThatThrownBy(() -> backfill(s, out, cp, Optional.empty(), 2 * 12 + 3))
                .hasMessageContaining("simulated crash");
        Optional<ObjectNode> resume = cp.resumable();
        assertThat(resume.orElseThrow().get("done_until").asText())
                .isEqualTo(ada.carbon.schemas.Times.format(base.plus(Duration.ofHours(1))));
        check(backfill(s, out, cp, resume, -1), false);
    }

    private void check(List<CpuEvent> events, boolean iowaitIdle) {
        Map<String, CpuEvent> byKey = new TreeMap<>();
        for (CpuEvent e : events) {
            CpuEvent earlier = byKey.put(e.getInstance() + " " + e.getTs(), e);
            assertThat(earlier).as("a repeated event " + e).isNull();
        }
        TreeSet<String> expectedKeys = new TreeSet<>();
        int exact = 0;
        int cut = 0;
        for (int h = 0; h < HOSTS.length; h++) {
            for (int k = 0; k < SAMPLES / PER_STEP; k++) {
                Instant ts = base.plus(STEP.multipliedBy(k));
                int n = samplesIn(h, k);
                String key = HOSTS[h].instance() + " " + ts;
                CpuEvent e = byKey.get(key);
                if (n < 2) {
                    assertThat(e).as("no event in the gap: " + key).isNull();
                    continue;
                }
                expectedKeys.add(key);
                assertThat(e).as("event " + key).isNotNull();
                assertThat(e.getCloudProjectName()).isEqualTo(HOSTS[h].project());
                assertThat(e.getMachineName()).isEqualTo(HOSTS[h].machine());
                assertThat(e.getPeriodSeconds()).isEqualTo(300);
                double busy = raw(h, k, true, iowaitIdle);
                double idle = raw(h, k, false, iowaitIdle);
                if (n == PER_STEP + 1) {
                    assertThat(e.getBusyCpuSeconds()).as("busy " + key).isCloseTo(busy, within(busy * 1e-9));
                    assertThat(e.getIdleCpuSeconds()).as("idle " + key).isCloseTo(idle, within(idle * 1e-9));
                    exact++;
                } else {
                    double sampled = (n - 1) * SAMPLE_SECONDS;
                    for (double[] got : new double[][] {{e.getBusyCpuSeconds(), busy}, {e.getIdleCpuSeconds(), idle}}) {
                        assertThat(got[0])
                                .as("a step the gap cuts, " + key)
                                .isBetween(got[1] * (1 - 1e-9), got[1] * 300 / sampled);
                        assertThat(got[0]).isLessThanOrEqualTo(got[1] * (sampled + SAMPLE_SECONDS) / sampled);
                    }
                    cut++;
                }
            }
        }
        assertThat(byKey.keySet()).containsExactlyElementsOf(expectedKeys);
        assertThat(exact).isEqualTo(24 + 24 - 4); // B: all 24 steps; A: 24 less 2 in the gap and 2 cut by it
        assertThat(cut).isEqualTo(2);
        // The reset step of host B is among the exact ones, and plausible: two CPUs for 300 s.
        CpuEvent reset = byKey.get(HOSTS[RESET_HOST].instance() + " " + base.plus(STEP.multipliedBy(9)));
        assertThat(reset.getBusyCpuSeconds() + reset.getIdleCpuSeconds()).isCloseTo(600.0, within(1e-6));
    }
}

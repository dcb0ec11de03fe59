package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4: a {@code load} killed with SIGKILL at random points and run again finishes with the same
 * database as an uninterrupted run: the broker restarts on its data directory after an unclean stop,
 * the aggregator is exactly once, the sink's offsets are in the same SQLite transaction as its rows, and
 * events published twice replace themselves by identity.
 */
class CrashRecoveryTest {
    private static final long SEED = 4242L;

    @TempDir
    Path tmp;

    /** Killed on {@code partitions} partitions, compared with an uninterrupted run on the other count. */
    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4})
    void aLoadKilledAtRandomPointsAndRerunEndsWithTheDatabaseOfAnUninterruptedRun(int partitions) throws Exception {
        Path events = simulatedEvents(tmp.resolve("events.jsonl.gz"));

        E2e.CliRun reference = E2e.cli(
                "load",
                "--db",
                tmp.resolve("reference.db"),
                "--data-dir",
                tmp.resolve("reference-state"),
                "--partitions",
                partitions == 1 ? 4 : 1,
                events);
        assertThat(reference.exitCode()).as(reference.stderr()).isZero();

        Path db = tmp.resolve("crashed.db");
        Path state = tmp.resolve("crashed-state");
        Random random = new Random(SEED);
        List<String> killedAfter = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Process load = loadProcess(db, state, partitions, events, tmp.resolve("run-" + kill + ".log"));
            long after = 2_000 + random.nextInt((int) Math.max(3_000, reference.millis()));
            if (!load.waitFor(after, TimeUnit.MILLISECONDS)) {
                load.destroyForcibly(); // SIGKILL: no shutdown hook runs
                load.waitFor(30, TimeUnit.SECONDS);
                killedAfter.add(after + " ms");
            } else {
                killedAfter.add("finished before " + after + " ms");
            }
        }
        Process last = loadProcess(db, state, partitions, events, tmp.resolve("run-last.log"));
        boolean finished = last.waitFor(10, TimeUnit.MINUTES);
        keepLogs();
        assertThat(finished)
                .as("the last run finishes; logs in target/crash-recovery")
                .isTrue();
        assertThat(last.exitValue())
                .as("exit of the last run; log:\n%s", tail(tmp.resolve("run-last.log")))
                .isZero();
        System.out.printf("[e2e] crash recovery: kills %s%n", killedAfter);

        Snapshots.assertSame(
                "killed " + killedAfter + " and rerun", Snapshots.of(tmp.resolve("reference.db")), Snapshots.of(db));
    }

    /** The runs' logs and the broker's, where a person can read them after the temporary folder is gone. */
    private void keepLogs() throws IOException {
        Path keep = Path.of("target", "crash-recovery");
        Files.createDirectories(keep);
        try (var logs = Files.list(tmp)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path broker = tmp.resolve("crashed-state").resolve("kafka").resolve("broker.log");
        if (Files.exists(broker)) {
            Files.copy(broker, keep.resolve("broker.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** A separate JVM, so that it can be killed like a real process. */
    private static Process loadProcess(Path db, Path state, int partitions, Path events, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-Xmx1g",
                        "-Dlogback.configurationFile=logback.xml",
                        "-DADA_CARBON_LOG_LEVEL=INFO",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "ada.carbon.app.Main",
                        "load",
                        "--db",
                        db.toString(),
                        "--data-dir",
                        state.toString(),
                        "--partitions",
                        Integer.toString(partitions),
                        events.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** About 70,000 events of a simulated platform (60 hosts, 4 days; enough that kills land mid-run), as one gzipped JSON Lines file. */
    private static Path simulatedEvents(Path file) throws IOException {
        var simulator = new PlatformSimulator(
                SimulatorConfig.defaults().withHosts(60).withDays(4).withSeed(SEED));
        try (Writer out = new java.io.OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            for (var event : simulator) {
                out.write(JsonEvents.toJson(event));
                out.write('\n');
            }
        }
        return file;
    }
}

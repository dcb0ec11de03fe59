package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import ada.carbon.stack.broker.ChildJvm;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real source process ({@code ada-carbon ingest …} in a JVM of its own, as a deployment runs it)
 * against a local server that never answers, or that sends more than the source can take: SIGTERM
 * stops it while it waits, and an answer too large for its limit or its heap ends it, with a message
 * that gives no secret away.
 */
class SourceProcessTest {
    /** Far below the source's --timeout (10 minutes) and the 30 s the stop used to wait, far above a JVM's exit. */
    private static final long STOP_BOUND_SECONDS = 15;

    private static final long START_BOUND_SECONDS = 120;

    @TempDir
    Path dir;

    private HttpServer server;
    /** What the server does with every request: hang until the test ends, or stream this many bytes. */
    private volatile long streamBytes;

    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicLong streamed = new AtomicLong();
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "never-answering-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopAll() {
        children.forEach(Process::destroyForcibly);
        release.countDown();
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            asked.countDown();
            if (streamBytes == 0) {
                release.await(10, TimeUnit.MINUTES); // never answers while the test runs
                ex.sendResponseHeaders(503, -1);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            chunk[0] = '[';
            try (OutputStream out = ex.getResponseBody()) {
                for (long sent = 0; sent < streamBytes; sent += chunk.length) {
                    out.write(chunk);
                    streamed.addAndGet(chunk.length);
                    chunk[0] = ' ';
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the source cut the answer off, or died
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Process start(String heap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ChildJvm.javaCommand(),
                heap,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                ChildJvm.classpath(),
                Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("source.log").toFile())
                .start();
        p.getOutputStream().close();
        children.add(p);
        return p;
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("source.log"));
    }

    private void awaitRequest(Process p) throws Exception {
        assertThat(asked.await(START_BOUND_SECONDS, TimeUnit.SECONDS))
                .as("the source asked; its output:\n%s", log())
                .isTrue();
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void sigtermStopsABackfillWaitingOnAServerThatNeverAnswers() throws Exception {
        Process p = start(
                "-Xmx256m",
                "ingest",
                "prometheus",
                "--url",
                url(),
                "--from",
                "2025-09-01",
                "--to",
                "2025-09-02",
                "--timeout",
                "10m",
                "--out",
                dir.resolve("cpu.jsonl").toString());
        awaitRequest(p);

        p.destroy(); // SIGTERM

        assertThat(p.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS))
                .as("stopped; its output:\n%s", log())
                .isTrue();
        assertThat(log())
                .contains("ada-carbon ingest prometheus: stopped (SIGTERM or Ctrl-C) during: POST " + url()
                        + "/api/v1/query_range: stopped (the source is shutting down)");
    }

    @Test
    void sigtermStopsAFollowerWaitingOnAServerThatNeverAnswers() throws Exception {
        Process p = start(
                "-Xmx256m",
                "ingest",
                "carbon-intensity",
                "--url",
                url(),
                "--follow",
                "--timeout",
                "10m",
                "--out",
                dir.resolve("intensity.jsonl").toString());
        awaitRequest(p);

        p.destroy();

        assertThat(p.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS))
                .as("stopped; its output:\n%s", log())
                .isTrue();
        assertThat(log()).contains("intensity: stopped following");
    }

    @Test
    void anAnswerOverMaxBodyFailsTheSourceAndNamesItMasked() throws Exception {
        streamBytes = 50L << 20;
        Process p = start(
                "-Xmx256m",
                "ingest",
                "carbon-intensity",
                "--url",
                "http://ada:pa55-W0RD@127.0.0.1:" + server.getAddress().getPort(),
                "--from",
                "2025-09-01",
                "--to",
                "2025-09-02",
                "--max-body",
                "1MB",
                "--out",
                dir.resolve("intensity.jsonl").toString());

        assertThat(p.waitFor(START_BOUND_SECONDS, TimeUnit.SECONDS))
                .as("ended; its output:\n%s", log())
                .isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        String masked = "http://***@127.0.0.1:" + server.getAddress().getPort()
                + "/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z";
        assertThat(log())
                .contains("ada-carbon ingest intensity: FAILED: GET " + masked + ": the answer from " + masked
                        + " exceeds --max-body 1048576 bytes")
                .doesNotContain("pa55-W0RD");
        assertThat(streamed.get()).isLessThan(16L << 20);
    }

    @Test
    void aFollowerWhoseAnswerOutgrowsItsHeapEndsRatherThanLivingOn() throws Exception {
        streamBytes = 1L << 30;
        Process p = start(
                "-Xmx64m",
                "ingest",
                "carbon-intensity",
                "--url",
                url(),
                "--follow",
                "--max-body",
                "1GB",
                "--retries",
                "0",
                "--timeout",
                "10m",
                "--out",
                dir.resolve("intensity.jsonl").toString());
        awaitRequest(p);
        // It ends by itself once its heap is full; if it does not, SIGTERM must still end it.
        boolean ended = p.waitFor(START_BOUND_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroy();
        }

        assertThat(ended || p.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS))
                .as("ended; its output:\n%s", log())
                .isTrue();
        assertThat(log()).contains("FAILED");
        assertThat(streamed.get()).isLessThan(1L << 30);
    }
}

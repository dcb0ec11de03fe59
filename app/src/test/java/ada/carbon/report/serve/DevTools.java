package ada.carbon.report.serve;

import ada.carbon.report.Chromium;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium kept open and driven over its DevTools protocol (JSON over a WebSocket, the JDK's own client),
 * for a page that must stay open while the test changes the database: navigate, evaluate in the page, wait for a
 * condition, take a screenshot, and see every request the page made and every console message and policy
 * violation it caused. The --dump-dom runs of {@link Chromium} cannot watch a page over time.
 */
final class DevTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    private DevTools(Process process, Path profile, String url) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(url), new Listener())
                .join();
    }

    static DevTools launch() throws IOException, InterruptedException {
        Chromium.ensureInstalled();
        Path profile = Files.createTempDirectory("ada-carbon-devtools-");
        Process p = new ProcessBuilder(
                        Chromium.BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions",
                        "--hide-scrollbars",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread drain = new Thread(
                () -> {
                    try {
                        for (String line; (line = err.readLine()) != null; ) {
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) {
                                url.complete(m.group(1));
                            }
                        }
                    } catch (IOException ignored) {
                        // the browser is gone
                    }
                    url.completeExceptionally(new AssertionError("chromium exited without a DevTools address"));
                },
                "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            return new DevTools(p, profile, url.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium's DevTools did not start", e);
        }
    }

    /** A tab, attached, with its page, runtime, network and log events recorded. */
    Tab open(String url, int width, int height) throws Exception {
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId")
                .asText();
        String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId")
                .asText();
        Tab tab = new Tab(session);
        for (String domain : List.of("Page", "Runtime", "Network", "Log")) {
            send(session, domain + ".enable", Map.of());
        }
        send(
                session,
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        send(session, "Page.navigate", Map.of("url", url));
        return tab;
    }

    final class Tab {
        private final String session;

        private Tab(String session) {
            this.session = session;
        }

        /** The value of a JavaScript expression in the page (promises awaited). */
        JsonNode eval(String expression) throws Exception {
            JsonNode r = send(
                    session,
                    "Runtime.evaluate",
                    Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new AssertionError("in the page: " + expression + ": " + r.get("exceptionDetails"));
            }
            return r.get("result").path("value");
        }

        /** Waits until the expression is true in the page; fails naming it and what the page said. */
        void await(String expression, Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                // While the page navigates, its document may not be there yet: that is "not yet".
                if (eval("(() => { try { return !!(" + expression + "); } catch (e) { return false; } })()")
                        .asBoolean()) {
                    return;
                }
                Thread.sleep(100);
            }
            List<String> console = console();
            throw new AssertionError("not true within " + timeout + ": " + expression + "; console ("
                    + console.size() + " messages, the first few): " + console.subList(0, Math.min(4, console.size()))
                    + "; status: "
                    + eval("document.getElementById('status') && document.getElementById('status').textContent"));
        }

        void screenshot(Path png) throws Exception {
            JsonNode r =
                    send(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
        }

        /** Every URL the page asked for. */
        List<String> requests() {
            return mine("Network.requestWillBeSent").stream()
                    .map(e -> e.get("params").get("request").get("url").asText())
                    .toList();
        }

        /** Console calls, uncaught exceptions and log entries (a policy violation is one) of the page. */
        List<String> console() {
            List<String> out = new ArrayList<>();
            for (JsonNode e : mine("Runtime.consoleAPICalled")) {
                out.add("console." + e.get("params").get("type").asText() + ": "
                        + e.get("params").get("args"));
            }
            for (JsonNode e : mine("Runtime.exceptionThrown")) {
                out.add("exception: " + e.get("params").get("exceptionDetails"));
            }
            for (JsonNode e : mine("Log.entryAdded")) {
                JsonNode entry = e.get("params").get("entry");
                out.add("log " + entry.get("level").asText() + " "
                        + entry.get("source").asText() + ": "
                        + entry.get("text").asText());
            }
            return out;
        }

        private List<JsonNode> mine(String method) {
            synchronized (events) {
                return events.stream()
                        .filter(e -> method.equals(e.path("method").asText())
                                && session.equals(e.path("sessionId").asText()))
                        .toList();
            }
        }
    }

    private JsonNode send(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(message), true).join();
        }
        JsonNode r = answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f =
                                pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        synchronized (events) {
                            events.add(m);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("DevTools sent what is not JSON", e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is stopped below either way
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Stream<Path> all = Files.walk(profile)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException | java.io.UncheckedIOException e) {
                Thread.sleep(200); // a file the browser was still writing as it stopped: walk again
            }
        }
    }
}

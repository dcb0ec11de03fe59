package ada.carbon.ingest.source.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on a free loopback port (the JDK's {@link HttpServer}), answering with a
 * programmable handler and recording every request, for testing the sources' clients over real HTTP.
 */
public final class LocalHttpServer implements AutoCloseable {

    /** A request as received. */
    public record Request(
            String method,
            URI uri,
            String path,
            Map<String, String> params,
            String body,
            Map<String, List<String>> headers) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /**
     * An answer: status, JSON body, extra headers, and how long to wait before answering; or, for a
     * {@link #streamed} answer, that many bytes of a JSON document that never ends, sent without a
     * length, with {@code pause} between two chunks.
     */
    public record Reply(
            int status, String body, Map<String, String> headers, Duration delay, long streamedBytes, Duration pause) {
        public static Reply json(String body) {
            return new Reply(200, body, Map.of(), Duration.ZERO, 0, Duration.ZERO);
        }

        public static Reply status(int status, String body) {
            return new Reply(status, body, Map.of(), Duration.ZERO, 0, Duration.ZERO);
        }

        /** {@code bytes} bytes in chunks of 64 KiB, as fast as the client takes them. */
        public static Reply streamed(long bytes) {
            return new Reply(200, null, Map.of(), Duration.ZERO, bytes, Duration.ZERO);
        }

        /** {@code bytes} bytes, one at a time, {@code pause} apart. */
        public static Reply trickled(long bytes, Duration pause) {
            return new Reply(200, null, Map.of(), Duration.ZERO, bytes, pause);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delay, streamedBytes, pause);
        }

        public Reply after(Duration d) {
            return new Reply(status, body, headers, d, streamedBytes, pause);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(Request r) throws Exception;
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong streamed = new AtomicLong();
    private volatile Handler handler;

    public LocalHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    public void handler(Handler h) {
        this.handler = h;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI uri(String path) {
        return uri().resolve(path);
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** The bytes of {@link Reply#streamed} answers the clients took (the socket accepted) so far. */
    public long streamedBytes() {
        return streamed.get();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = new LinkedHashMap<>();
            parse(ex.getRequestURI().getRawQuery(), params);
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
                parse(body, params);
            }
            Request r = new Request(
                    ex.getRequestMethod(),
                    ex.getRequestURI(),
                    ex.getRequestURI().getPath(),
                    params,
                    body,
                    Map.copyOf(ex.getRequestHeaders()));
            requests.add(r);
            Reply reply;
            try {
                reply = handler.handle(r);
            } catch (Exception e) {
                reply = Reply.status(500, "{\"error\":\"" + e + "\"}");
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (reply.streamedBytes() > 0) {
                stream(ex, reply);
                return;
            }
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The client gave up (a timeout under test): nothing to answer.
        }
    }

    private void stream(HttpExchange ex, Reply reply) throws IOException {
        ex.sendResponseHeaders(200, 0); // chunked: the client cannot tell the length in advance
        byte[] start = "{\"data\":[".getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[reply.pause().isZero() ? 64 * 1024 : 1];
        try (OutputStream out = ex.getResponseBody()) {
            for (long sent = 0; sent < reply.streamedBytes(); ) {
                int n = (int) Math.min(chunk.length, reply.streamedBytes() - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = sent + i < start.length ? start[(int) (sent + i)] : (byte) ' ';
                }
                out.write(chunk, 0, n);
                out.flush();
                sent += n;
                streamed.addAndGet(n);
                if (!reply.pause().isZero()) {
                    Thread.sleep(reply.pause().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void parse(String query, Map<String, String> into) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(k, v);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package ada.carbon.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A service's HTTP endpoint (the JDK's own server): {@code GET /health}, 200 with a small JSON body
 * while the service is up and 503 when it is not, and {@code GET /metrics}, the registry in Prometheus'
 * text format. It listens on the loopback interface unless told otherwise: the endpoints have no
 * authentication, so reaching them from elsewhere is a choice (a container's {@code --metrics-bind 0.0.0.0},
 * published on the host's loopback only).
 */
public final class MetricsServer implements AutoCloseable {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Where the endpoints listen unless {@code --metrics-bind} says otherwise: this machine only. */
    public static final InetAddress DEFAULT_BIND = InetAddress.getLoopbackAddress();

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port, see {@link #port()}).
     *
     * @param service the service's name, as /health reports it
     */
    public static MetricsServer start(
            String service, InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/metrics", exchange -> {
            if (!allowed(exchange)) {
                return;
            }
            respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        });
        server.createContext("/health", exchange -> {
            if (!allowed(exchange)) {
                return;
            }
            Health h;
            try {
                h = health.get();
            } catch (RuntimeException e) {
                h = Health.down("health check failed: " + e.getMessage());
            }
            respond(exchange, h.up() ? 200 : 503, "application/json", h.toJson(service));
        });
        server.createContext(
                "/",
                exchange ->
                        respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /health or /metrics\n"));
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ada-carbon-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address and port it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}

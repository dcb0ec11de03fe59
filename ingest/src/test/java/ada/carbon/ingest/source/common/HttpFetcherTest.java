package ada.carbon.ingest.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.ingest.source.testing.LocalHttpServer;
import ada.carbon.ingest.source.testing.LocalHttpServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the sources' HTTP client refuses to do, against real local servers: carry the user's headers to
 * another origin, hold an answer longer than {@code --max-body}, wait past its timeout for a body that
 * trickles, or go on once stopped.
 */
class HttpFetcherTest {
    private static final String TOKEN = "Bearer s3cr3t-t0ken";

    private static HttpFetcher fetcher(HttpSettings settings) {
        return new HttpFetcher(settings.withHeaders(Map.of("Authorization", TOKEN)), d -> {});
    }

    private static HttpSettings settings() {
        return HttpSettings.defaults()
                .withRequestTimeout(Duration.ofSeconds(10))
                .withRetries(2);
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndTheOtherServerSeesNothing() throws Exception {
        try (LocalHttpServer elsewhere = new LocalHttpServer(r -> Reply.json("{\"stolen\":true}"));
                LocalHttpServer configured = new LocalHttpServer(r -> Reply.status(
                                r.method().equals("POST") ? 307 : 302, "")
                        .withHeader(
                                "Location",
                                elsewhere.uri("/collect?from=" + r.path()).toString()))) {
            HttpFetcher http = fetcher(settings());

            assertThatThrownBy(() -> http.get(configured.uri("/workspaces")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("GET " + configured.uri("/workspaces") + ": redirected (HTTP 302) to "
                            + elsewhere.uri("/collect?from=/workspaces"))
                    .hasMessageContaining("on another origin: " + elsewhere.uri() + " rather than " + configured.uri())
                    .satisfies(
                            e -> assertThat(((SourceException) e).isTransient()).isFalse());
            assertThatThrownBy(() -> http.postForm(configured.uri("/api/v1/query_range"), Map.of("query", "up")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("redirected (HTTP 307)");

            assertThat(elsewhere.requests()).isEmpty(); // neither the header nor anything else
            assertThat(configured.requests())
                    .hasSize(2) // refused at once, not retried
                    .allSatisfy(
                            r -> assertThat(r.headers().get("Authorization")).containsExactly(TOKEN));
        }
    }

    @Test
    void redirectsWithinTheOriginAreFollowedWithTheHeaders() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(r -> Reply.status(500, ""))) {
            server.handler(r -> switch (r.path()) {
                case "/moved" -> Reply.status(301, "").withHeader("Location", "/api/");
                case "/api/" ->
                    Reply.status(302, "")
                            .withHeader("Location", server.uri("/api/v2").toString());
                case "/old/query_range" -> Reply.status(308, "").withHeader("Location", "/new/query_range");
                default ->
                    Reply.json("{\"path\":\"" + r.path() + "\",\"method\":\"" + r.method() + "\",\"query\":\""
                            + r.param("query") + "\"}");
            });
            HttpFetcher http = fetcher(settings());

            HttpFetcher.Response r = http.get(server.uri("/moved"));
            assertThat(r.text()).isEqualTo("{\"path\":\"/api/v2\",\"method\":\"GET\",\"query\":\"null\"}");
            assertThat(r.uri()).isEqualTo(server.uri("/api/v2"));
            // 308 keeps the method and the form, as Prometheus' query needs
            assertThat(http.postForm(server.uri("/old/query_range"), Map.of("query", "up"))
                            .text())
                    .isEqualTo("{\"path\":\"/new/query_range\",\"method\":\"POST\",\"query\":\"up\"}");
            assertThat(server.requests())
                    .extracting(LocalHttpServer.Request::path)
                    .containsExactly("/moved", "/api/", "/api/v2", "/old/query_range", "/new/query_range");
            assertThat(server.requests())
                    .allSatisfy(
                            q -> assertThat(q.headers().get("Authorization")).containsExactly(TOKEN));
        }
    }

    @Test
    void aRedirectLoopEnds() throws Exception {
        try (LocalHttpServer server =
                new LocalHttpServer(r -> Reply.status(302, "").withHeader("Location", "/again"))) {
            assertThatThrownBy(() -> fetcher(settings()).get(server.uri("/start")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("more than 5 redirects");
            assertThat(server.requests()).hasSize(HttpFetcher.MAX_REDIRECTS + 1);
        }
    }

    @Test
    void anAnswerLongerThanMaxBodyFailsAndIsNotReadFurther() throws Exception {
        long cap = 1L << 20;
        long sent = 50L << 20;
        try (LocalHttpServer server = new LocalHttpServer(r -> r.path().equals("/declared")
                ? Reply.json(" ".repeat((int) cap) + "{}") // says its length: refused before a byte is read
                : Reply.streamed(sent))) {
            HttpFetcher http = fetcher(settings().withMaxBodyBytes(cap));

            assertThatThrownBy(() -> http.get(server.uri("/streamed?token=abc123")))
                    .isInstanceOf(SourceException.class)
                    .hasMessage("GET " + server.uri("/streamed?token=***") + ": the answer from "
                            + server.uri("/streamed?token=***") + " exceeds --max-body 1048576 bytes; it was not read"
                            + " further (ask for less at a time, e.g. a shorter --chunk or smaller pages, or raise"
                            + " --max-body)")
                    .satisfies(
                            e -> assertThat(((SourceException) e).isTransient()).isFalse());
            // The download was cut off: the server got rid of the cap and what the sockets between hold
            // (some 4 MiB here), far from the 50 MiB it meant to send.
            assertThat(server.streamedBytes()).isLessThan(16 * cap);

            assertThatThrownBy(() -> http.get(server.uri("/declared")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("exceeds --max-body 1048576 bytes");
            assertThat(server.requests()).hasSize(2); // neither retried
            // and exactly the cap is fine
            assertThat(fetcher(settings().withMaxBodyBytes(cap + 2))
                            .get(server.uri("/declared"))
                            .body())
                    .hasSize((int) cap + 2);
        }
    }

    @Test
    void theTimeoutCoversTheWholeBody() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(r -> Reply.trickled(200, Duration.ofMillis(50)))) {
            HttpFetcher http = fetcher(
                    settings().withRequestTimeout(Duration.ofMillis(500)).withRetries(0));
            assertThatThrownBy(() -> http.get(server.uri("/slow")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("no whole answer within 500 ms")
                    .satisfies(
                            e -> assertThat(((SourceException) e).isTransient()).isTrue());
        }
    }

    @Test
    void stopAbandonsTheRequestInFlightAndTheWaitForARetry() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(r ->
                r.path().equals("/hangs") ? Reply.json("{}").after(Duration.ofMinutes(2)) : Reply.status(503, "{}"))) {
            HttpFetcher hanging = new HttpFetcher(settings().withRequestTimeout(Duration.ofMinutes(5)));
            CompletableFuture<HttpFetcher.Response> inFlight =
                    CompletableFuture.supplyAsync(() -> hanging.get(server.uri("/hangs")));
            awaitRequests(server, 1);
            hanging.stop();
            assertThatThrownBy(() -> inFlight.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SourceException.class)
                    .hasMessage("GET " + server.uri("/hangs") + ": stopped (the source is shutting down)");

            HttpFetcher retrying =
                    new HttpFetcher(settings().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1)));
            CompletableFuture<HttpFetcher.Response> waiting =
                    CompletableFuture.supplyAsync(() -> retrying.get(server.uri("/unavailable")));
            awaitRequests(server, 2);
            retrying.stop();
            assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("stopped");
            assertThat(server.requests()).hasSize(2); // no retry after the stop
            assertThatThrownBy(() -> retrying.get(server.uri("/later"))).hasMessageContaining("stopped");
        }
    }

    private static void awaitRequests(LocalHttpServer server, int n) throws InterruptedException {
        for (int i = 0; i < 3000 && server.requests().size() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(server.requests()).hasSize(n);
    }

    @Test
    void settingsPrintHeaderNamesNotTheirValues() {
        assertThat(HttpSettings.defaults()
                        .withHeaders(Map.of("Authorization", TOKEN))
                        .toString())
                .contains("headers=[Authorization]")
                .doesNotContain("s3cr3t");
    }

    @Test
    void originsCompareSchemeHostAndPort() {
        List<String> same = List.of("http://Reg.example:80/a", "http://reg.example/b?x=1", "http://u:p@reg.example/c");
        for (String s : same) {
            assertThat(Urls.sameOrigin(java.net.URI.create("http://reg.example/"), java.net.URI.create(s)))
                    .as(s)
                    .isTrue();
        }
        List<String> other = List.of(
                "https://reg.example/",
                "http://reg.example:8080/",
                "http://evil.example/",
                "http://reg.example.evil.example/",
                "http://127.0.0.1/");
        for (String s : other) {
            assertThat(Urls.sameOrigin(java.net.URI.create("http://reg.example/"), java.net.URI.create(s)))
                    .as(s)
                    .isFalse();
        }
        assertThat(Urls.origin(java.net.URI.create("https://u:p@Reg.Example/x?token=1")))
                .isEqualTo("https://reg.example:443");
    }
}

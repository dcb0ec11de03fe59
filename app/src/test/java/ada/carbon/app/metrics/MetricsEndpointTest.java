package ada.carbon.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.kafka.TopicProvisioning;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes /metrics and /health of the real services over HTTP, on a real broker, while events flow. */
class MetricsEndpointTest {
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void countersMoveAsEventsFlowThroughIngestAggregatorAndSink() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"))) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioning.ensure(bootstrap);
            Path db = dir.resolve("ada.db");
            var settings = AggregatorSettings.of(bootstrap, dir.resolve("streams"));
            try (AggregatorService aggregator = new AggregatorService(AccountingConfig.defaults(), settings);
                    SinkService sink = new SinkService(bootstrap, db);
                    ServiceMetrics aggregatorMetrics = ServiceMetrics.of("aggregator")
                            .bindAggregator(aggregator, bootstrap, KafkaClientProperties.NONE, settings.applicationId())
                            .serve(
                                    0,
                                    () -> aggregator.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                                            ? Health.up("RUNNING")
                                            : Health.down(aggregator.state().name()));
                    EventPublisher publisher = EventPublisher.connect(bootstrap);
                    ServiceMetrics ingestMetrics = ServiceMetrics.of("ingest")
                            .bindIngest(publisher::counts)
                            .serve(0, () -> Health.up("publishing"))) {
                Thread loop = new Thread(sink::runUntilStopped, "test-sink");
                ServiceMetrics sinkMetrics = ServiceMetrics.of("sink")
                        .bindSink(sink, db, bootstrap, KafkaClientProperties.NONE, SinkService.DEFAULT_GROUP_ID)
                        .serve(0, () -> loop.isAlive() ? Health.up("consuming") : Health.down("stopped"));
                try (sinkMetrics) {
                    int sinkPort = sinkMetrics.port();
                    // Not running yet: /health says so with 503.
                    HttpResponse<String> down = get(sinkPort, "/health");
                    assertThat(down.statusCode()).isEqualTo(503);
                    assertThat(down.body()).contains("\"status\":\"DOWN\"");

                    String before = get(sinkPort, "/metrics").body();
                    assertThat(value(before, "ada_carbon_events_out_total", "service=\"sink\""))
                            .isZero();

                    aggregator.start();
                    loop.start();
                    HttpResponse<String> health = get(sinkPort, "/health");
                    assertThat(health.statusCode()).isEqualTo(200);
                    assertThat(health.headers().firstValue("Content-Type"))
                            .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                    assertThat(health.body()).contains("\"service\":\"sink\"", "\"status\":\"UP\"");

                    var simulation =
                            SimulatorConfig.defaults().withHosts(3).withDays(1).withSeed(7);
                    new PlatformSimulator(simulation).run(publisher::publish);
                    publisher.reject(
                            "not json".getBytes(StandardCharsets.UTF_8), DeadLetter.MALFORMED, "test", "test.jsonl", 1);
                    publisher.flush();
                    long published = publisher.counts().published();
                    assertThat(published).isPositive();

                    // ingest: what it published and rejected, by reason
                    System.gc(); // the meters must not lose what they read (Micrometer holds it weakly)
                    String ingest = get(ingestMetrics.port(), "/metrics").body();
                    assertThat(value(ingest, "ada_carbon_events_out_total", "service=\"ingest\""))
                            .isEqualTo(published);
                    assertThat(value(ingest, "ada_carbon_events_in_total", "service=\"ingest\""))
                            .isEqualTo(published + 1);
                    assertThat(value(ingest, "ada_carbon_events_rejected_total", "reason=\"malformed\""))
                            .isEqualTo(1);

                    // aggregator: records in from the raw topics and out to the output topics, and its health
                    String aggregated = awaitMetrics(
                            aggregatorMetrics.port(),
                            m -> value(m, "ada_carbon_events_in_total", "topic=\"ada.raw.cpu\"") > 0
                                    && value(m, "ada_carbon_events_out_total", "topic=\"ada.facts\"") > 0);
                    assertThat(value(aggregated, "ada_carbon_events_in_total", "service=\"aggregator\""))
                            .isLessThanOrEqualTo(published);
                    assertThat(aggregated).contains("ada_carbon_consumer_lag_records{");
                    // exported; that they move is PipelineSensorsTest's (here the record cache may fold every
                    // update of a host-slot into one, leaving nothing to restate)
                    assertThat(aggregated)
                            .contains("ada_carbon_restatements_total{")
                            .contains("ada_carbon_events_rejected_total{reason=\"late\",service=\"aggregator\"}");
                    assertThat(get(aggregatorMetrics.port(), "/health").statusCode())
                            .isEqualTo(200);

                    // sink: records applied, the batches' commit timer, the newest fact, and the lag drained
                    String sunk = awaitMetrics(
                            sinkPort,
                            m -> value(m, "ada_carbon_events_out_total", "service=\"sink\"") > 0
                                    && value(m, "ada_carbon_newest_fact_timestamp_seconds", "service=\"sink\"") > 0
                                    && value(m, "ada_carbon_consumer_lag_records", "service=\"sink\"") == 0);
                    double applied = value(sunk, "ada_carbon_events_out_total", "service=\"sink\"");
                    assertThat(value(sunk, "ada_carbon_events_in_total", "service=\"sink\""))
                            .isGreaterThanOrEqualTo(applied);
                    assertThat(value(sunk, "ada_carbon_sink_batch_commit_seconds_count", "service=\"sink\""))
                            .isPositive();
                    assertThat(value(sunk, "ada_carbon_sink_batch_commit_seconds_sum", "service=\"sink\""))
                            .isPositive();
                    Instant newest =
                            Instant.ofEpochSecond((long) value(sunk, "ada_carbon_newest_fact_timestamp_seconds", ""));
                    assertThat(newest)
                            .isAfterOrEqualTo(Instant.parse("2025-09-01T00:00:00Z"))
                            .isBefore(Instant.parse("2025-09-03T00:00:00Z"));

                    // more events: the counters move on
                    new PlatformSimulator(simulation.withSeed(8).withStart(Instant.parse("2025-09-02T00:00:00Z")))
                            .run(publisher::publish);
                    publisher.flush();
                    awaitMetrics(
                            sinkPort,
                            m -> value(m, "ada_carbon_events_out_total", "service=\"sink\"") > applied
                                    && value(m, "ada_carbon_newest_fact_timestamp_seconds", "")
                                            > newest.getEpochSecond());

                    assertThat(get(sinkPort, "/nothing").statusCode()).isEqualTo(404);
                }
            }
        }
    }

    private static String awaitMetrics(int port, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(port, "/metrics").body();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("metrics did not get there in time; last scrape:\n" + ours(last));
    }

    private static String ours(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("ada_carbon")).reduce("", (a, b) -> a + b + "\n");
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labels}; 0 when there is none. */
    static double value(String metrics, String name, String labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            if (found.contains(labels)) {
                double v = Double.parseDouble(m.group(2));
                sum += Double.isNaN(v) ? 0 : v;
            }
        }
        return sum;
    }
}

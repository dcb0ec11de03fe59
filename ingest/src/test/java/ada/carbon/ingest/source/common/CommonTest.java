package ada.carbon.ingest.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.source.testing.LocalHttpServer;
import ada.carbon.ingest.source.testing.LocalHttpServer.Reply;
import ada.carbon.schemas.Topics;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP retries, checkpoints, sinks and time forms shared by the sources. */
class CommonTest {
    @TempDir
    Path dir;

    private static CpuEvent cpu(String instance, double busy) {
        return new CpuEvent(instance, "IDAaaS", "Muon", Instant.parse("2025-09-11T10:00:00Z"), 300L, busy, 10.0);
    }

    @Test
    void retriesHonourRetryAfterAndStopAtOnceOnAClientError() throws Exception {
        List<Duration> waits = new ArrayList<>();
        int[] calls = {0};
        try (LocalHttpServer server = new LocalHttpServer(r -> switch (++calls[0]) {
            case 1 -> Reply.status(429, "{}").withHeader("Retry-After", "7");
            case 2 -> Reply.status(500, "{}");
            case 3 -> Reply.json("{\"ok\":true}");
            default -> Reply.status(404, "{\"error\":\"gone\"}");
        })) {
            HttpFetcher http = new HttpFetcher(
                    new HttpSettings(
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(1),
                            3,
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(10),
                            Map.of("Authorization", "Bearer t0ken"),
                            HttpSettings.DEFAULT_MAX_BODY_BYTES),
                    waits::add);
            assertThat(http.get(server.uri("/x")).text()).isEqualTo("{\"ok\":true}");
            assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(7)); // as the server asked
            assertThat(waits.get(1))
                    .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4)); // 2 s doubled, with jitter
            assertThat(server.requests().get(0).headers().get("Authorization")).containsExactly("Bearer t0ken");

            assertThatThrownBy(() -> http.get(server.uri("/y")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("gone");
            assertThat(calls[0]).isEqualTo(4); // a 404 is not retried
            assertThat(http.retries()).isEqualTo(2);
        }
        assertThat(HttpFetcher.retryAfter("120")).contains(Duration.ofMinutes(2));
        assertThat(HttpFetcher.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(HttpFetcher.retryAfter("soon")).isEmpty();
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() {
        List<Duration> waits = new ArrayList<>();
        HttpFetcher http = new HttpFetcher(
                new HttpSettings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        2,
                        Duration.ofMillis(1),
                        Duration.ofMillis(1),
                        Map.of(),
                        HttpSettings.DEFAULT_MAX_BODY_BYTES),
                waits::add);
        assertThatThrownBy(() -> http.get(java.net.URI.create("http://127.0.0.1:1/nothing")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("after 3 attempts")
                .satisfies(e -> assertThat(((SourceException) e).isTransient()).isTrue());
        assertThat(waits).hasSize(2);
    }

    @Test
    void aCheckpointResumesOnlyItsOwnJob() throws Exception {
        ObjectNode job = JsonNodeFactory.instance
                .objectNode()
                .put("url", "http://p:9090")
                .put("step_seconds", 300L);
        Path file = dir.resolve("cp/prometheus.json");
        Checkpoint cp = new Checkpoint(file, "prometheus", job);
        assertThat(cp.resumable()).isEmpty();
        cp.save(JsonNodeFactory.instance.objectNode().put("done_until", "2025-09-01T06:00:00Z"));
        assertThat(new Checkpoint(file, "prometheus", job).resumable())
                .get()
                .extracting(s -> s.get("done_until").asText())
                .isEqualTo("2025-09-01T06:00:00Z");
        ObjectNode other = job.deepCopy().put("step_seconds", 60);
        assertThat(new Checkpoint(file, "prometheus", other).resumable()).isEmpty();
        // A backfill asked to go further is the same job: it continues.
        assertThat(new Checkpoint(file, "prometheus", job.deepCopy().put("to", "2025-10-01T00:00:00Z")).resumable())
                .isPresent();
        assertThat(new Checkpoint(file, "intensity", job).resumable()).isEmpty();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
        Files.writeString(file, "{\"source\":\"prometheus\",\"job\":");
        assertThatThrownBy(() -> cp.resumable())
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("--restart");
    }

    @Test
    void theFileSinkWritesSpecJsonLinesAndRefusesWhatBreaksARule() throws Exception {
        Path out = dir.resolve("out.jsonl");
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, -1)) {
            assertThat(sink.emit(cpu("h:9100", 1.5), "test")).isTrue();
            assertThat(sink.emit(cpu("h:9100", -1), "test")).isFalse();
            sink.reject("{bad".getBytes(), "malformed", "not JSON", "test", 3);
            sink.flush();
            assertThat(sink.position()).isEqualTo(Files.size(out));
            assertThat(sink.counts().published()).isEqualTo(1);
            assertThat(sink.counts().rejected("invalid")).isEqualTo(1);
            assertThat(sink.counts().rejected("malformed")).isEqualTo(1);
        }
        assertThat(Files.readAllLines(out))
                .containsExactly("{\"kind\":\"cpu\",\"instance\":\"h:9100\","
                        + "\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\",\"ts\":\"2025-09-11T10:00:00Z\","
                        + "\"period_seconds\":300,\"busy_cpu_seconds\":1.5,\"idle_cpu_seconds\":10}");
        long length = Files.size(out);
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, length)) {
            sink.emit(cpu("g:9100", 2), "test");
        }
        assertThat(Files.readAllLines(out)).hasSize(2);
        try (JsonLinesFileSink sink = JsonLinesFileSink.open(out, length)) { // cut back to the checkpoint
            sink.flush();
        }
        assertThat(Files.size(out)).isEqualTo(length);
        assertThatThrownBy(() -> JsonLinesFileSink.open(out, length + 1))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("--restart");
        JsonLinesFileSink.open(out, -1).close();
        assertThat(Files.size(out)).isZero();
    }

    @Test
    void thePublisherSinkPublishesToTheRawTopics() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (PublisherSink sink = new PublisherSink(new EventPublisher(producer), "kafka test")) {
            sink.emit(cpu("h:9100", 1), "http://prometheus");
            sink.emit(
                    new IntensityEvent(
                            Instant.parse("2025-09-11T10:00:00Z"),
                            Instant.parse("2025-09-11T10:30:00Z"),
                            185.0,
                            null,
                            "moderate",
                            null),
                    "http://api");
            sink.emit(cpu("h:9100", Double.NaN), "http://prometheus");
            sink.flush();
            assertThat(sink.counts().published()).isEqualTo(2);
            assertThat(sink.counts().rejected("invalid")).isEqualTo(1);
            assertThat(sink.position()).isEqualTo(-1);
        }
        assertThat(producer.history())
                .extracting(r -> r.topic())
                .containsExactly(Topics.RAW_CPU, Topics.RAW_INTENSITY, Topics.DEAD_LETTER);
    }

    @Test
    void timesAndDurationsInTheFormsSourcesAndCommandLinesUse() {
        Instant now = Instant.parse("2025-09-11T10:07:00Z");
        assertThat(SourceTimes.argument("2025-09-01", now)).isEqualTo(Instant.parse("2025-09-01T00:00:00Z"));
        assertThat(SourceTimes.argument("2025-09-01T10:00Z", now)).isEqualTo(Instant.parse("2025-09-01T10:00:00Z"));
        assertThat(SourceTimes.argument("now", now)).isEqualTo(now);
        assertThat(SourceTimes.argument("now-2d", now)).isEqualTo(Instant.parse("2025-09-09T10:07:00Z"));
        assertThatThrownBy(() -> SourceTimes.argument("yesterday", now)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SourceTimes.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SourceTimes.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SourceTimes.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SourceTimes.duration("14d")).isEqualTo(Duration.ofDays(14));
        assertThatThrownBy(() -> SourceTimes.duration("5 minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SourceTimes.fromJson(TextNode.valueOf("Thu, 11 Sep 2025 09:30:00 GMT")))
                .isEqualTo(Instant.parse("2025-09-11T09:30:00Z"));
        assertThat(SourceTimes.fromJson(TextNode.valueOf("2025-09-11 09:30:00.250")))
                .isEqualTo(Instant.parse("2025-09-11T09:30:00.250Z"));
        assertThat(SourceTimes.fromJson(TextNode.valueOf("2025-09-11T10:30:00+01:00")))
                .isEqualTo(Instant.parse("2025-09-11T09:30:00Z"));
        assertThat(SourceTimes.fromJson(JsonNodeFactory.instance.objectNode().put("$date", 1757583000000L)))
                .isEqualTo(Instant.parse("2025-09-11T09:30:00Z"));
        assertThat(SourceTimes.fromJson(JsonNodeFactory.instance.nullNode())).isNull();
        assertThatThrownBy(() -> SourceTimes.fromJson(TextNode.valueOf("11/09/2025")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SourceTimes.floor(now, Duration.ofMinutes(5))).isEqualTo(Instant.parse("2025-09-11T10:05:00Z"));
        assertThat(SourceTimes.ceil(now, Duration.ofMinutes(30))).isEqualTo(Instant.parse("2025-09-11T10:30:00Z"));
    }
}

package ada.carbon.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesIngestTest {
    static final String CPU = "{\"kind\":\"cpu\",\"instance\":\"h1:9100\",\"cloud_project_name\":\"IDAaaS\","
            + "\"machine_name\":\"Muon\",\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":300,"
            + "\"busy_cpu_seconds\":10,\"idle_cpu_seconds\":290}";
    static final String INTENSITY = "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\","
            + "\"to\":\"2025-09-11T10:30Z\",\"forecast\":185,\"actual\":null,\"index\":\"moderate\"}";
    static final String WORKSPACE = "{\"kind\":\"workspace\",\"workspace_key\":\"w1\",\"instance\":\"h1:9100\","
            + "\"owner\":null,\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
            + "\"created_time\":\"2025-09-11T09:00:00Z\",\"deleted_time\":null}";
    static final String USER = "{\"kind\":\"user\",\"user_id\":\"aa123456\",\"display_name\":\"Zoë\"}";
    static final String NOT_JSON = "cpu,h1,300";
    static final String UNKNOWN_KIND = "{\"kind\":\"gpu\"}";
    static final String NEGATIVE = CPU.replace("\"busy_cpu_seconds\":10", "\"busy_cpu_seconds\":-10");

    final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final EventPublisher publisher = new EventPublisher(producer);
    final JsonLinesIngest ingest = new JsonLinesIngest(publisher);

    @TempDir
    Path dir;

    /** Line numbers: 1 USER, 2 blank, 3 CPU, 4 NOT_JSON (CRLF), 5 INTENSITY (CRLF), 6 spaces, 7 bad UTF-8, 8 UNKNOWN_KIND,
     *  9 NEGATIVE, 10 WORKSPACE (no final newline). */
    static byte[] mixedFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes((USER + "\n\n" + CPU + "\n" + NOT_JSON + "\r\n" + INTENSITY + "\r\n   \n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(badUtf8());
        out.writeBytes(("\n" + UNKNOWN_KIND + "\n" + NEGATIVE + "\n" + WORKSPACE).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] badUtf8() {
        byte[] user = USER.getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(user, user.length);
        int o = USER.indexOf("Zo") + 2; // the first byte of 'ë'
        bad[o] = (byte) 0xFF;
        return bad;
    }

    @Test
    void publishesGoodLinesAndDeadLettersTheRestWithTheirOriginalBytes() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.write(file, mixedFile());

        IngestCounts counts = ingest.ingest(file);

        assertThat(counts.read()).isEqualTo(8);
        assertThat(counts.published()).isEqualTo(4);
        assertThat(counts.rejected(DeadLetter.MALFORMED)).isEqualTo(3);
        assertThat(counts.rejected(DeadLetter.INVALID)).isEqualTo(1);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .containsExactly(
                        Topics.RAW_USER,
                        Topics.RAW_CPU,
                        Topics.DEAD_LETTER,
                        Topics.RAW_INTENSITY,
                        Topics.DEAD_LETTER,
                        Topics.DEAD_LETTER,
                        Topics.DEAD_LETTER,
                        Topics.RAW_WORKSPACE);
        UserEvent user =
                AdaSerdes.USER_EVENT.deserialize(Topics.RAW_USER, sent.get(0).value());
        assertThat(user.getDisplayName()).isEqualTo("Zoë");
        CpuEvent cpu =
                AdaSerdes.CPU_EVENT.deserialize(Topics.RAW_CPU, sent.get(1).value());
        assertThat(cpu.getBusyCpuSeconds()).isEqualTo(10.0);
        assertThat(new String(sent.get(1).key(), StandardCharsets.UTF_8))
                .as("keyed by host")
                .isEqualTo("h1");

        assertDeadLetter(
                sent.get(2),
                NOT_JSON.getBytes(StandardCharsets.UTF_8),
                DeadLetter.MALFORMED,
                "line is not JSON",
                file,
                4);
        assertDeadLetter(sent.get(4), badUtf8(), DeadLetter.MALFORMED, "line is not JSON", file, 7);
        assertDeadLetter(
                sent.get(5),
                UNKNOWN_KIND.getBytes(StandardCharsets.UTF_8),
                DeadLetter.MALFORMED,
                "unknown kind 'gpu'",
                file,
                8);
        assertDeadLetter(
                sent.get(6),
                NEGATIVE.getBytes(StandardCharsets.UTF_8),
                DeadLetter.INVALID,
                "busy_cpu_seconds",
                file,
                9);
    }

    @Test
    void readsGzippedFilesWhateverTheirName() throws IOException {
        Path plain = dir.resolve("a.jsonl");
        Files.write(plain, mixedFile());
        Path gz = dir.resolve("b.jsonl.gz");
        Path gzNoSuffix = dir.resolve("c.jsonl");
        for (Path p : List.of(gz, gzNoSuffix)) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(mixedFile());
            }
        }

        IngestCounts counts = ingest.ingest(List.of(plain, gz, gzNoSuffix));

        assertThat(counts.read()).isEqualTo(24);
        assertThat(counts.published()).isEqualTo(12);
        assertThat(counts.rejectedTotal()).isEqualTo(12);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(24);
        for (int i = 0; i < 8; i++) {
            assertThat(sent.get(8 + i).value()).isEqualTo(sent.get(i).value());
            assertThat(sent.get(16 + i).value()).isEqualTo(sent.get(i).value());
        }
        assertThat(DeadLetter.header(sent.get(8 + 2).headers(), DeadLetter.SOURCE_TOPIC))
                .isEqualTo(gz.toString());
    }

    @Test
    void returnsTheCountsOfEachCallAlone() throws IOException {
        Path file = dir.resolve("one.jsonl");
        Files.writeString(file, CPU + "\n" + NOT_JSON + "\n");
        ingest.ingest(file);
        IngestCounts second = ingest.ingest(file);
        assertThat(second.read()).isEqualTo(2);
        assertThat(second.published()).isEqualTo(1);
        assertThat(second.rejected(DeadLetter.MALFORMED)).isEqualTo(1);
        assertThat(publisher.counts().read()).isEqualTo(4);
    }

    @Test
    void cutsOverlongLinesAndGoesOn() throws IOException {
        String huge = "{\"kind\":\"user\",\"user_id\":\"" + "x".repeat(JsonLinesIngest.MAX_LINE_BYTES) + "\"}";
        IngestCounts counts = ingest.ingest(
                new ByteArrayInputStream((huge + "\n" + CPU + "\n").getBytes(StandardCharsets.UTF_8)), "stdin");

        assertThat(counts.rejected(DeadLetter.MALFORMED)).isEqualTo(1);
        assertThat(counts.published()).isEqualTo(1);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.value()).hasSize(JsonLinesIngest.MAX_LINE_BYTES);
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.DETAIL)).contains("longer than");
        assertThat(producer.history().get(1).topic()).isEqualTo(Topics.RAW_CPU);
    }

    @Test
    void refusesMissingFilesBeforePublishingAnything() throws IOException {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, CPU + "\n");
        assertThatThrownBy(() -> ingest.ingest(List.of(good, dir.resolve("absent.jsonl"))))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void skipsAnEmptyFile() throws IOException {
        Path empty = dir.resolve("empty.jsonl");
        Files.write(empty, new byte[0]);
        assertThat(ingest.ingest(empty).read()).isZero();
    }

    private static void assertDeadLetter(
            ProducerRecord<byte[], byte[]> r, byte[] original, String reason, String detail, Path file, long line) {
        assertThat(r.topic()).isEqualTo(Topics.DEAD_LETTER);
        assertThat(r.value()).isEqualTo(original);
        assertThat(DeadLetter.header(r.headers(), DeadLetter.REASON)).isEqualTo(reason);
        assertThat(DeadLetter.header(r.headers(), DeadLetter.DETAIL)).contains(detail);
        assertThat(DeadLetter.header(r.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(file.toString());
        assertThat(DeadLetter.header(r.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo(Long.toString(line));
    }
}

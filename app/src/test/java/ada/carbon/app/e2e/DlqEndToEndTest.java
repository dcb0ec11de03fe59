package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq} on hostile dead letters, on a real broker: records whose kind, bytes and headers carry terminal
 * escape sequences (colours, a window title, clearing the screen) and CR/LF are listed with every control
 * character escaped, so none reaches the terminal and none starts a line of its own. The ingest's log of the
 * rejections is escaped too.
 */
class DlqEndToEndTest {
    /** A window title, red text, and a CR/LF before text that would pass for a line of the listing. */
    static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[31mred\r\nforged: 1";

    @TempDir
    Path dir;

    @Test
    void hostileDeadLettersAreListedWithoutTheirControlCharacters() throws Exception {
        Path events = E2e.write(
                dir.resolve("hostile.jsonl"),
                List.of(
                        // Escapes in a JSON string: a kind the ingest quotes in its detail.
                        "{\"kind\":\"gpu\\u001b]0;pwned\\u0007\\u001b[31mred\\r\\nforged: 1\",\"ts\":\"2025-01-01T00:00:00Z\"}",
                        // The same escapes raw in the line: not JSON, and the dead letter's bytes hold them.
                        "{\"kind\":\"cpu\u001b[2J\u001b[31m\"}"));
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"))) {
            String bootstrap = broker.bootstrapServers();
            E2e.CliRun ingest =
                    E2e.cli("ingest", "file", "--bootstrap-servers", bootstrap, "--metrics-port", "0", events);
            assertThat(ingest.exitCode()).as(ingest.stderr()).isZero();
            assertThat(ingest.stdout())
                    .as("the ingest's log of the rejection")
                    .contains("unknown kind 'gpu\\x1b]0;pwned");
            assertNoControlCharacters(ingest.stdout() + ingest.stderr());

            // Another service's dead letter (anyone who can write to the topic can write one): every header hostile.
            RecordHeaders headers = new RecordHeaders();
            for (String name : List.of(
                    DeadLetter.REASON,
                    DeadLetter.DETAIL,
                    DeadLetter.SOURCE_TOPIC,
                    DeadLetter.SOURCE_PARTITION,
                    DeadLetter.SOURCE_OFFSET)) {
                headers.add(name, (name + HOSTILE).getBytes(StandardCharsets.UTF_8));
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(
                                Topics.DEAD_LETTER,
                                null,
                                (byte[]) null,
                                ("value" + HOSTILE).getBytes(StandardCharsets.UTF_8),
                                headers))
                        .get();
            }

            E2e.CliRun dlq = E2e.cli("dlq", "--bootstrap-servers", bootstrap);
            assertThat(dlq.exitCode()).as(dlq.stderr()).isZero();
            String out = dlq.stdout();
            assertNoControlCharacters(out);
            assertThat(out).startsWith(Topics.DEAD_LETTER + ": 3 records\n");
            String escaped = "\\x1b]0;pwned\\x07\\x1b[31mred\\r\\nforged: 1";
            assertThat(out)
                    .contains(
                            "\nmalformed: 2\n",
                            "unknown kind 'gpu" + escaped + "'",
                            "    {\"kind\":\"cpu\\x1b[2J\\x1b[31m\"}\n",
                            "\nada.reason" + escaped + ": 1\n",
                            "  from ada.source.topic" + escaped + "[ada.source.partition" + escaped
                                    + "]@ada.source.offset" + escaped + ": ada.detail" + escaped + "\n    value"
                                    + escaped + "\n");
            // Forged text stays inside the line that quotes it.
            assertThat(out.lines()).noneMatch(l -> l.startsWith("forged"));
        }
    }

    /**
     * Line feeds end lines and a TAB may indent a stack trace's frame; no other character below U+0020, no DEL
     * and no C1 control is there.
     */
    static void assertNoControlCharacters(String text) {
        assertThat(text.replace("\n\t", "\n").chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7F && c <= 0x9F))))
                .as("control characters in:\n%s", text)
                .isEmpty();
    }
}

package ada.carbon.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.Fact;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    static final Instant TEN = Instant.parse("2025-09-11T10:00:00Z");
    static final CpuEvent CPU = new CpuEvent("host-1.example:9100", "IDAaaS", "Muon", TEN, 300L, 12.5, 1187.5);
    static final IntensityEvent INTENSITY =
            new IntensityEvent(TEN, TEN.plusSeconds(1800), 185.0, null, "moderate", null);
    static final WorkspaceEvent WORKSPACE = new WorkspaceEvent(
            "65f1c0de9a1b2c3d4e5f6a7b", "host-1.example:9100", "aa123456", "IDAaaS", "Muon", TEN, null);
    static final UserEvent USER = new UserEvent("aa123456", null, "RB2410001", List.of("IDAaaS"));

    final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final EventPublisher publisher = new EventPublisher(producer);

    @Test
    void routesEachKindToItsRawTopicKeyedAsSpec28Says() {
        assertThat(publisher.publish(CPU)).isTrue();
        assertThat(publisher.publish(INTENSITY)).isTrue();
        assertThat(publisher.publish(WORKSPACE)).isTrue();
        assertThat(publisher.publish(USER)).isTrue();
        publisher.flush();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .containsExactly(Topics.RAW_CPU, Topics.RAW_INTENSITY, Topics.RAW_WORKSPACE, Topics.RAW_USER);
        assertThat(sent)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("cpu and workspace by host, lower-cased; intensity by from; user by user_id")
                .containsExactly("host-1.example", "2025-09-11T10:00:00Z", "host-1.example", "aa123456");
        assertThat(AdaSerdes.CPU_EVENT.deserialize(Topics.RAW_CPU, sent.get(0).value()))
                .isEqualTo(CPU);
        assertThat(AdaSerdes.INTENSITY_EVENT.deserialize(
                        Topics.RAW_INTENSITY, sent.get(1).value()))
                .isEqualTo(INTENSITY);
        assertThat(AdaSerdes.WORKSPACE_EVENT.deserialize(
                        Topics.RAW_WORKSPACE, sent.get(2).value()))
                .isEqualTo(WORKSPACE);
        assertThat(AdaSerdes.USER_EVENT.deserialize(Topics.RAW_USER, sent.get(3).value()))
                .isEqualTo(USER);
        assertThat(sent).allSatisfy(r -> assertThat(r.timestamp()).isNull());
        assertThat(publisher.counts()).isEqualTo(new IngestCounts(4, 4, java.util.Map.of(), 0));
    }

    @Test
    void aRegionsReadingOfASlotSharesTheNationalOnesKeyAndAnUnknownRegionIsDeadLettered() {
        IntensityEvent southEngland =
                IntensityEvent.newBuilder(INTENSITY).setRegion(12).build();
        IntensityEvent noSuchRegion =
                IntensityEvent.newBuilder(INTENSITY).setRegion(18).build();
        assertThat(publisher.publish(INTENSITY)).isTrue();
        assertThat(publisher.publish(southEngland)).isTrue();
        assertThat(publisher.publish(noSuchRegion)).isFalse();
        publisher.flush();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .containsExactly(Topics.RAW_INTENSITY, Topics.RAW_INTENSITY, Topics.DEAD_LETTER);
        // SPEC 2.8: intensity is keyed by `from` alone, so a slot's readings of every region meet on one partition.
        assertThat(sent.subList(0, 2))
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsOnly("2025-09-11T10:00:00Z");
        assertThat(AdaSerdes.INTENSITY_EVENT.deserialize(
                        Topics.RAW_INTENSITY, sent.get(1).value()))
                .isEqualTo(southEngland);
        assertThat(DeadLetter.header(sent.get(2).headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.INVALID);
        assertThat(DeadLetter.header(sent.get(2).headers(), DeadLetter.DETAIL))
                .contains("region")
                .contains("17");
    }

    @Test
    void deadLettersRuleBreakingEventsInsteadOfPublishingThem() {
        CpuEvent negative = CpuEvent.newBuilder(CPU).setBusyCpuSeconds(-1).build();
        IntensityEvent longSlot = IntensityEvent.newBuilder(INTENSITY)
                .setTo(TEN.plusSeconds(3600))
                .build();

        assertThat(publisher.publish(CPU)).isTrue();
        assertThat(publisher.publish(negative)).isFalse();
        assertThat(publisher.publish(longSlot, "{\"original\":1}".getBytes(StandardCharsets.UTF_8), "f.jsonl", 7))
                .isFalse();
        publisher.flush();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent)
                .extracting(ProducerRecord::topic)
                .containsExactly(Topics.RAW_CPU, Topics.DEAD_LETTER, Topics.DEAD_LETTER);

        ProducerRecord<byte[], byte[]> first = sent.get(1);
        assertThat(DeadLetter.header(first.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.INVALID);
        assertThat(DeadLetter.header(first.headers(), DeadLetter.DETAIL)).contains("busy_cpu_seconds");
        assertThat(DeadLetter.header(first.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(EventPublisher.RECORD_SOURCE);
        assertThat(DeadLetter.header(first.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("2");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(JsonEvents.toJson(negative));

        ProducerRecord<byte[], byte[]> second = sent.get(2);
        assertThat(second.value()).isEqualTo("{\"original\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetter.header(second.headers(), DeadLetter.DETAIL)).contains("30 minutes");
        assertThat(DeadLetter.header(second.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("f.jsonl");
        assertThat(DeadLetter.header(second.headers(), DeadLetter.SOURCE_PARTITION))
                .isEqualTo("-1");
        assertThat(DeadLetter.header(second.headers(), DeadLetter.SOURCE_OFFSET))
                .isEqualTo("7");

        IngestCounts counts = publisher.counts();
        assertThat(counts.read()).isEqualTo(3);
        assertThat(counts.published()).isEqualTo(1);
        assertThat(counts.rejected(DeadLetter.INVALID)).isEqualTo(2);
        assertThat(counts.read()).isEqualTo(counts.published() + counts.rejectedTotal());
    }

    @Test
    void rejectKeepsTheOriginalBytesAndSaysWhereTheyCameFrom() {
        byte[] original = {'{', (byte) 0xC3, 0x28, '}'};
        publisher.reject(original, DeadLetter.MALFORMED, "line is not JSON", "in.jsonl.gz", 42);
        publisher.flush();

        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo(Topics.DEAD_LETTER);
        assertThat(dead.value()).isEqualTo(original);
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.MALFORMED);
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.DETAIL)).isEqualTo("line is not JSON");
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("in.jsonl.gz");
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(DeadLetter.header(dead.headers(), DeadLetter.REJECTED_AT)).isNotBlank();
        assertThat(publisher.counts().rejected()).containsExactly(java.util.Map.entry(DeadLetter.MALFORMED, 1L));
        assertThat(publisher.counts().published()).isZero();
    }

    @Test
    void countsPublishedOnlyOnceAcknowledgedAndReportsFailedSends() {
        MockProducer<byte[], byte[]> manual =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher p = new EventPublisher(manual);
        p.publish(CPU);
        p.publish(USER);
        assertThat(p.counts().published()).isZero();
        assertThat(manual.completeNext()).isTrue();
        assertThat(manual.errorNext(new KafkaException("broker says no"))).isTrue();

        assertThat(p.counts().published()).isEqualTo(1);
        assertThat(p.counts().failed()).isEqualTo(1);
        assertThatThrownBy(p::flush).isInstanceOf(KafkaException.class).hasMessageContaining("broker says no");
    }

    @Test
    void refusesRecordsThatAreNoInputEvent() {
        assertThatThrownBy(() -> publisher.publish(new Fact())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configuresTheProducerForSafeBulkPublishing() {
        var config = EventPublisher.producerConfig("broker:9092");
        assertThat(config)
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
        assertThat((String) config.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isIn("lz4", "zstd");
        assertThat((Integer) config.get(ProducerConfig.BATCH_SIZE_CONFIG)).isGreaterThanOrEqualTo(128 * 1024);
        assertThat((Integer) config.get(ProducerConfig.LINGER_MS_CONFIG)).isPositive();
    }
}

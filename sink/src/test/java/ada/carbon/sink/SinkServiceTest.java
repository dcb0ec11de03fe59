package ada.carbon.sink;

import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.user;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's loop against Kafka's MockConsumer: seeking, batching, skipping, stopping. */
class SinkServiceTest {
    private static final TopicPartition FACTS_0 = new TopicPartition(Topics.FACTS, 0);
    private static final TopicPartition USERS_0 = new TopicPartition(Topics.USERS, 0);
    private static final String T10 = "2025-09-11T10:00:00Z";

    @TempDir
    Path dir;

    Path file;
    MockConsumer<byte[], byte[]> consumer;
    MockProducer<byte[], byte[]> deadLetters =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @BeforeEach
    void setUp() {
        file = dir.resolve("ada.db");
        consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (String topic : Topics.OUTPUT) {
            beginnings.put(new TopicPartition(topic, 0), 0L);
        }
        consumer.updateBeginningOffsets(beginnings);
    }

    @Test
    void resumesFromSqliteAppliesEachPollAndSkipsWhatItCannotRead() throws Exception {
        try (AdaDatabase db = AdaDatabase.open(file)) {
            db.apply(new SinkBatch().offset(new SourcePartition(Topics.FACTS, 0), 5));
        }
        SinkService service = new SinkService(consumer, deadLetters, AdaDatabase.open(file), Duration.ofMillis(50));
        AtomicLong factsPosition = new AtomicLong(-1);
        AtomicLong usersPosition = new AtomicLong(-1);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(FACTS_0, USERS_0)));
        consumer.schedulePollTask(() -> {
            factsPosition.set(consumer.position(FACTS_0));
            usersPosition.set(consumer.position(USERS_0));
            Fact f = fact("ada", T10, null, 1000, 5000, 0.1, 0.2, 0.3, 0.4, 185);
            consumer.addRecord(record(
                    FACTS_0,
                    5,
                    AdaSerdes.FACT_ID.serialize(Topics.FACTS, new FactId("ada", f.getTs(), null)),
                    AdaSerdes.FACT.serialize(Topics.FACTS, f)));
            consumer.addRecord(record(USERS_0, 0, bytes("u1"), "not avro".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(record(
                    USERS_0,
                    1,
                    bytes("u2"),
                    AdaSerdes.USER_EVENT.serialize(Topics.USERS, user("u2", "Two", "G", "IDAaaS"))));
        });
        consumer.schedulePollTask(() -> consumer.addRecord(record(
                FACTS_0, 6, AdaSerdes.FACT_ID.serialize(Topics.FACTS, new FactId("ada", TestDb.at(T10), null)), null)));
        AtomicLong reportedToKafka = new AtomicLong(-1);
        consumer.schedulePollTask(() -> {
            reportedToKafka.set(consumer.committed(Set.of(FACTS_0)).get(FACTS_0).offset());
            service.stop();
        });

        CompletableFuture.runAsync(service::runUntilStopped).get(20, TimeUnit.SECONDS);

        assertThat(factsPosition.get()).as("sought to the offset SQLite stored").isEqualTo(5);
        assertThat(usersPosition.get()).as("nothing stored: from the beginning").isZero();
        assertThat(service.recordsApplied()).isEqualTo(3);
        assertThat(service.recordsSkipped()).isEqualTo(1);
        assertThat(consumer.closed()).isTrue();

        // The fact came and went (tombstone); the user and the offsets after the unreadable record stayed.
        assertThat(count(file, "SELECT * FROM fact_usage")).isZero();
        assertThat(rows(file, "SELECT user_id, display_name FROM dim_user"))
                .containsExactly(FactsTest.row("user_id", "u2", "display_name", "Two"));
        try (AdaDatabase db = AdaDatabase.open(file)) {
            assertThat(db.storedOffsets())
                    .isEqualTo(
                            Map.of(new SourcePartition(Topics.FACTS, 0), 7L, new SourcePartition(Topics.USERS, 0), 2L));
        }
        // Progress is also reported to Kafka, for lag monitoring only.
        assertThat(reportedToKafka.get()).isEqualTo(7);
        // The unreadable record is dead-lettered with its original bytes, reason and origin.
        assertThat(deadLetters.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.DEAD_LETTER);
            assertThat(r.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
            assertThat(DeadLetter.header(r.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.MALFORMED);
            assertThat(DeadLetter.header(r.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(Topics.USERS);
            assertThat(DeadLetter.header(r.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
        });
    }

    @Test
    void aChangeThatFailsForWhatItHoldsIsDeadLetteredAndTheRestOfItsBatchApplied() throws Exception {
        // A rule the schema does not have, that one label breaks: the database refuses that change alone.
        SinkService service = new SinkService(consumer, deadLetters, AdaDatabase.open(file), Duration.ofMillis(50));
        TestDb.execute(file, "CREATE UNIQUE INDEX one_label_per_host ON dim_instance (host)");
        TopicPartition labels = new TopicPartition(Topics.CPU_LABELS, 0);
        byte[] second = AdaSerdes.CPU_LABEL.serialize(Topics.CPU_LABELS, new CpuLabel("h:9101", "P", "M"));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(labels)));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(
                    labels,
                    0,
                    null,
                    AdaSerdes.CPU_LABEL.serialize(Topics.CPU_LABELS, new CpuLabel("h:9100", "P", "M"))));
            consumer.addRecord(record(labels, 1, null, second));
            consumer.addRecord(record(
                    labels,
                    2,
                    null,
                    AdaSerdes.CPU_LABEL.serialize(Topics.CPU_LABELS, new CpuLabel("g:9100", "Q", "N"))));
        });
        consumer.schedulePollTask(service::stop);

        CompletableFuture.runAsync(service::runUntilStopped).get(20, TimeUnit.SECONDS);

        assertThat(rows(file, "SELECT raw_label FROM dim_instance ORDER BY raw_label"))
                .containsExactly(FactsTest.row("raw_label", "g:9100"), FactsTest.row("raw_label", "h:9100"));
        assertThat(rows(file, "SELECT topic, next_offset FROM sink_offset"))
                .containsExactly(FactsTest.row("topic", Topics.CPU_LABELS, "next_offset", 3));
        assertThat(service.recordsSkipped()).isEqualTo(1);
        assertThat(deadLetters.history()).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(second);
            assertThat(DeadLetter.header(r.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.ERROR);
            assertThat(DeadLetter.header(r.headers(), DeadLetter.DETAIL)).contains("UNIQUE");
            assertThat(DeadLetter.header(r.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
        });
    }

    @Test
    void aBatchTheDatabaseRefusesIsRewoundAndRetriedNotLost() throws Exception {
        SinkService service = new SinkService(consumer, deadLetters, AdaDatabase.open(file), Duration.ofMillis(50));
        TestDb.execute(
                file,
                "CREATE TRIGGER fail_slot BEFORE INSERT ON fact_intensity "
                        + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        TopicPartition slots = new TopicPartition(Topics.SLOT_INTENSITY, 0);
        SlotIntensity slot = TestDb.slot(T10, 185.0, 190.0, "moderate", 190, "actual", true);
        ConsumerRecord<byte[], byte[]> record = record(
                slots,
                0,
                AdaSerdes.SLOT_ID.serialize(Topics.SLOT_INTENSITY, new SlotId(slot.getTs())),
                AdaSerdes.SLOT_INTENSITY.serialize(Topics.SLOT_INTENSITY, slot));
        AtomicLong positionAfterFailure = new AtomicLong(-1);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(slots)));
        consumer.schedulePollTask(() -> consumer.addRecord(record));
        consumer.schedulePollTask(() -> {
            positionAfterFailure.set(consumer.position(slots));
            try {
                TestDb.execute(file, "DROP TRIGGER fail_slot");
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
            consumer.addRecord(record); // Kafka would deliver it again from the rewound position
        });
        consumer.schedulePollTask(service::stop);

        CompletableFuture.runAsync(service::runUntilStopped).get(20, TimeUnit.SECONDS);

        assertThat(positionAfterFailure.get()).isZero();
        assertThat(service.recordsApplied()).isEqualTo(1);
        assertThat(rows(file, "SELECT ts, source FROM fact_intensity"))
                .containsExactly(FactsTest.row("ts", T10, "source", "actual"));
        assertThat(rows(file, "SELECT topic, next_offset FROM sink_offset"))
                .containsExactly(FactsTest.row("topic", Topics.SLOT_INTENSITY, "next_offset", 1));
    }

    @Test
    void storedOffsetsAreReportedAsTopicPartitions() {
        SinkService service = new SinkService(consumer, deadLetters, AdaDatabase.open(file), Duration.ofMillis(50));
        try (service) {
            assertThat(service.storedOffsets()).isEmpty();
        }
        try (AdaDatabase db = AdaDatabase.open(file)) {
            db.apply(new SinkBatch().offset(new SourcePartition(Topics.USERS, 0), 12));
        }
        try (SinkService again = new SinkService(
                new MockConsumer<>("earliest"), deadLetters, AdaDatabase.open(file), Duration.ofMillis(50))) {
            assertThat(again.storedOffsets()).isEqualTo(Map.of(USERS_0, 12L));
        }
    }

    @Test
    void closeFromAnotherThreadEndsTheLoop() throws Exception {
        SinkService service = new SinkService(consumer, deadLetters, AdaDatabase.open(file), Duration.ofMillis(50));
        CompletableFuture<Void> loop = CompletableFuture.runAsync(service::runUntilStopped);
        Thread.sleep(200);
        assertThat(loop).isNotDone();
        service.close();
        loop.get(5, TimeUnit.SECONDS);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void consumerReadsCommittedBytesWithoutAutoCommit() {
        Properties p =
                SinkService.consumerConfig("broker:9092", SinkService.DEFAULT_GROUP_ID, Map.of("client.id", "x"));
        assertThat(p)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "ada-carbon-sink")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry("client.id", "x")
                .containsEntry(
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, byte[] key, byte[] value) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key, value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

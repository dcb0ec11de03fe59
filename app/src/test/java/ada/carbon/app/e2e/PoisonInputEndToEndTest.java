package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.aggregator.PieceObserver;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.JsonLinesIngest;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.TopicProvisioning;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.Quiescence;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison-input review, replayed (SPEC 2.7): each crafted line through {@code load}, and each crafted
 * record put straight on a raw or output topic, is dead-lettered with its reason; the run completes with
 * healthy services, and the database is exactly that of the same run without the poison.
 */
class PoisonInputEndToEndTest {
    private static final Instant START = Instant.parse("2025-09-11T00:00:00Z");

    @TempDir
    static Path tmp;

    static Path valid;
    static Map<String, List<List<Object>>> withoutPoison;

    @BeforeAll
    static void referenceRun() throws Exception {
        var simulator = new PlatformSimulator(
                SimulatorConfig.defaults().withHosts(6).withDays(1).withStart(START));
        List<String> lines = new ArrayList<>();
        simulator.forEach(event -> lines.add(JsonEvents.toJson(event)));
        valid = E2e.write(tmp.resolve("valid.jsonl"), lines);
        E2e.CliRun run = E2e.cli(
                "load", "--db", tmp.resolve("reference.db"), "--data-dir", tmp.resolve("reference-state"), valid);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        withoutPoison = Snapshots.of(tmp.resolve("reference.db"));
    }

    /** A line that must be dead-lettered, with its reason and a word of its detail. */
    record PoisonLine(String json, String reason, String detail) {}

    static final String CPU = "{\"kind\":\"cpu\",\"instance\":\"host-x:9100\",\"cloud_project_name\":\"IDAaaS\","
            + "\"machine_name\":\"Muon\",";
    static final List<PoisonLine> LINES = List.of(
            new PoisonLine(
                    CPU + "\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":300,\"busy_cpu_seconds\":1e308,"
                            + "\"idle_cpu_seconds\":0}",
                    "invalid",
                    "busy_cpu_seconds"),
            new PoisonLine(
                    CPU + "\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":1e11,\"busy_cpu_seconds\":1,"
                            + "\"idle_cpu_seconds\":1}",
                    "invalid",
                    "period_seconds"),
            new PoisonLine(
                    CPU + "\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":1e8,\"busy_cpu_seconds\":1,"
                            + "\"idle_cpu_seconds\":1}",
                    "invalid",
                    "period_seconds"),
            new PoisonLine(
                    CPU + "\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":9.3e15,\"busy_cpu_seconds\":1,"
                            + "\"idle_cpu_seconds\":1}",
                    "invalid",
                    "period_seconds"),
            new PoisonLine(
                    CPU + "\"ts\":\"9999-12-31T00:00Z\",\"period_seconds\":300,\"busy_cpu_seconds\":1,"
                            + "\"idle_cpu_seconds\":1}",
                    "invalid",
                    "wall clock"),
            new PoisonLine(
                    CPU + "\"ts\":\"+999999999-12-31T00:00:00Z\",\"period_seconds\":300,\"busy_cpu_seconds\":1,"
                            + "\"idle_cpu_seconds\":1}",
                    "invalid",
                    "wall clock"),
            new PoisonLine(
                    "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\",\"to\":\"2025-09-11T10:30Z\","
                            + "\"forecast\":1e6,\"actual\":null,\"index\":\"high\"}",
                    "invalid",
                    "forecast"),
            new PoisonLine(
                    "{\"kind\":\"cpu\",\"instance\":\"host-x:9100\",\"cloud_project_name\":\"IDAaaS\","
                            + "\"machine_name\":\"Mu\\u001b[2Jon\",\"ts\":\"2025-09-11T10:00Z\",\"period_seconds\":300,"
                            + "\"busy_cpu_seconds\":1,\"idle_cpu_seconds\":1}",
                    "invalid",
                    "control character"),
            new PoisonLine(
                    "{\"kind\":\"user\",\"user_id\":\"" + "u".repeat(256) + "\",\"display_name\":null,"
                            + "\"group_name\":null,\"projects\":[]}",
                    "invalid",
                    "255"),
            new PoisonLine(
                    "{\"kind\":\"workspace\",\"workspace_key\":\"w-old\",\"instance\":\"host-x:9100\","
                            + "\"owner\":\"aa1\",\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
                            + "\"created_time\":\"1990-01-01T00:00Z\",\"deleted_time\":null}",
                    "invalid",
                    "created_time"));

    @Test
    void poisonLinesThroughLoadAreDeadLetteredAndTheRestIsAppliedAsWithoutThem() {
        List<String> lines = new ArrayList<>(E2e.lines(valid));
        List<String> withPoison = new ArrayList<>(lines.subList(0, lines.size() / 2));
        LINES.forEach(p -> withPoison.add(p.json()));
        withPoison.addAll(lines.subList(lines.size() / 2, lines.size()));
        Path file = E2e.write(tmp.resolve("poisoned.jsonl"), withPoison);
        Path db = tmp.resolve("lines.db");

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("lines-broker"))) {
            E2e.CliRun run = E2e.cli(
                    "load",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--db",
                    db,
                    "--data-dir",
                    tmp.resolve("lines-state"),
                    file);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.summary()).contains(LINES.size() + " rejected");

            List<DeadLetterTopic.Letter> letters = DeadLetterTopic.readAll(broker.bootstrapServers());
            assertThat(letters).hasSize(LINES.size());
            for (PoisonLine poison : LINES) {
                assertThat(letters)
                        .as("the dead letter of %s", poison.json())
                        .filteredOn(l -> new String(l.original(), StandardCharsets.UTF_8).equals(poison.json()))
                        .singleElement()
                        .satisfies(l -> {
                            assertThat(l.reason()).isEqualTo(poison.reason());
                            assertThat(l.detail()).contains(poison.detail());
                        });
            }
        }
        Snapshots.assertSame("loaded with poison lines", withoutPoison, Snapshots.of(db));
    }

    /** A record put on a topic as it is, and the reason it must be dead-lettered with. */
    record PoisonRecord(String topic, byte[] key, byte[] value, String reason) {}

    @Test
    void poisonRecordsOnEveryRawAndOutputTopicAreDeadLetteredAndTheRestIsAppliedAsWithoutThem() throws Exception {
        Instant t = START.plusSeconds(36_000);
        byte[] garbage = "hello, aggregator".getBytes(StandardCharsets.UTF_8);
        List<PoisonRecord> poison = List.of(
                new PoisonRecord(
                        Topics.RAW_CPU,
                        null,
                        AdaSerdes.CPU_EVENT.serialize(
                                null, new CpuEvent("host-x:9100", "IDAaaS", "Muon", t, 300L, 1e308, 0.0)),
                        "invalid"),
                new PoisonRecord(
                        Topics.RAW_CPU,
                        null,
                        AdaSerdes.CPU_EVENT.serialize(
                                null, new CpuEvent("host-x:9100", "IDAaaS", "Muon", t, 100_000_000_000L, 1.0, 1.0)),
                        "invalid"),
                new PoisonRecord(
                        Topics.RAW_CPU,
                        null,
                        AdaSerdes.CPU_EVENT.serialize(
                                null,
                                new CpuEvent(
                                        "host-x:9100",
                                        "IDAaaS",
                                        "Muon",
                                        Instant.parse("9999-12-31T00:00:00Z"),
                                        300L,
                                        1.0,
                                        1.0)),
                        "invalid"),
                new PoisonRecord(Topics.RAW_CPU, null, garbage, "malformed"),
                new PoisonRecord(Topics.RAW_CPU, "host-x".getBytes(StandardCharsets.UTF_8), null, "malformed"),
                new PoisonRecord(
                        Topics.RAW_CPU,
                        null,
                        lengthBomb(AdaSerdes.CPU_EVENT.serialize(
                                null, new CpuEvent("host-x:9100", "IDAaaS", "Muon", t, 300L, 1.0, 1.0))),
                        "malformed"),
                new PoisonRecord(
                        Topics.RAW_INTENSITY,
                        null,
                        AdaSerdes.INTENSITY_EVENT.serialize(
                                null, new IntensityEvent(t, t.plusSeconds(1800), 1e6, null, "high", null)),
                        "invalid"),
                new PoisonRecord(Topics.RAW_INTENSITY, null, garbage, "malformed"),
                new PoisonRecord(
                        Topics.RAW_WORKSPACE,
                        null,
                        lengthBomb(AdaSerdes.WORKSPACE_EVENT.serialize(
                                null, new WorkspaceEvent("w-x", "host-x:9100", "aa1", "IDAaaS", "Muon", START, null))),
                        "malformed"),
                new PoisonRecord(
                        Topics.RAW_WORKSPACE,
                        null,
                        AdaSerdes.WORKSPACE_EVENT.serialize(
                                null,
                                new WorkspaceEvent(
                                        "w-x", "host-x:9100", "aa\u001b]0;pwned\u0007", "IDAaaS", "Muon", START, null)),
                        "invalid"),
                new PoisonRecord(
                        Topics.RAW_USER,
                        null,
                        lengthBomb(AdaSerdes.USER_EVENT.serialize(null, new UserEvent("aa1", null, null, List.of()))),
                        "malformed"),
                new PoisonRecord(Topics.FACTS, garbage, garbage, "malformed"),
                new PoisonRecord(
                        Topics.FACTS,
                        AdaSerdes.FACT_ID.serialize(null, new FactId("ada", t, null)),
                        AdaSerdes.FACT.serialize(
                                null,
                                new Fact(
                                        "ada",
                                        t,
                                        null,
                                        Double.NaN,
                                        1.0,
                                        1.0,
                                        1.0,
                                        1.0,
                                        1.0,
                                        1.0,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)),
                        "invalid"),
                new PoisonRecord(
                        Topics.FACTS,
                        lengthBomb(AdaSerdes.FACT_ID.serialize(null, new FactId("project", t, "IDAaaS"))),
                        null,
                        "malformed"),
                new PoisonRecord(Topics.SLOT_INTENSITY, garbage, garbage, "malformed"),
                new PoisonRecord(
                        Topics.WORKSPACES,
                        "w-x".getBytes(StandardCharsets.UTF_8),
                        lengthBomb(AdaSerdes.WORKSPACE_EVENT.serialize(
                                null, new WorkspaceEvent("w-x", "host-x:9100", "aa1", "IDAaaS", "Muon", START, null))),
                        "malformed"),
                new PoisonRecord(
                        Topics.USERS,
                        "aa1".getBytes(StandardCharsets.UTF_8),
                        lengthBomb(AdaSerdes.USER_EVENT.serialize(null, new UserEvent("aa1", null, null, List.of()))),
                        "malformed"),
                new PoisonRecord(
                        Topics.CPU_LABELS,
                        garbage,
                        AdaSerdes.CPU_LABEL.serialize(null, new CpuLabel("host-x:9100", "IDAaaS", "M".repeat(300))),
                        "invalid"));
        Path db = tmp.resolve("records.db");

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("records-broker"))) {
            TopicProvisioning.ensure(broker.bootstrapServers());
            List<RecordMetadata> sent = send(broker.bootstrapServers(), poison);
            E2e.CliRun run = E2e.cli(
                    "load",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--db",
                    db,
                    "--data-dir",
                    tmp.resolve("records-state"),
                    valid);
            assertThat(run.exitCode()).as(run.stderr()).isZero();

            List<DeadLetterTopic.Letter> letters = DeadLetterTopic.readAll(broker.bootstrapServers());
            assertThat(letters).hasSize(poison.size());
            for (int i = 0; i < poison.size(); i++) {
                PoisonRecord p = poison.get(i);
                RecordMetadata at = sent.get(i);
                assertThat(letters)
                        .as("the dead letter of record %d, on %s", i, p.topic())
                        .filteredOn(l -> l.source().equals(at.topic())
                                && l.partition().equals(Integer.toString(at.partition()))
                                && l.offset().equals(Long.toString(at.offset())))
                        .singleElement()
                        .satisfies(l -> {
                            assertThat(l.reason()).isEqualTo(p.reason());
                            assertThat(l.original()).isEqualTo(p.value());
                        });
            }
        }
        Snapshots.assertSame("loaded after poison records", withoutPoison, Snapshots.of(db));
    }

    /**
     * SPEC 2.7's reason {@code error}: applying one event fails halfway (after its first piece is counted, before
     * its second), for no reason a rule foresaw. It is dead-lettered, its half is undone, the pipeline goes on.
     */
    @Test
    void anEventWhoseAccountingFailsHalfwayIsDeadLetteredWithErrorAndLeavesNoTrace() throws Exception {
        String poisonHost = "host-poison:9100";
        Instant slotBoundary = START.plusSeconds(10 * 3600 + 1800);
        CpuEvent acrossTwoSlots =
                new CpuEvent(poisonHost, "IDAaaS", "Muon", slotBoundary.minusSeconds(300), 600L, 120.0, 480.0);
        AtomicInteger injected = new AtomicInteger();
        PieceObserver failOnSecondPiece = piece -> {
            if (piece.instance().equals(poisonHost) && piece.slotStart() == slotBoundary.toEpochMilli()) {
                injected.incrementAndGet();
                throw new IllegalStateException("injected failure");
            }
        };
        Path db = tmp.resolve("error.db");

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("error-broker"));
                Admin admin = Cluster.admin(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioning.ensure(bootstrap);
            try (EventPublisher publisher = EventPublisher.connect(bootstrap)) {
                var ingest = new JsonLinesIngest(publisher);
                List<String> lines = E2e.lines(valid);
                ingest.ingest(E2e.write(tmp.resolve("first-half.jsonl"), lines.subList(0, lines.size() / 2)));
                publisher.publish(acrossTwoSlots);
                ingest.ingest(
                        E2e.write(tmp.resolve("second-half.jsonl"), lines.subList(lines.size() / 2, lines.size())));
                publisher.flush();
            }
            try (AggregatorService aggregator = new AggregatorService(
                            AccountingConfig.defaults(),
                            AggregatorSettings.of(bootstrap, tmp.resolve("error-streams")),
                            Topics.Outputs.LIVE,
                            failOnSecondPiece);
                    SinkService sink = new SinkService(bootstrap, db)) {
                Thread sinkLoop = new Thread(sink::runUntilStopped, "sink");
                aggregator.start();
                sinkLoop.start();
                new Quiescence(
                                admin,
                                AggregatorSettings.DEFAULT_APPLICATION_ID,
                                Topics.RAW,
                                Topics.OUTPUT,
                                sink::storedOffsets)
                        .await(
                                Duration.ofMinutes(3),
                                () -> aggregator.state().isRunningOrRebalancing() && sinkLoop.isAlive());

                assertThat(injected.get())
                        .as("failures injected: once, then the record was skipped")
                        .isEqualTo(1);
                assertThat(aggregator.poisonRecords()).isEqualTo(1);
                assertThat(aggregator.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(aggregator.threadFaultWithin(Duration.ofMinutes(10)))
                        .as("a fault of the process")
                        .isEmpty();
                assertThat(sinkLoop.isAlive()).isTrue();
                assertThat(sink.failure()).isEmpty();
            }
            assertThat(DeadLetterTopic.readAll(bootstrap)).singleElement().satisfies(l -> {
                assertThat(l.reason()).isEqualTo("error");
                assertThat(l.detail()).contains("injected failure");
                assertThat(l.original()).isEqualTo(AdaSerdes.CPU_EVENT.serialize(null, acrossTwoSlots));
            });
        }
        Snapshots.assertSame("with one event failing halfway", withoutPoison, Snapshots.of(db));
    }

    private static List<RecordMetadata> send(String bootstrap, List<PoisonRecord> records) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class);
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (PoisonRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()))
                        .get());
            }
        }
        return sent;
    }

    /** The record with its first string's length claiming 2 GB (Avro would allocate that much to read it). */
    static byte[] lengthBomb(byte[] valid) {
        byte[] claim = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}; // zig-zag varint of 2^31 - 8
        byte[] out = Arrays.copyOf(valid, valid.length + claim.length - 1);
        System.arraycopy(valid, 11, out, 10 + claim.length, valid.length - 11);
        System.arraycopy(claim, 0, out, 10, claim.length);
        return out;
    }
}

package ada.carbon.aggregator.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.TopicEnds;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.Quiescence;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * SPEC 2.6 and 2.8: the order and duplicates property of {@link OrderAndDuplicatesPropertyTest}, through a real
 * broker on raw topics of four partitions, two stream threads: hosts spread over partitions, a workspace moving
 * between hosts of different partitions, every bucket's sums combined from several. Each history goes through in
 * generation order and shuffled with duplicates, and must equal what the oracle computes from SPEC section 2.
 * Fewer tries than the topology test (each is a few seconds of broker round trips); the histories are the same kind.
 */
class PartitionedOracleTest {
    private static final int PARTITIONS = 4;
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static Path dir;
    private static EmbeddedBroker broker;

    @BeforeContainer
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("partitioned-oracle");
        broker = EmbeddedBroker.start(dir.resolve("broker"));
    }

    @AfterContainer
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return new OrderAndDuplicatesPropertyTest().scenarios();
    }

    @Property(tries = 3, edgeCases = EdgeCasesMode.NONE)
    void factsAreAFunctionOfTheSetOfEventsOnFourPartitions(@ForAll("scenarios") Scenario scenario) throws Exception {
        SpecOracle oracle = new SpecOracle(scenario.config());
        check("in generation order", scenario, scenario.events(), oracle);
        check("shuffled with duplicates", scenario, scenario.permuted(), oracle);
    }

    private static void check(String what, Scenario scenario, List<Object> events, SpecOracle oracle) throws Exception {
        SpecOracle.Expected expected = oracle.compute(events);
        String run = "oracle-" + RUNS.incrementAndGet();
        Topics.Outputs outputs = Topics.Outputs.ofRun(run);
        try (Admin admin = Cluster.admin(broker.bootstrapServers())) {
            freshRawTopics(admin);
            admin.createTopics(outputs.layout(PARTITIONS)).all().get();
            publishInOrder(events);
            String applicationId = "ada-carbon-" + run;
            try (AggregatorService aggregator = new AggregatorService(
                            scenario.config(),
                            AggregatorSettings.of(broker.bootstrapServers(), dir.resolve(run))
                                    .withApplicationId(applicationId)
                                    .withThreads(2),
                            outputs)
                    .start()) {
                new Quiescence(admin, applicationId, Topics.RAW, List.of(), Map::of)
                        .await(
                                Duration.ofMinutes(2),
                                () -> aggregator.state().isRunningOrRebalancing()
                                        || aggregator.state() == org.apache.kafka.streams.KafkaStreams.State.CREATED);
            }
            Agreement.assertAgree(what + " on " + PARTITIONS + " partitions", expected, facts(outputs), slots(outputs));
        }
    }

    /** The raw topics as new, with {@value #PARTITIONS} partitions each. */
    private static void freshRawTopics(Admin admin) throws Exception {
        var existing = admin.listTopics().names().get();
        var raw = Topics.RAW.stream().filter(existing::contains).toList();
        if (!raw.isEmpty()) {
            admin.deleteTopics(raw).all().get();
            while (admin.listTopics().names().get().stream().anyMatch(raw::contains)) {
                Thread.sleep(100);
            }
        }
        while (true) {
            try {
                admin.createTopics(Topics.layout(PARTITIONS).stream()
                                .filter(t -> Topics.RAW.contains(t.name()))
                                .toList())
                        .all()
                        .get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e; // a deletion still under way is the only reason to try again
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Keyed as SPEC 2.8 says, each record stamped a millisecond after the one before: a producer's order, which
     * orders a workspace's versions on different partitions as the oracle's list does.
     */
    private static void publishInOrder(List<Object> events) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class);
        long stamp = System.currentTimeMillis() - events.size();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (Object e : events) {
                SpecificRecord event = (SpecificRecord) e;
                EventKind kind = EventKind.of(event);
                producer.send(new ProducerRecord<>(
                                kind.topic(),
                                null,
                                stamp++,
                                kind.key(event).getBytes(StandardCharsets.UTF_8),
                                kind.serialize(event)))
                        .get();
            }
        }
    }

    private static Map<SpecOracle.FactKey, SpecOracle.FactRow> facts(Topics.Outputs outputs) {
        Map<SpecOracle.FactKey, SpecOracle.FactRow> out = new HashMap<>();
        readTable(outputs.facts()).forEach((k, v) -> {
            FactId id = AdaSerdes.FACT_ID.deserialize(outputs.facts(), k.bytes());
            Fact f = AdaSerdes.FACT.deserialize(outputs.facts(), v);
            if (f != null) {
                out.put(
                        new SpecOracle.FactKey(id.getScope(), id.getTs().toEpochMilli(), id.getEntity()),
                        SpecOracle.FactRow.of(f));
            }
        });
        return out;
    }

    private static Map<Long, SpecOracle.SlotRow> slots(Topics.Outputs outputs) {
        Map<Long, SpecOracle.SlotRow> out = new HashMap<>();
        readTable(outputs.slotIntensity()).forEach((k, v) -> {
            SlotId id = AdaSerdes.SLOT_ID.deserialize(outputs.slotIntensity(), k.bytes());
            SlotIntensity s = AdaSerdes.SLOT_INTENSITY.deserialize(outputs.slotIntensity(), v);
            if (s != null) {
                out.put(id.getTs().toEpochMilli(), SpecOracle.SlotRow.of(s));
            }
        });
        return out;
    }

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** A compacted output topic as the sink would hold it: the latest value of each key, null for a deleted row. */
    private static Map<Key, byte[]> readTable(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        Map<Key, byte[]> table = new HashMap<>();
        try (Admin admin = Cluster.admin(broker.bootstrapServers());
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            Map<TopicPartition, Long> ends = TopicEnds.of(admin, List.of(topic), IsolationLevel.READ_COMMITTED);
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).as("%s read to its end", topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    table.put(new Key(r.key()), r.value());
                }
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read " + topic, e);
        }
        return table;
    }
}

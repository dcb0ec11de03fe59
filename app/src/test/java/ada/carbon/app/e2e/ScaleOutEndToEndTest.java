package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.aggregator.CarbonTopology;
import ada.carbon.aggregator.read.HostPartitions;
import ada.carbon.app.Main;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.JsonLinesIngest;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.TopicProvisioning;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.Quiescence;
import ada.carbon.stack.broker.ChildJvm;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 2.8 through the broker: the database is the same however the raw topics are partitioned, however
 * the aggregator's work is spread over instances, whatever happens to one of them, and however another
 * producer keyed its records. Each run is compared with a one-partition, one-thread reference run.
 */
class ScaleOutEndToEndTest {
    private static final Instant START = Instant.parse("2025-09-11T00:00:00Z");
    private static final int PARTITIONS = 4;

    @TempDir
    static Path tmp;

    static Path events;
    static Map<String, List<List<Object>>> onePartition;

    @BeforeAll
    static void referenceRun() {
        var simulator = new PlatformSimulator(
                SimulatorConfig.defaults().withHosts(12).withDays(2).withStart(START));
        List<String> lines = new ArrayList<>();
        simulator.forEach(event -> lines.add(JsonEvents.toJson(event)));
        events = E2e.write(tmp.resolve("events.jsonl"), lines);
        E2e.CliRun run = E2e.cli(
                "load",
                "--db",
                tmp.resolve("one-partition.db"),
                "--data-dir",
                tmp.resolve("one-partition-state"),
                "--partitions",
                1,
                "--threads",
                1,
                events);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        onePartition = Snapshots.of(tmp.resolve("one-partition.db"));
    }

    @Test
    void recordsAnotherProducerKeyedOtherwiseAreSentToTheirHostsPartitionAndAppliedAlike() throws Exception {
        Path db = tmp.resolve("misrouted.db");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("misrouted-broker"));
                Admin admin = Cluster.admin(broker.bootstrapServers())) {
            TopicProvisioning.ensure(broker.bootstrapServers(), PARTITIONS);
            // Every record on the partition after its own: each cpu, workspace, intensity and user record misrouted.
            Map<String, Object> config = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
                for (String line : E2e.lines(events)) {
                    var event = (ParseResult.Event) JsonEvents.parse(line);
                    EventKind kind = event.kind();
                    int home = HostPartitions.partitionOf(kind.key(event.record()), PARTITIONS);
                    producer.send(new ProducerRecord<>(
                            kind.topic(),
                            (home + 1) % PARTITIONS,
                            ("elsewhere-" + home).getBytes(),
                            kind.serialize(event.record())));
                }
            }
            E2e.CliRun run = E2e.cli(
                    "load",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--db",
                    db,
                    "--data-dir",
                    tmp.resolve("misrouted-state"),
                    "--partitions",
                    PARTITIONS);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            String rerouted =
                    AggregatorSettings.DEFAULT_APPLICATION_ID + "-" + CarbonTopology.REROUTED + "-repartition";
            // What went through the internal topic (its end offsets; transaction markers count too, so at least
            // one record per event: each was misrouted). What the aggregator last committed there may lag behind
            // at its close, so it is no measure.
            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ends.put(new TopicPartition(rerouted, p), OffsetSpec.latest());
            }
            long reroutedWritten = admin.listOffsets(ends).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
            assertThat(reroutedWritten)
                    .as("records written to %s", rerouted)
                    .isGreaterThanOrEqualTo(E2e.lines(events).size());
        }
        Snapshots.assertSame(
                "every record misrouted, on " + PARTITIONS + " partitions", onePartition, Snapshots.of(db));
    }

    @Test
    void twoInstancesShareTheWorkAndOneKilledMidStreamAndRestartedLosesNothing() throws Exception {
        Path db = tmp.resolve("two-instances.db");
        List<String> lines = E2e.lines(events);
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("two-broker"));
                Admin admin = Cluster.admin(broker.bootstrapServers());
                SinkService sink = new SinkService(broker.bootstrapServers(), db)) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioning.ensure(bootstrap, PARTITIONS);
            Thread sinkLoop = new Thread(sink::runUntilStopped, "sink");
            sinkLoop.start();
            List<ChildJvm> aggregators = new ArrayList<>();
            try {
                ChildJvm a = aggregate("a", bootstrap, aggregators);
                ChildJvm b = aggregate("b", bootstrap, aggregators);
                try (EventPublisher publisher = EventPublisher.connect(bootstrap)) {
                    var ingest = new JsonLinesIngest(publisher);
                    ingest.ingest(E2e.write(tmp.resolve("first-half.jsonl"), lines.subList(0, lines.size() / 2)));
                    publisher.flush();
                    awaitFacts(db, Duration.ofMinutes(2));
                    b.kill(); // SIGKILL, mid-stream: no shutdown hook, no commit, no leaving the group
                    ingest.ingest(
                            E2e.write(tmp.resolve("second-half.jsonl"), lines.subList(lines.size() / 2, lines.size())));
                    publisher.flush();
                }
                ChildJvm restarted = aggregate("b-again", bootstrap, aggregators);
                new Quiescence(
                                admin,
                                AggregatorSettings.DEFAULT_APPLICATION_ID,
                                Topics.RAW,
                                Topics.OUTPUT,
                                sink::storedOffsets)
                        .await(Duration.ofMinutes(5), () -> {
                            assertThat(a.problem()).isNull();
                            assertThat(restarted.problem()).isNull();
                            return sinkLoop.isAlive();
                        });
            } finally {
                aggregators.forEach(ChildJvm::close);
            }
        }
        Snapshots.assertSame(
                "two instances on " + PARTITIONS + " partitions, one killed and restarted",
                onePartition,
                Snapshots.of(db));
    }

    /**
     * SPEC 2.6 and 2.8: each partition keeps its own clock, and a bucket is final only once it is final on every
     * partition's. One instance is held back (paused) while the other reads all of its partitions' events, two
     * days, twice the horizon; when it catches up, nothing it sends is late, and the database is the reference's.
     * With one clock over every partition, the held-back partitions' first day would all have been late.
     */
    @Test
    void aPartitionHeldBackKeepsItsBucketsOpenUntilItCatchesUp() throws Exception {
        Path db = tmp.resolve("held-back.db");
        AccountingConfig oneDayHorizon = AccountingConfig.from(Map.of("horizon.days", "1"));
        // The two days without the simulator's forecasts of the day after them: published ahead of the cpu time,
        // as the API forecasts, they would move a clock a day on, to the horizon's edge.
        Instant end = START.plus(Duration.ofDays(2));
        Path twoDays = E2e.write(
                tmp.resolve("held-back.jsonl"),
                E2e.lines(events).stream()
                        .filter(line -> !(JsonEvents.parse(line) instanceof ParseResult.Event e
                                && e.record() instanceof IntensityEvent i
                                && !i.getFrom().isBefore(end)))
                        .toList());
        E2e.CliRun reference = E2e.cli(
                "load",
                "--db",
                tmp.resolve("held-back-reference.db"),
                "--data-dir",
                tmp.resolve("held-back-reference-state"),
                "--config",
                horizonFile(),
                "--partitions",
                1,
                "--threads",
                1,
                twoDays);
        assertThat(reference.exitCode()).as(reference.stderr()).isZero();
        assertThat(reference.summary()).contains(" 0 rejected");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("held-back-broker"));
                Admin admin = Cluster.admin(broker.bootstrapServers());
                SinkService sink = new SinkService(broker.bootstrapServers(), db)) {
            String bootstrap = broker.bootstrapServers();
            TopicProvisioning.ensure(bootstrap, PARTITIONS);
            Thread sinkLoop = new Thread(sink::runUntilStopped, "sink");
            sinkLoop.start();
            try (AggregatorService ahead = inProcess(bootstrap, oneDayHorizon, "ahead");
                    AggregatorService behind = inProcess(bootstrap, oneDayHorizon, "behind")) {
                ahead.start();
                behind.start();
                awaitRunningWithHostTasks(ahead, behind);
                behind.streams().pause();
                try (EventPublisher publisher = EventPublisher.connect(bootstrap)) {
                    new JsonLinesIngest(publisher).ingest(twoDays);
                    publisher.flush();
                }
                // The instance ahead reads its partitions to their ends, two days: twice the horizon.
                Set<Integer> held = hostPartitions(behind);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!rawReadToTheEnd(admin, p -> !held.contains(p))) {
                    assertThat(System.nanoTime())
                            .as("the instance ahead catches up")
                            .isLessThan(deadline);
                    Thread.sleep(500);
                }
                assertThat(rawReadToTheEnd(admin, held::contains))
                        .as("the held-back partitions wait")
                        .isFalse();
                behind.streams().resume();
                BooleanSupplier healthy = () -> ahead.state().isRunningOrRebalancing()
                        && behind.state().isRunningOrRebalancing()
                        && sinkLoop.isAlive();
                new Quiescence(
                                admin,
                                AggregatorSettings.DEFAULT_APPLICATION_ID,
                                Topics.RAW,
                                Topics.OUTPUT,
                                sink::storedOffsets)
                        .await(Duration.ofMinutes(3), healthy);
            }
            assertThat(DeadLetterTopic.readAll(bootstrap)).as("nothing is late").isEmpty();
        }
        Snapshots.assertSame(
                "one instance held back past the horizon, then caught up",
                Snapshots.of(tmp.resolve("held-back-reference.db")),
                Snapshots.of(db));
    }

    private static Path horizonFile() {
        return E2e.write(tmp.resolve("one-day-horizon.properties"), List.of("horizon.days=1"));
    }

    /** An {@code aggregate} process, added to {@code started} so that it is stopped whatever happens. */
    private static ChildJvm aggregate(String name, String bootstrap, List<ChildJvm> started) throws Exception {
        ChildJvm jvm = ChildJvm.start(
                "aggregator-" + name,
                List.of("-Xmx512m"),
                Main.class.getName(),
                List.of(
                        "aggregate",
                        "--bootstrap-servers",
                        bootstrap,
                        "--state-dir",
                        tmp.resolve("streams-" + name.replace("-again", "")).toString(),
                        "--metrics-port",
                        "0",
                        "--partitions",
                        Integer.toString(PARTITIONS),
                        "--threads",
                        "1"),
                tmp.resolve("aggregator-" + name + ".log"));
        started.add(jvm);
        return jvm;
    }

    private static AggregatorService inProcess(String bootstrap, AccountingConfig config, String name) {
        return new AggregatorService(config, AggregatorSettings.of(bootstrap, tmp.resolve("streams-" + name)));
    }

    /** Both instances run, and the one to hold back has host-stage tasks (subtopology 0) to hold. */
    private static void awaitRunningWithHostTasks(AggregatorService ahead, AggregatorService behind)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ahead.state() != KafkaStreams.State.RUNNING
                || behind.state() != KafkaStreams.State.RUNNING
                || hostPartitions(behind).isEmpty()
                || hostPartitions(ahead).isEmpty()) {
            assertThat(System.nanoTime())
                    .as("both instances run, each with host partitions")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The host partitions (the raw topics' partitions) whose host-stage task this instance runs. */
    private static Set<Integer> hostPartitions(AggregatorService instance) {
        Set<Integer> partitions = new java.util.TreeSet<>();
        instance.streams().metadataForLocalThreads().forEach(thread -> {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.taskId().subtopology() == 0) {
                    partitions.add(task.taskId().partition());
                }
            }
        });
        return partitions;
    }

    /** Whether the aggregator has read and committed the raw topics' partitions that {@code which} picks to their ends. */
    private static boolean rawReadToTheEnd(Admin admin, java.util.function.IntPredicate which) throws Exception {
        var ends =
                ada.carbon.kafka.TopicEnds.of(admin, Topics.RAW, org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
        var committed = admin.listConsumerGroupOffsets(AggregatorSettings.DEFAULT_APPLICATION_ID)
                .partitionsToOffsetAndMetadata()
                .get();
        for (var end : ends.entrySet()) {
            if (which.test(end.getKey().partition()) && end.getValue() > 0) {
                var at = committed.get(end.getKey());
                if (at == null || at.offset() < end.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void awaitFacts(Path db, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (!E2e.query(db, "SELECT 1 FROM fact_usage LIMIT 1").isEmpty()) {
                    return;
                }
            } catch (IllegalStateException notYetCreated) {
                // the sink is still creating its tables
            }
            assertThat(System.nanoTime()).as("facts reach the database").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

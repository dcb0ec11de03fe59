package ada.carbon.aggregator;

import static ada.carbon.schemas.AdaSerdes.BYTES;
import static ada.carbon.schemas.AdaSerdes.CPU_LABEL;
import static ada.carbon.schemas.AdaSerdes.FACT;
import static ada.carbon.schemas.AdaSerdes.FACT_ID;
import static ada.carbon.schemas.AdaSerdes.LONG;
import static ada.carbon.schemas.AdaSerdes.SLOT_ID;
import static ada.carbon.schemas.AdaSerdes.SLOT_INTENSITY;
import static ada.carbon.schemas.AdaSerdes.STRING;
import static ada.carbon.schemas.AdaSerdes.USER_EVENT;
import static ada.carbon.schemas.AdaSerdes.WORKSPACE_EVENT;

import ada.carbon.aggregator.bucket.BucketStage;
import ada.carbon.aggregator.codec.BucketChangeSerde;
import ada.carbon.aggregator.codec.RawEventSerde;
import ada.carbon.aggregator.flow.BucketChange;
import ada.carbon.aggregator.flow.BucketOutput;
import ada.carbon.aggregator.flow.HostOutput;
import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.aggregator.flow.RawEvent.Delivery;
import ada.carbon.aggregator.flow.ReadResult;
import ada.carbon.aggregator.flow.Rejected;
import ada.carbon.aggregator.host.ByBucket;
import ada.carbon.aggregator.host.HostStage;
import ada.carbon.aggregator.read.HostPartitions;
import ada.carbon.aggregator.read.ReadRawEvent;
import ada.carbon.aggregator.read.Reroute;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The aggregator: SPEC section 2 as one Kafka Streams topology in two stages, read top to bottom (SPEC 2.8).
 *
 * <ol>
 *   <li><b>Read</b> the raw topics, merged by event time, and check each event; key it by its host (or slot,
 *       or user). An event another producer keyed otherwise is sent once to its own partition; a workspace
 *       record is also sent to every other partition.
 *   <li><b>The host stage</b>, one task per partition of the raw topics: pieces, corrections, tenures and
 *       attribution for the hosts of its partition, its own clock and horizon. It sends on only the sums of
 *       the cells that changed, and its clock, keyed by bucket.
 *   <li><b>The bucket stage</b>, one task per partition of that one internal topic: every partition's sums of
 *       a bucket meet there, become facts with each slot's intensity, and are written out; a bucket is final
 *       once it is final on every partition's clock.
 * </ol>
 * Events cross the broker once; only the sums cross it again. Every operator, store and internal topic is named.
 */
public final class CarbonTopology {
    /** How often each stage sends what changed: the host stage its sums, the bucket stage its facts. */
    public static final Duration EMIT_INTERVAL = HostStage.EMIT_INTERVAL;
    /** The internal topics, as {@code <application.id>-<name>-repartition}. */
    public static final String REROUTED = "rerouted-events";

    public static final String BUCKET_CHANGES = "bucket-changes";

    static final String READ_RAW = "read-raw-events";
    static final String READ_AND_CHECK = "read-and-check";
    static final String ACCOUNT_HOSTS = "account-hosts";
    static final String ACCOUNT_BUCKETS = "account-buckets";
    static final String WRITE_FACTS = "write-facts";
    static final String WRITE_SLOT_INTENSITY = "write-slot-intensity";
    static final String WRITE_WORKSPACES = "write-workspaces";
    static final String WRITE_USERS = "write-users";
    static final String WRITE_CPU_LABELS = "write-cpu-labels";
    static final String WRITE_DEAD_LETTERS = "write-dead-letters";

    private CarbonTopology() {}

    /** The topology of one host partition, the live output topics, nothing observed: for tests. */
    public static Topology build(ada.carbon.core.AccountingConfig accounting) {
        return build(TopologyConfig.of(accounting));
    }

    public static Topology build(TopologyConfig c) {
        StreamsBuilder builder = new StreamsBuilder();
        Topics.Outputs outputs = c.outputs();

        // 1. Every raw event, as bytes, each topic in its order and the four merged by event time; from the start
        //    of each topic when the application has no position yet. Read and checked without state; a record that
        //    cannot be read or breaks a rule is dead-lettered with its original bytes, never thrown at.
        KStream<byte[], byte[]> raw = builder.stream(
                Topics.RAW,
                Consumed.with(BYTES, BYTES)
                        .withTimestampExtractor(new RawEventTime())
                        .withOffsetResetPolicy(AutoOffsetReset.earliest())
                        .withName(READ_RAW));
        Map<String, KStream<String, ReadResult>> read = raw.process(
                        () -> new ReadRawEvent(new HostPartitions(c.hostPartitions())), Named.as(READ_AND_CHECK))
                .split(Named.as("read-"))
                .branch((k, v) -> v instanceof Rejected, Branched.as("rejected"))
                .branch((k, v) -> leavesItsPartition(v), Branched.as("leaving"))
                .defaultBranch(Branched.as("staying"));

        // 2. Events keyed otherwise by another producer go to their own partition, once; a workspace's copies to
        //    every other partition. They join the events that stay, in event-time order.
        KStream<String, RawEvent> arrived = read.get("read-leaving")
                .mapValues(v -> (RawEvent) v, Named.as("read-leaving-events"))
                .repartition(Repartitioned.<String, RawEvent>as(REROUTED)
                        .withKeySerde(STRING)
                        .withValueSerde(RawEventSerde.SERDE)
                        .withStreamPartitioner(new Reroute())
                        .withNumberOfPartitions(c.hostPartitions()));
        KStream<String, RawEvent> events = read.get("read-staying")
                .mapValues(v -> (RawEvent) v, Named.as("read-staying-events"))
                .merge(arrived, Named.as("merge-rerouted-events"));

        // 3. The host stage: pieces, tenures and sums per cell for the hosts of this partition.
        Map<String, KStream<Long, HostOutput>> host = events.process(
                        supplier(
                                () -> new HostStage(
                                        c.accounting(),
                                        new HostPartitions(c.hostPartitions()),
                                        c.poison(),
                                        c.observer()),
                                HostStage.stores()),
                        Named.as(ACCOUNT_HOSTS))
                .split(Named.as("host-"))
                .branch((k, v) -> v instanceof BucketChange, Branched.as("bucket-changes"))
                .branch((k, v) -> v instanceof HostOutput.NewLabel, Branched.as("labels"))
                .branch((k, v) -> v instanceof HostOutput.Workspace, Branched.as("workspaces"))
                .branch((k, v) -> v instanceof HostOutput.User, Branched.as("users"))
                .defaultBranch(Branched.as("rejected"));
        host.get("host-labels")
                .map((k, v) -> pair(((HostOutput.NewLabel) v).label()), Named.as("to-cpu-label-records"))
                .to(outputs.cpuLabels(), Produced.with(CPU_LABEL, CPU_LABEL).withName(WRITE_CPU_LABELS));
        host.get("host-workspaces")
                .map(
                        (k, v) -> {
                            var w = ((HostOutput.Workspace) v).workspace();
                            return KeyValue.pair(w.getWorkspaceKey(), w);
                        },
                        Named.as("to-workspace-records"))
                .to(outputs.workspaces(), Produced.with(STRING, WORKSPACE_EVENT).withName(WRITE_WORKSPACES));
        host.get("host-users")
                .map(
                        (k, v) -> {
                            var u = ((HostOutput.User) v).user();
                            return KeyValue.pair(u.getUserId(), u);
                        },
                        Named.as("to-user-records"))
                .to(outputs.users(), Produced.with(STRING, USER_EVENT).withName(WRITE_USERS));
        deadLetters(
                bytes(read.get("read-rejected"), "read")
                        .merge(bytes(host.get("host-rejected"), "host"), Named.as("merge-rejected")),
                "read-and-host");

        // 4. The bucket stage: every partition's sums of a bucket meet in one task and become its facts.
        Map<String, KStream<Long, BucketOutput>> buckets = host.get("host-bucket-changes")
                .mapValues(v -> (BucketChange) v, Named.as("host-bucket-change-values"))
                .repartition(Repartitioned.<Long, BucketChange>as(BUCKET_CHANGES)
                        .withKeySerde(LONG)
                        .withValueSerde(BucketChangeSerde.SERDE)
                        .withStreamPartitioner(new ByBucket())
                        .withNumberOfPartitions(c.hostPartitions()))
                .process(
                        supplier(
                                () -> new BucketStage(c.accounting(), c.hostPartitions(), c.poison()),
                                BucketStage.stores()),
                        Named.as(ACCOUNT_BUCKETS))
                .split(Named.as("bucket-"))
                .branch((k, v) -> v instanceof BucketOutput.FactRow, Branched.as("facts"))
                .branch((k, v) -> v instanceof BucketOutput.SlotRow, Branched.as("slots"))
                .defaultBranch(Branched.as("rejected"));

        // 5. What changed: facts and fact_intensity rows (null deletes).
        buckets.get("bucket-facts")
                .map(
                        (k, v) -> KeyValue.pair(((BucketOutput.FactRow) v).id(), ((BucketOutput.FactRow) v).fact()),
                        Named.as("to-fact-records"))
                .to(outputs.facts(), Produced.with(FACT_ID, FACT).withName(WRITE_FACTS));
        buckets.get("bucket-slots")
                .map(
                        (k, v) -> KeyValue.pair(((BucketOutput.SlotRow) v).id(), ((BucketOutput.SlotRow) v).row()),
                        Named.as("to-slot-intensity-records"))
                .to(
                        outputs.slotIntensity(),
                        Produced.with(SLOT_ID, SLOT_INTENSITY).withName(WRITE_SLOT_INTENSITY));
        deadLetters(bytes(buckets.get("bucket-rejected"), "bucket"), "bucket");

        Properties optimize = new Properties();
        optimize.put(
                org.apache.kafka.streams.StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG,
                org.apache.kafka.streams.StreamsConfig.OPTIMIZE);
        return builder.build(optimize);
    }

    private static boolean leavesItsPartition(ReadResult v) {
        Delivery d = ((RawEvent) v).delivery();
        return d == Delivery.REROUTE || d == Delivery.BROADCAST;
    }

    /** A stage's dead letters as they are written: the original bytes (the headers say why and whence). */
    private static <K, V> KStream<byte[], byte[]> bytes(KStream<K, V> rejected, String stage) {
        return rejected.map(
                (k, v) -> KeyValue.pair(((Rejected) v).key(), ((Rejected) v).value()),
                Named.as("to-dead-letter-records-" + stage));
    }

    private static void deadLetters(KStream<byte[], byte[]> rejected, String stages) {
        rejected.to(Topics.DEAD_LETTER, Produced.with(BYTES, BYTES).withName(WRITE_DEAD_LETTERS + "-" + stages));
    }

    private static <T> KeyValue<T, T> pair(T keyAndValue) {
        return KeyValue.pair(keyAndValue, keyAndValue);
    }

    /** A processor's supplier that brings its own stores, so that they are connected to it by name. */
    private static <KI, VI, KO, VO> ProcessorSupplier<KI, VI, KO, VO> supplier(
            Supplier<Processor<KI, VI, KO, VO>> make, Set<StoreBuilder<?>> stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<KI, VI, KO, VO> get() {
                return make.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }
}

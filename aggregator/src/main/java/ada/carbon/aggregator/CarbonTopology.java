package ada.carbon.aggregator;

import static ada.carbon.schemas.AdaSerdes.BYTES;
import static ada.carbon.schemas.AdaSerdes.CPU_LABEL;
import static ada.carbon.schemas.AdaSerdes.FACT;
import static ada.carbon.schemas.AdaSerdes.FACT_ID;
import static ada.carbon.schemas.AdaSerdes.HOST_SLOT_ID;
import static ada.carbon.schemas.AdaSerdes.HOST_SLOT_PIECES;
import static ada.carbon.schemas.AdaSerdes.INTENSITY_EVENT;
import static ada.carbon.schemas.AdaSerdes.LONG;
import static ada.carbon.schemas.AdaSerdes.SLOT_ID;
import static ada.carbon.schemas.AdaSerdes.SLOT_INTENSITY;
import static ada.carbon.schemas.AdaSerdes.STRING;
import static ada.carbon.schemas.AdaSerdes.USER_EVENT;
import static ada.carbon.schemas.AdaSerdes.WORKSPACE_EVENT;

import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator: SPEC section 2 as one Kafka Streams topology, read top to bottom.
 *
 * <p>The four raw topics are read as one ordered stream by one processor ({@link AccountingProcessor}),
 * which validates each event, applies it to its state and writes what changed. There is no repartition:
 * every fact sums over hosts, and the horizon is one clock, so the accounting is one task; the events
 * cross the broker once on the way in, and only the changed facts on the way out, with no internal topic
 * to pay for (BENCHMARKS.md has the figures). The raw topics therefore have one partition
 * ({@link AggregatorService} refuses others).
 */
public final class CarbonTopology {
    /** How often the changed facts and slots are written out. */
    public static final Duration EMIT_INTERVAL = AccountingProcessor.EMIT_INTERVAL;
    static final String READ_RAW = "read-raw-events";
    static final String ACCOUNT = "account";
    static final String WRITE_FACTS = "write-facts";
    static final String WRITE_SLOT_INTENSITY = "write-slot-intensity";
    static final String WRITE_WORKSPACES = "write-workspaces";
    static final String WRITE_USERS = "write-users";
    static final String WRITE_CPU_LABELS = "write-cpu-labels";
    static final String WRITE_DEAD_LETTERS = "write-dead-letters";

    private CarbonTopology() {}

    public static Topology build(AccountingConfig config) {
        return build(config, Topics.Outputs.LIVE);
    }

    /** @param outputs where the results go: the live topics, or a reprocess run's own */
    public static Topology build(AccountingConfig config, Topics.Outputs outputs) {
        return build(config, outputs, new PoisonRecords(), PieceObserver.NONE);
    }

    /**
     * @param poison the records that failed for a reason no rule foresaw, shared by every task and thread of
     *               the application so that a task restarted without one finds it ({@link PoisonRecords})
     * @param observer told of each piece counted; tests inject failures there
     */
    public static Topology build(AccountingConfig config, Topics.Outputs outputs, PoisonRecords poison,
                                 PieceObserver observer) {
        Topology topology = new Topology();

        // 1. Every raw event, as bytes: a record that cannot be read is dead-lettered with its original
        //    bytes, never thrown at. Each topic in its own order, the four merged by event time; from the
        //    start of each topic when the application has no position yet.
        topology.addSource(AutoOffsetReset.earliest(), READ_RAW, new RawEventTime(), BYTES.deserializer(),
                BYTES.deserializer(),
                Topics.RAW_CPU, Topics.RAW_INTENSITY, Topics.RAW_WORKSPACE, Topics.RAW_USER);

        // 2. The accounting, with its state: pieces per host-slot (the facts are their sums), intensity
        //    readings per slot, workspaces, the newest event time (the horizon), the changes not yet
        //    written, and the cpu labels already passed on.
        topology.addProcessor(ACCOUNT, () -> new AccountingProcessor(config, poison, observer), READ_RAW);
        topology.addStateStore(WriteBackStore.over(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AccountingProcessor.PIECES_STORE), HOST_SLOT_ID, HOST_SLOT_PIECES)),
                ACCOUNT);
        topology.addStateStore(persistent(AccountingProcessor.READINGS_STORE, LONG, INTENSITY_EVENT), ACCOUNT);
        topology.addStateStore(persistent(AccountingProcessor.WORKSPACES_STORE, STRING, WORKSPACE_EVENT), ACCOUNT);
        topology.addStateStore(persistent(HorizonGate.STORE, STRING, LONG), ACCOUNT);
        topology.addStateStore(persistent(AccountingProcessor.UNSENT_FACTS_STORE, FACT_ID, LONG), ACCOUNT);
        topology.addStateStore(persistent(AccountingProcessor.UNSENT_SLOTS_STORE, LONG, LONG), ACCOUNT);
        topology.addStateStore(persistent(AccountingProcessor.CPU_LABELS_STORE, CPU_LABEL, LONG), ACCOUNT);

        // 3. What changed: facts and fact_intensity rows (null deletes), the dimensions' inputs, dead letters.
        topology.addSink(WRITE_FACTS, outputs.facts(), FACT_ID.serializer(), FACT.serializer(), ACCOUNT);
        topology.addSink(WRITE_SLOT_INTENSITY, outputs.slotIntensity(), SLOT_ID.serializer(),
                SLOT_INTENSITY.serializer(), ACCOUNT);
        topology.addSink(WRITE_WORKSPACES, outputs.workspaces(), STRING.serializer(), WORKSPACE_EVENT.serializer(),
                ACCOUNT);
        topology.addSink(WRITE_USERS, outputs.users(), STRING.serializer(), USER_EVENT.serializer(), ACCOUNT);
        topology.addSink(WRITE_CPU_LABELS, outputs.cpuLabels(), CPU_LABEL.serializer(), CPU_LABEL.serializer(),
                ACCOUNT);
        Serializer<byte[]> bytes = BYTES.serializer();
        topology.addSink(WRITE_DEAD_LETTERS, Topics.DEAD_LETTER, bytes, bytes, ACCOUNT);
        return topology;
    }

    /** RocksDB, changelogged, with the record cache in front so repeated updates between commits fold. */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> persistent(String name, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values).withCachingEnabled();
    }
}

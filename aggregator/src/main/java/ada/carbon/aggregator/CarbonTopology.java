package ada.carbon.aggregator;

import static ada.carbon.schemas.AdaSerdes.BUCKET_INTENSITY;
import static ada.carbon.schemas.AdaSerdes.BYTES;
import static ada.carbon.schemas.AdaSerdes.CPU_EVENT;
import static ada.carbon.schemas.AdaSerdes.CPU_LABEL;
import static ada.carbon.schemas.AdaSerdes.CPU_PIECE;
import static ada.carbon.schemas.AdaSerdes.FACT;
import static ada.carbon.schemas.AdaSerdes.FACT_DELTA;
import static ada.carbon.schemas.AdaSerdes.FACT_ID;
import static ada.carbon.schemas.AdaSerdes.FACT_TOTALS_RECORD;
import static ada.carbon.schemas.AdaSerdes.HOST_SLOT_CONTRIBUTIONS;
import static ada.carbon.schemas.AdaSerdes.HOST_SLOT_KEY;
import static ada.carbon.schemas.AdaSerdes.HOST_SLOT_USAGE;
import static ada.carbon.schemas.AdaSerdes.HOST_TENURES;
import static ada.carbon.schemas.AdaSerdes.INTENSITY_EVENT;
import static ada.carbon.schemas.AdaSerdes.LONG;
import static ada.carbon.schemas.AdaSerdes.PIECE_KEY;
import static ada.carbon.schemas.AdaSerdes.PRICED_USAGE;
import static ada.carbon.schemas.AdaSerdes.READING;
import static ada.carbon.schemas.AdaSerdes.SLOT_ID;
import static ada.carbon.schemas.AdaSerdes.SLOT_INTENSITY;
import static ada.carbon.schemas.AdaSerdes.STRING;
import static ada.carbon.schemas.AdaSerdes.TENURE;
import static ada.carbon.schemas.AdaSerdes.USER_EVENT;
import static ada.carbon.schemas.AdaSerdes.WORKSPACE_EVENT;

import ada.carbon.aggregator.validation.Checked;
import ada.carbon.aggregator.validation.Validator;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.avro.internal.BucketIntensity;
import ada.carbon.avro.internal.CpuPiece;
import ada.carbon.avro.internal.FactTotalsRecord;
import ada.carbon.avro.internal.HostSlotContributions;
import ada.carbon.avro.internal.HostSlotKey;
import ada.carbon.avro.internal.HostSlotUsage;
import ada.carbon.avro.internal.HostTenures;
import ada.carbon.avro.internal.PieceKey;
import ada.carbon.avro.internal.PricedUsage;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.Grain;
import ada.carbon.core.HostSlotAccounting;
import ada.carbon.core.InstanceLabel;
import ada.carbon.core.SlotPiece;
import ada.carbon.core.Slots;
import ada.carbon.schemas.EventRules;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator: SPEC section 2 as one Kafka Streams topology, read top to bottom.
 *
 * <p>Every input becomes a table keyed by its identity, so a later event replaces an earlier one. CPU
 * pieces are summed per host-slot, the host-slot is joined to its bucket's intensity and its host's
 * workspace tenures, and what it contributes to each fact goes through a ledger that retracts the old
 * contribution and adds the new one. Facts therefore follow the current set of events, whatever their
 * order, and any late intensity reading or workspace record restates them.
 */
public final class CarbonTopology {
    private CarbonTopology() {}

    public static Topology build(AccountingConfig config) {
        return build(config, Topics.Outputs.LIVE);
    }

    /** @param outputs where the results go: the live topics, or a reprocess run's own */
    public static Topology build(AccountingConfig config, Topics.Outputs outputs) {
        StreamsBuilder builder = new StreamsBuilder();
        Grain grain = config.grain();
        HostSlotAccounting accounting = new HostSlotAccounting(config);

        // 1. Raw events, validated; what cannot be read, breaks a rule or (cpu, intensity) is older than the
        //    horizon behind the newest time seen goes to the dead-letter topic.
        Map<String, KStream<byte[], SpecificRecord>> timed = validatedTimedEvents(builder, config.horizon());
        KStream<byte[], CpuEvent> cpu = timed.get("timed-cpu")
                .mapValues(e -> (CpuEvent) e, Named.as("valid-cpu"));
        KStream<byte[], IntensityEvent> intensity = timed.get("timed-intensity")
                .mapValues(e -> (IntensityEvent) e, Named.as("valid-intensity"));
        KStream<byte[], WorkspaceEvent> workspace = validated(builder, Topics.RAW_WORKSPACE, "workspace",
                () -> Validator.of(WORKSPACE_EVENT, EventRules::check));
        KStream<byte[], UserEvent> user = validated(builder, Topics.RAW_USER, "user",
                () -> Validator.of(USER_EVENT, EventRules::check));

        // 2. CPU time cut into slot pieces, one table row per (event identity, slot): a correction replaces.
        KTable<PieceKey, CpuPiece> pieces = cpu
                .flatMap((k, e) -> slotPieces(e), Named.as("split-cpu-into-slot-pieces"))
                .toTable(Named.as("cpu-pieces"), materialized("cpu-pieces-store", PIECE_KEY, CPU_PIECE));

        // 3. Pieces gathered per host-slot (each kept whole: attribution looks at each piece's start).
        KTable<HostSlotKey, HostSlotUsage> hostSlots = pieces
                .groupBy((k, p) -> KeyValue.pair(hostSlotKey(k, p), p),
                        Grouped.with("cpu-pieces-by-host-slot", HOST_SLOT_KEY, CPU_PIECE))
                .aggregate(Aggregations::emptyUsage, Aggregations::addPiece, Aggregations::subtractPiece,
                        Named.as("host-slot-usage"),
                        materialized("host-slot-usage-store", HOST_SLOT_KEY, HOST_SLOT_USAGE));

        // 4. Intensity: the latest reading per slot, gathered per fact bucket.
        KTable<Long, IntensityEvent> intensityBySlot = intensity
                .selectKey((k, e) -> e.getFrom().toEpochMilli(), Named.as("key-intensity-by-slot"))
                .toTable(Named.as("intensity-by-slot"), materialized("intensity-by-slot-store", LONG, INTENSITY_EVENT));
        KTable<Long, BucketIntensity> intensityByBucket = intensityBySlot
                .groupBy((slot, e) -> KeyValue.pair(grain.bucketStart(slot), StateMapping.reading(e)),
                        Grouped.with("intensity-by-bucket", LONG, READING))
                .aggregate(Aggregations::emptyBucket, Aggregations::putReading, Aggregations::removeReading,
                        Named.as("bucket-intensity"), materialized("bucket-intensity-store", LONG, BUCKET_INTENSITY));

        // 5. Workspaces: the latest record per workspace, gathered per host (case-insensitive).
        KTable<String, WorkspaceEvent> workspaces = workspace
                .selectKey((k, w) -> w.getWorkspaceKey(), Named.as("key-workspace-by-id"))
                .toTable(Named.as("workspaces"), materialized("workspaces-store", STRING, WORKSPACE_EVENT));
        KTable<String, HostTenures> tenuresByHost = workspaces
                .groupBy((id, w) -> KeyValue.pair(InstanceLabel.hostKey(w.getInstance()), StateMapping.tenure(w)),
                        Grouped.with("workspaces-by-host", STRING, TENURE))
                .aggregate(Aggregations::emptyTenures, Aggregations::putTenure, Aggregations::removeTenure,
                        Named.as("host-tenures"), materialized("host-tenures-store", STRING, HOST_TENURES));

        // 6. Each host-slot priced with its bucket's intensity, then attributed by its host's tenures;
        //    an intensity or workspace change re-joins every host-slot it touches.
        KTable<HostSlotKey, PricedUsage> priced = hostSlots.leftJoin(intensityByBucket,
                (key, usage) -> grain.bucketStart(key.getSlot()),
                (usage, bucket) -> new PricedUsage(usage, bucket == null ? List.of() : bucket.getReadings()),
                TableJoined.as("price-host-slots"),
                materialized("priced-host-slots-store", HOST_SLOT_KEY, PRICED_USAGE));
        KTable<HostSlotKey, HostSlotContributions> contributions = priced.leftJoin(tenuresByHost,
                (key, p) -> InstanceLabel.hostKey(key.getInstance()),
                (p, tenures) -> new HostSlotContributions(accounting.contributions(
                                StateMapping.hostSlot(p.getUsage()), StateMapping.readings(p.getReadings()),
                                StateMapping.tenures(tenures))
                        .stream().map(StateMapping::record).toList()),
                TableJoined.as("attribute-host-slots"),
                materialized("host-slot-contributions-store", HOST_SLOT_KEY, HOST_SLOT_CONTRIBUTIONS));

        // 7. The ledger: each change of a host-slot's contributions retracts the old and adds the new,
        //    per fact of every scope; facts are the running sums.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ContributionLedger.STORE), HOST_SLOT_KEY, HOST_SLOT_CONTRIBUTIONS));
        KTable<FactId, FactTotalsRecord> facts = contributions
                .toStream(Named.as("host-slot-contribution-changes"))
                .process(ContributionLedger::new, Named.as("contribution-ledger"), ContributionLedger.STORE)
                .groupByKey(Grouped.with("fact-deltas", FACT_ID, FACT_DELTA))
                .aggregate(Aggregations::emptyTotals, Aggregations::applyDelta, Named.as("fact-totals"),
                        materialized("fact-totals-store", FACT_ID, FACT_TOTALS_RECORD));
        facts.toStream(Named.as("fact-changes"))
                .mapValues(Aggregations::factRow, Named.as("fact-rows"))
                .to(outputs.facts(), Produced.with(FACT_ID, FACT).withName("write-facts"));

        // 8. fact_intensity: every slot with an intensity reading or any CPU time, and the intensity it uses.
        KTable<Long, Long> hostSlotsPerSlot = hostSlots
                .groupBy((key, usage) -> KeyValue.pair(key.getSlot(), 1L), Grouped.with("host-slots-by-slot", LONG, LONG))
                .count(Named.as("host-slots-per-slot"), materialized("host-slots-per-slot-store", LONG, LONG));
        intensityBySlot
                .outerJoin(hostSlotsPerSlot, SlotInputs::new, Named.as("slot-intensity-inputs"))
                .toStream(Named.as("slot-intensity-changes"))
                .map((slot, in) -> KeyValue.pair(new SlotId(Instant.ofEpochMilli(slot)),
                                SlotIntensityRows.row(slot, in == null ? null : in.reading(),
                                        in == null ? null : in.hostSlots(), config.fallbackIntensity())),
                        Named.as("slot-intensity-rows"))
                .to(outputs.slotIntensity(), Produced.with(SLOT_ID, SLOT_INTENSITY).withName("write-slot-intensity"));

        // 9. Dimensions: the latest workspace and user records, and each label cpu events name.
        workspaces.toStream(Named.as("workspace-changes"))
                .to(outputs.workspaces(), Produced.with(STRING, WORKSPACE_EVENT).withName("write-workspaces"));
        user.selectKey((k, u) -> u.getUserId(), Named.as("key-user-by-id"))
                .to(outputs.users(), Produced.with(STRING, USER_EVENT).withName("write-users"));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NewCpuLabels.STORE), CPU_LABEL, LONG));
        cpu.process(NewCpuLabels::new, Named.as("new-cpu-labels"), NewCpuLabels.STORE)
                .to(outputs.cpuLabels(), Produced.with(CPU_LABEL, CPU_LABEL).withName("write-cpu-labels"));

        return builder.build();
    }

    /** What a slot's fact_intensity row is made from: its reading and how many host-slots have CPU in it. */
    private record SlotInputs(IntensityEvent reading, Long hostSlots) {}

    private static <T> KStream<byte[], T> validated(StreamsBuilder builder, String topic, String kind,
                                                    Supplier<Validator<T>> validator) {
        var branches = builder
                .stream(topic, Consumed.with(BYTES, BYTES).withName("read-raw-" + kind))
                .processValues(validator::get, Named.as("validate-" + kind))
                .split(Named.as(kind + "-"))
                .branch((k, checked) -> checked.ok(), Branched.as("valid"))
                .defaultBranch(Branched.as("rejected"));
        deadLetter(branches.get(kind + "-rejected"), kind);
        return branches.get(kind + "-valid").mapValues(Checked::value, Named.as("valid-" + kind));
    }

    /**
     * cpu and intensity in one step, so that one task sees partition p of both topics and keeps one newest
     * time for the horizon.
     */
    private static Map<String, KStream<byte[], SpecificRecord>> validatedTimedEvents(StreamsBuilder builder,
                                                                                   Duration horizon) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Validator.horizonStore()), STRING, LONG));
        var branches = builder
                .stream(List.of(Topics.RAW_CPU, Topics.RAW_INTENSITY),
                        Consumed.with(BYTES, BYTES).withName("read-raw-cpu-and-intensity"))
                .processValues(() -> Validator.<SpecificRecord>withHorizon(
                                topic -> Topics.RAW_CPU.equals(topic) ? CPU_EVENT : INTENSITY_EVENT,
                                e -> e instanceof CpuEvent c ? EventRules.check(c) : EventRules.check((IntensityEvent) e),
                                e -> e instanceof CpuEvent c ? c.getTs().toEpochMilli()
                                        : ((IntensityEvent) e).getFrom().toEpochMilli(),
                                horizon),
                        Named.as("validate-cpu-and-intensity"), Validator.horizonStore())
                .split(Named.as("timed-"))
                .branch((k, checked) -> checked.ok() && checked.value() instanceof CpuEvent, Branched.as("cpu"))
                .branch((k, checked) -> checked.ok(), Branched.as("intensity"))
                .defaultBranch(Branched.as("rejected"));
        deadLetter(branches.get("timed-rejected"), "cpu-and-intensity");
        Map<String, KStream<byte[], SpecificRecord>> valid = new java.util.HashMap<>();
        for (String kind : List.of("timed-cpu", "timed-intensity")) {
            valid.put(kind, branches.get(kind).mapValues(Checked::value, Named.as("value-of-" + kind)));
        }
        return valid;
    }

    private static <T> void deadLetter(KStream<byte[], Checked<T>> rejected, String kind) {
        rejected.mapValues(Checked::original, Named.as("original-bytes-of-rejected-" + kind))
                .to(Topics.DEAD_LETTER, Produced.with(BYTES, BYTES).withName("dead-letter-" + kind));
    }

    private static List<KeyValue<PieceKey, CpuPiece>> slotPieces(CpuEvent e) {
        long ts = e.getTs().toEpochMilli();
        List<SlotPiece> split = Slots.split(ts, e.getPeriodSeconds(), e.getBusyCpuSeconds(), e.getIdleCpuSeconds());
        List<KeyValue<PieceKey, CpuPiece>> out = new ArrayList<>(split.size());
        for (SlotPiece p : split) {
            out.add(KeyValue.pair(new PieceKey(e.getInstance(), ts, e.getPeriodSeconds(), p.slotStart()),
                    new CpuPiece(e.getCloudProjectName(), e.getMachineName(), ts, e.getPeriodSeconds(), p.pieceStart(),
                            p.busySeconds(), p.idleSeconds())));
        }
        return out;
    }

    private static HostSlotKey hostSlotKey(PieceKey key, CpuPiece piece) {
        return new HostSlotKey(key.getInstance(), piece.getCloudProjectName(), piece.getMachineName(), key.getSlot());
    }

    private static <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> materialized(String store, Serde<K> keys,
                                                                                      Serde<V> values) {
        return Materialized.<K, V, KeyValueStore<Bytes, byte[]>>as(store).withKeySerde(keys).withValueSerde(values);
    }
}

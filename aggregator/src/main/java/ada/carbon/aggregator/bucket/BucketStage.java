package ada.carbon.aggregator.bucket;

import ada.carbon.aggregator.PipelineSensors;
import ada.carbon.aggregator.StateStores;
import ada.carbon.aggregator.codec.BucketChangeSerde;
import ada.carbon.aggregator.codec.CellSumsSerde;
import ada.carbon.aggregator.codec.StoreKeys;
import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.aggregator.errors.Rejections;
import ada.carbon.aggregator.flow.BucketChange;
import ada.carbon.aggregator.flow.BucketChange.CellChanged;
import ada.carbon.aggregator.flow.BucketChange.HostCounts;
import ada.carbon.aggregator.flow.BucketChange.PartitionClock;
import ada.carbon.aggregator.flow.BucketChange.SlotReading;
import ada.carbon.aggregator.flow.BucketOutput;
import ada.carbon.aggregator.flow.Origin;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotId;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.BucketPart;
import ada.carbon.core.CellSums;
import ada.carbon.core.ChosenIntensity;
import ada.carbon.core.FactFigures;
import ada.carbon.core.FactKey;
import ada.carbon.core.FactLedger;
import ada.carbon.core.Metrics;
import ada.carbon.core.PartitionClocks;
import ada.carbon.core.Scope;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket stage (SPEC 2.8): one task per partition of the internal topic, where every host partition's
 * changes of a bucket meet. It adds up the partitions' sums of each cell into the facts ({@link FactLedger}),
 * applies each slot's intensity (SPEC 2.3; so an actual replacing a forecast restates a bucket here, without
 * touching the host stage), and writes the changed facts and fact_intensity rows every {@link #EMIT_INTERVAL}.
 *
 * <p>A bucket is final, and its state dropped, only once it is final on every host partition's clock
 * ({@link PartitionClocks}): a partition that is behind (a slow or restarting instance) keeps every bucket it
 * may still send to open, so nothing it sends is ever refused here.
 */
public final class BucketStage implements Processor<Long, BucketChange, Long, BucketOutput> {
    private static final Logger log = LoggerFactory.getLogger(BucketStage.class);
    public static final String PARTS_STORE = "bucket-parts-store";
    /** Each slot's latest reading of each series, national and regional (SPEC 1.2). */
    public static final String READINGS_STORE = "intensity-readings-store";

    public static final String HOSTS_STORE = "bucket-hosts-store";
    public static final String CLOCKS_STORE = "partition-clocks-store";
    public static final String UNSENT_FACTS_STORE = "unsent-facts-store";
    public static final String UNSENT_SLOTS_STORE = "unsent-slots-store";
    /** As often as the host stage sends and the commits go: a restatement reaches the database in about a second. */
    public static final java.time.Duration EMIT_INTERVAL = java.time.Duration.ofMillis(500);

    private final AccountingConfig config;
    private final int hostPartitions;
    private final PoisonRecords poison;
    private final FactLedger ledger;
    private final PartitionClocks clocks;
    private final NavigableMap<Long, SlotReadings> readings = new TreeMap<>();
    /** Changed since last written; mirrored in the unsent stores so a crash cannot lose a change. */
    private final Set<FactKey> unsentFacts = new LinkedHashSet<>();

    private final Set<Long> unsentSlots = new LinkedHashSet<>();

    private ProcessorContext<Long, BucketOutput> context;
    private KeyValueStore<BucketPart, CellSums> parts;
    private KeyValueStore<StoreKeys.SlotSeries, IntensityEvent> readingStore;
    private KeyValueStore<StoreKeys.BucketPartition, BucketChange> hostStore;
    private KeyValueStore<Long, Long> clockStore;
    private KeyValueStore<FactId, Long> unsentFactStore;
    private KeyValueStore<Long, Long> unsentSlotStore;
    private Rejections rejections;
    private Sensor restatements;
    private long prunedBefore = Long.MIN_VALUE;

    /** @param hostPartitions how many host partitions there are: a bucket waits for every one's clock */
    public BucketStage(AccountingConfig config, int hostPartitions, PoisonRecords poison) {
        this.config = config;
        this.hostPartitions = hostPartitions;
        this.poison = poison;
        this.ledger = new FactLedger(config);
        this.clocks = new PartitionClocks(config.restatementHorizon(), hostPartitions);
    }

    /** The stores of this stage, for the topology. */
    public static Set<StoreBuilder<?>> stores() {
        return Set.of(
                StateStores.cached(PARTS_STORE, StoreKeys.BUCKET_PART, CellSumsSerde.SERDE),
                StateStores.cached(READINGS_STORE, StoreKeys.SLOT_SERIES, AdaSerdes.INTENSITY_EVENT),
                StateStores.cached(HOSTS_STORE, StoreKeys.BUCKET_PARTITION, BucketChangeSerde.SERDE),
                StateStores.cached(CLOCKS_STORE, AdaSerdes.LONG, AdaSerdes.LONG),
                StateStores.cached(UNSENT_FACTS_STORE, AdaSerdes.FACT_ID, AdaSerdes.LONG),
                StateStores.cached(UNSENT_SLOTS_STORE, AdaSerdes.LONG, AdaSerdes.LONG));
    }

    @Override
    public void init(ProcessorContext<Long, BucketOutput> context) {
        this.context = context;
        this.parts = context.getStateStore(PARTS_STORE);
        this.readingStore = context.getStateStore(READINGS_STORE);
        this.hostStore = context.getStateStore(HOSTS_STORE);
        this.clockStore = context.getStateStore(CLOCKS_STORE);
        this.unsentFactStore = context.getStateStore(UNSENT_FACTS_STORE);
        this.unsentSlotStore = context.getStateStore(UNSENT_SLOTS_STORE);
        this.rejections = new Rejections(context.metrics());
        this.restatements = PipelineSensors.restatements(context.metrics());
        rebuildFromStores();
        ledger.listen(new FactLedger.Changes() {
            @Override
            public void factChanged(FactKey fact) {
                markFact(fact);
            }

            @Override
            public void slotCpuChanged(long slotStart) {
                markSlot(slotStart);
            }
        });
        context.schedule(EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::writeChanges);
    }

    /** The in-memory views are functions of the stores; after a restart or restore, they are made again. */
    private void rebuildFromStores() {
        try (KeyValueIterator<BucketPart, CellSums> all = parts.all()) {
            all.forEachRemaining(kv -> ledger.put(kv.key.partition(), kv.key.bucketStart(), kv.key.cell(), kv.value));
        }
        try (KeyValueIterator<StoreKeys.SlotSeries, IntensityEvent> all = readingStore.all()) {
            all.forEachRemaining(kv -> readings.computeIfAbsent(kv.key.slotStart(), s -> new SlotReadings())
                    .put(kv.value));
        }
        try (KeyValueIterator<StoreKeys.BucketPartition, BucketChange> all = hostStore.all()) {
            all.forEachRemaining(kv -> {
                HostCounts h = (HostCounts) kv.value;
                ledger.putHosts(h.partition(), h.bucketStart(), h.counts());
            });
        }
        try (KeyValueIterator<Long, Long> all = clockStore.all()) {
            all.forEachRemaining(kv -> clocks.advance(kv.key.intValue(), kv.value));
        }
        try (KeyValueIterator<FactId, Long> all = unsentFactStore.all()) {
            all.forEachRemaining(kv -> unsentFacts.add(factKey(kv.key)));
        }
        try (KeyValueIterator<Long, Long> all = unsentSlotStore.all()) {
            all.forEachRemaining(kv -> unsentSlots.add(kv.key));
        }
    }

    /** Applies one change, or dead-letters it the second time round if it failed ({@link PoisonRecords}). */
    @Override
    public void process(Record<Long, BucketChange> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Origin origin = new Origin(meta.topic(), meta.partition(), meta.offset());
        Optional<String> failedBefore = poison.failureOf(origin);
        if (failedBefore.isPresent()) {
            context.forward(rejections.of(
                    null,
                    null,
                    null,
                    origin,
                    DeadLetter.ERROR,
                    failedBefore.get() + " (" + record.value() + ")",
                    context.currentSystemTimeMs()));
            return;
        }
        try {
            BucketChange change = record.value();
            if (change instanceof CellChanged c) {
                cell(c);
            } else if (change instanceof HostCounts h) {
                hosts(h);
            } else if (change instanceof SlotReading s) {
                reading(s);
            } else if (change instanceof PartitionClock p) {
                clock(p);
            }
        } catch (RuntimeException e) {
            throw poison.failed(origin, e);
        }
    }

    private void cell(CellChanged c) {
        if (c.bucketStart() < prunedBefore) {
            // Cannot happen: a partition sends its clock only after its changes, and a bucket is final here only
            // once every clock says so. Kept out, and said, rather than restating a bucket from one partition.
            log.warn(
                    "a change of final bucket {} from partition {} is ignored",
                    Instant.ofEpochMilli(c.bucketStart()),
                    c.partition());
            return;
        }
        ledger.put(c.partition(), c.bucketStart(), c.cell(), c.sums());
        parts.put(new BucketPart(c.bucketStart(), c.partition(), c.cell()), c.sums());
    }

    private void hosts(HostCounts h) {
        if (h.bucketStart() < prunedBefore) {
            return; // as a cell's change of a final bucket: cannot happen
        }
        ledger.putHosts(h.partition(), h.bucketStart(), h.counts());
        hostStore.put(
                new StoreKeys.BucketPartition(h.bucketStart(), h.partition()),
                h.counts().isEmpty() ? null : h);
    }

    /**
     * The latest reading of the slot in its series. A national one, or one of the configured region (SPEC 2.3),
     * restates the slot's bucket; another region's is only kept, for fact_intensity.
     */
    private void reading(SlotReading s) {
        long slot = s.slotStart();
        if (s.bucketStart() < prunedBefore
                || !readings.computeIfAbsent(slot, x -> new SlotReadings()).put(s.reading())) {
            return;
        }
        readingStore.put(new StoreKeys.SlotSeries(slot, SlotReadings.seriesOf(s.reading())), s.reading());
        markSlot(slot);
        Integer region = s.reading().getRegion();
        if (region != null && !region.equals(config.region())) {
            return;
        }
        Set<FactKey> restated = ledger.factsOfBucket(s.bucketStart());
        restated.forEach(this::markFact);
        if (!restated.isEmpty()) {
            restatements.record();
        }
    }

    private void clock(PartitionClock p) {
        if (p.partition() >= hostPartitions) {
            log.warn(
                    "a clock of partition {}, of {} host partitions, is ignored: were partitions added to the raw"
                            + " topics? Restart the aggregator to take them on",
                    p.partition(),
                    hostPartitions);
            return;
        }
        if (clocks.advance(p.partition(), p.newest())) {
            clockStore.put((long) p.partition(), p.newest());
        }
    }

    private void markFact(FactKey fact) {
        if (unsentFacts.add(fact)) {
            unsentFactStore.put(factId(fact), 1L);
        }
    }

    private void markSlot(long slot) {
        if (unsentSlots.add(slot)) {
            unsentSlotStore.put(slot, 1L);
        }
    }

    private void writeChanges(long now) {
        figuresOfUnsentFacts().forEach((fact, figures) -> {
            FactId id = factId(fact);
            context.forward(new Record<>(
                    null,
                    new BucketOutput.FactRow(
                            id, figures.map(f -> factRow(id, f)).orElse(null)),
                    now));
            unsentFactStore.delete(id);
        });
        unsentFacts.clear();
        for (long slot : unsentSlots) {
            var row = SlotIntensityRows.row(
                    slot, readings.get(slot), config.region(), ledger.hasCpu(slot), config.fallbackIntensity());
            context.forward(
                    new Record<>(null, new BucketOutput.SlotRow(new SlotId(Instant.ofEpochMilli(slot)), row), now));
            unsentSlotStore.delete(slot);
        }
        unsentSlots.clear();
        clocks.firstOpenBucket().ifPresent(this::dropFinalBuckets);
    }

    /**
     * The figures of the facts changed since the last write. Should working them out fail (no input can make
     * it; a fault of this code could), each is worked out alone and those that fail are logged and left
     * unwritten, so that one fact cannot hold back every other from now on.
     */
    private Map<FactKey, Optional<FactFigures>> figuresOfUnsentFacts() {
        try {
            return ledger.figures(unsentFacts, this::intensityOf);
        } catch (RuntimeException e) {
            Map<FactKey, Optional<FactFigures>> figures = new HashMap<>();
            for (FactKey fact : unsentFacts) {
                try {
                    figures.put(fact, ledger.figures(fact, this::intensityOf));
                } catch (RuntimeException failure) {
                    rejections.count(DeadLetter.ERROR);
                    log.error("cannot work out the figures of {}; it is not written", fact, failure);
                    unsentFactStore.delete(factId(fact));
                }
            }
            return figures;
        }
    }

    /**
     * Buckets before {@code open} are final on every host partition (SPEC 2.6): nothing can change them. Their
     * parts and readings are dropped without retracting anything, so written facts keep their figures.
     */
    private void dropFinalBuckets(long open) {
        if (open <= prunedBefore) {
            return;
        }
        // A null put is a delete that does not read the old value first.
        ledger.dropBucketsBefore(open).forEach(part -> parts.put(part, null));
        var oldReadings = readings.headMap(open, false);
        oldReadings.forEach((slot, kept) ->
                kept.series().forEach(series -> readingStore.put(new StoreKeys.SlotSeries(slot, series), null)));
        oldReadings.clear();
        // Keys sort by bucket first: every entry of a bucket before open sorts before (open - 1, any partition).
        java.util.List<StoreKeys.BucketPartition> finalHosts = new java.util.ArrayList<>();
        try (var old = hostStore.range(
                new StoreKeys.BucketPartition(Long.MIN_VALUE, 0),
                new StoreKeys.BucketPartition(open - 1, Integer.MAX_VALUE))) {
            old.forEachRemaining(kv -> finalHosts.add(kv.key));
        }
        finalHosts.forEach(key -> hostStore.put(key, null));
        prunedBefore = open;
    }

    private ChosenIntensity intensityOf(long slot) {
        return SlotIntensityRows.chosen(slot, readings.get(slot), config.region(), config.fallbackIntensity());
    }

    private static FactId factId(FactKey k) {
        return new FactId(k.scope().label(), Instant.ofEpochMilli(k.bucketStart()), k.entity());
    }

    private static FactKey factKey(FactId id) {
        return new FactKey(Scope.fromLabel(id.getScope()), id.getTs().toEpochMilli(), id.getEntity());
    }

    private static Fact factRow(FactId id, FactFigures f) {
        Metrics m = f.metrics();
        FactFigures.EnergyBySource bySource = f.energyBySource();
        return Fact.newBuilder()
                .setScope(id.getScope())
                .setTs(id.getTs())
                .setEntity(id.getEntity())
                .setBusyCpuSecondsTotal(m.busyCpuSeconds())
                .setIdleCpuSecondsTotal(m.idleCpuSeconds())
                .setBusyKwh(m.busyKwh())
                .setIdleKwh(m.idleKwh())
                .setBusyGCo2eq(m.busyGrams())
                .setIdleGCo2eq(m.idleGrams())
                .setIntensityGCo2eqKwh(f.intensity())
                .setEmbodiedGCo2eq(f.embodiedGrams())
                .setKwhActual(bySource.actual())
                .setKwhForecast(bySource.forecast())
                .setKwhRegional(bySource.regional())
                .setKwhFallback(bySource.fallback())
                .setHostSeconds(f.hostSeconds())
                .setHosts(f.hosts())
                .build();
    }
}

package ada.carbon.aggregator;

import static ada.carbon.aggregator.CarbonTopology.WRITE_CPU_LABELS;
import static ada.carbon.aggregator.CarbonTopology.WRITE_DEAD_LETTERS;
import static ada.carbon.aggregator.CarbonTopology.WRITE_FACTS;
import static ada.carbon.aggregator.CarbonTopology.WRITE_SLOT_INTENSITY;
import static ada.carbon.aggregator.CarbonTopology.WRITE_USERS;
import static ada.carbon.aggregator.CarbonTopology.WRITE_WORKSPACES;

import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.aggregator.validation.Checked;
import ada.carbon.aggregator.validation.EventReader;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.ChosenIntensity;
import ada.carbon.core.FactFigures;
import ada.carbon.core.FactKey;
import ada.carbon.core.FactLedger;
import ada.carbon.core.Grain;
import ada.carbon.core.HostSlotId;
import ada.carbon.core.HostSlotPieces;
import ada.carbon.core.HostTenure;
import ada.carbon.core.Metrics;
import ada.carbon.core.OpenPieces;
import ada.carbon.core.Scope;
import ada.carbon.core.SlotPiece;
import ada.carbon.core.Slots;
import ada.carbon.core.TenureRegistry;
import ada.carbon.core.UsagePiece;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.EventRules;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC section 2 over the raw topics, in one task. Every cpu event is cut into slot pieces; each piece is
 * kept per host-slot ({@link OpenPieces}, so a correction finds and replaces it) and counted in the
 * {@link FactLedger}; an intensity reading or a workspace record restates what it touches. Changed facts
 * and slots are written out every {@link #EMIT_INTERVAL}, so a busy hour is written twice a second rather
 * than once per event.
 *
 * <p>State is bounded by the horizon: once a bucket is final its pieces, readings and ended tenures are
 * dropped, and nothing is retracted. The stores are the durable state (changelogged, exactly once); the
 * pieces, the ledger, the tenures and the readings are held in memory, rebuilt from the stores when the
 * task starts, so the hot path only writes stores (the pieces' store at commit, see {@link WriteBackStore}).
 */
final class AccountingProcessor implements Processor<byte[], byte[], Object, Object>, FactLedger.Changes {
    private static final Logger log = LoggerFactory.getLogger(AccountingProcessor.class);
    static final String PIECES_STORE = "host-slot-pieces-store";
    static final String READINGS_STORE = "intensity-readings-store";
    static final String WORKSPACES_STORE = "workspaces-store";
    static final String UNSENT_FACTS_STORE = "unsent-facts-store";
    static final String UNSENT_SLOTS_STORE = "unsent-slots-store";
    static final String CPU_LABELS_STORE = "cpu-labels-seen-store";
    /**
     * How often changed facts go out: as often as the commits (500 ms), so a restatement reaches the
     * database in about a second; and no more often, since in a backfill every fact of the busiest bucket
     * changes all the time and working out a bucket's facts sums all its cells.
     */
    static final Duration EMIT_INTERVAL = Duration.ofMillis(500);

    private static final EventReader<CpuEvent> CPU = new EventReader<>(AdaSerdes.CPU_EVENT_READER, EventRules::check);
    private static final EventReader<IntensityEvent> INTENSITY =
            new EventReader<>(AdaSerdes.INTENSITY_EVENT, EventRules::check);
    private static final EventReader<WorkspaceEvent> WORKSPACE =
            new EventReader<>(AdaSerdes.WORKSPACE_EVENT, EventRules::check);
    private static final EventReader<UserEvent> USER =
            new EventReader<>(AdaSerdes.USER_EVENT, (event, now) -> EventRules.check(event));

    private final AccountingConfig config;
    private final PoisonRecords poison;
    private final PieceObserver observer;
    private final Grain grain;
    private final FactLedger ledger;
    private final TenureRegistry tenures = new TenureRegistry();
    private final NavigableMap<Long, IntensityEvent> readings = new TreeMap<>();
    private final OpenPieces openPieces = new OpenPieces();
    private final LabelStrings strings = new LabelStrings();
    /** The labels passed on (Avro records hash by walking their schema, so a plain record here). */
    private final Set<Label> labelsSeen = new HashSet<>();
    /** Changed since last written; mirrored in the unsent stores so a crash cannot lose a change. */
    private final Set<FactKey> unsentFacts = new LinkedHashSet<>();
    private final Set<Long> unsentSlots = new LinkedHashSet<>();
    private final Map<String, Sensor> rejections = new HashMap<>();

    private ProcessorContext<Object, Object> context;
    private HorizonGate gate;
    private KeyValueStore<HostSlotId, HostSlotPieces> pieces;
    private KeyValueStore<Long, IntensityEvent> readingStore;
    private KeyValueStore<String, WorkspaceEvent> workspaces;
    private KeyValueStore<FactId, Long> unsentFactStore;
    private KeyValueStore<Long, Long> unsentSlotStore;
    private KeyValueStore<CpuLabel, Long> labels;
    private Sensor restatements;
    private long prunedBefore = Long.MIN_VALUE;

    AccountingProcessor(AccountingConfig config, PoisonRecords poison, PieceObserver observer) {
        this.config = config;
        this.poison = poison;
        this.observer = observer;
        this.grain = config.grain();
        this.ledger = new FactLedger(config);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.gate = new HorizonGate(config.restatementHorizon(), context.getStateStore(HorizonGate.STORE));
        this.pieces = context.getStateStore(PIECES_STORE);
        this.readingStore = context.getStateStore(READINGS_STORE);
        this.workspaces = context.getStateStore(WORKSPACES_STORE);
        this.unsentFactStore = context.getStateStore(UNSENT_FACTS_STORE);
        this.unsentSlotStore = context.getStateStore(UNSENT_SLOTS_STORE);
        this.labels = context.getStateStore(CPU_LABELS_STORE);
        this.restatements = PipelineSensors.restatements(context.metrics());
        rebuildFromStores();
        ledger.listen(this);
        context.schedule(EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::writeChanges);
    }

    /** The in-memory views are functions of the stores; after a restart or restore, they are made again. */
    private void rebuildFromStores() {
        try (KeyValueIterator<String, WorkspaceEvent> all = workspaces.all()) {
            all.forEachRemaining(kv -> tenures.put(hostOf(kv.value), tenure(kv.value)));
        }
        try (KeyValueIterator<Long, IntensityEvent> all = readingStore.all()) {
            all.forEachRemaining(kv -> readings.put(kv.key, kv.value));
        }
        try (KeyValueIterator<HostSlotId, HostSlotPieces> all = pieces.all()) {
            all.forEachRemaining(kv -> {
                HostSlotPieces slot = kv.value;
                for (int i = 0; i < slot.size(); i++) { // the labels as the cpu path holds them: one copy each
                    UsagePiece p = slot.get(i);
                    slot.set(i, new UsagePiece(strings.canonical(p.instance()), p.ts(), p.periodSeconds(),
                            strings.canonical(p.project()), strings.canonical(p.machine()), p.slotStart(),
                            p.pieceStart(), p.busySeconds(), p.idleSeconds(), p.owner()));
                }
                openPieces.put(strings.canonical(kv.key.host()), slot);
                slot.pieces().forEach(ledger::add);
            });
        } catch (SerializationException e) {
            throw new IllegalStateException(PIECES_STORE + " holds state this version cannot read (" + e.getMessage()
                    + "): recompute it with `ada-carbon reprocess`, or start from an empty state directory and"
                    + " a new application id", e);
        }
        try (KeyValueIterator<CpuLabel, Long> all = labels.all()) {
            all.forEachRemaining(kv -> labelsSeen.add(new Label(kv.key.getInstance(), kv.key.getCloudProjectName(),
                    kv.key.getMachineName())));
        }
        try (KeyValueIterator<FactId, Long> all = unsentFactStore.all()) {
            all.forEachRemaining(kv -> unsentFacts.add(factKey(kv.key)));
        }
        try (KeyValueIterator<Long, Long> all = unsentSlotStore.all()) {
            all.forEachRemaining(kv -> unsentSlots.add(kv.key));
        }
    }

    /**
     * Applies one raw record, or dead-letters it. A failure no rule foresaw may leave the record half
     * applied, so it fails the task, which starts again from its last commit without it ({@link PoisonRecords}).
     */
    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Optional<String> failedBefore = poison.failureOf(meta);
        if (failedBefore.isPresent()) {
            reject(record, DeadLetter.ERROR, failedBefore.get());
            return;
        }
        try {
            apply(record);
        } catch (RuntimeException e) {
            throw poison.failed(meta, e);
        }
    }

    private void apply(Record<byte[], byte[]> record) {
        switch (topic()) {
            case Topics.RAW_CPU -> cpu(record);
            case Topics.RAW_INTENSITY -> intensity(record);
            case Topics.RAW_WORKSPACE -> workspace(record);
            case Topics.RAW_USER -> user(record);
            default -> reject(record, DeadLetter.MALFORMED, "not a raw topic: " + topic());
        }
    }

    // --- cpu: pieces replaced by identity, counted in the ledger ---

    private void cpu(Record<byte[], byte[]> record) {
        CpuEvent e = readOrReject(CPU, record);
        if (e == null) {
            return;
        }
        long ts = e.getTs().toEpochMilli();
        if (!admitted(record, ts)) {
            return;
        }
        String instance = strings.canonical(e.getInstance());
        String project = strings.canonical(e.getCloudProjectName());
        String machine = strings.canonical(e.getMachineName());
        passOnNewLabel(record, new Label(instance, project, machine), ts);
        String host = strings.hostKey(instance);
        for (SlotPiece p : Slots.split(ts, e.getPeriodSeconds(), e.getBusyCpuSeconds(), e.getIdleCpuSeconds())) {
            UsagePiece piece = new UsagePiece(instance, ts, e.getPeriodSeconds(), project, machine, p.slotStart(),
                    p.pieceStart(), p.busySeconds(), p.idleSeconds(), tenures.ownerAt(host, p.pieceStart()));
            putPiece(host, piece);
        }
    }

    private void putPiece(String host, UsagePiece piece) {
        HostSlotPieces slot = openPieces.getOrAdd(host, piece.slotStart());
        int at = slot.indexOfEvent(piece);
        UsagePiece before = at < 0 ? null : slot.get(at);
        if (piece.equals(before)) {
            return; // a duplicate
        }
        ledger.add(piece);
        observer.counted(piece);
        if (before != null) {
            ledger.retract(before);
            slot.set(at, piece);
            restatements.record();
        } else {
            slot.add(piece);
        }
        pieces.put(new HostSlotId(host, piece.slotStart()), slot); // written out at the next commit
    }

    private void passOnNewLabel(Record<byte[], byte[]> record, Label seen, long ts) {
        if (labelsSeen.add(seen)) {
            CpuLabel label = new CpuLabel(seen.instance(), seen.project(), seen.machine());
            labels.put(label, ts);
            context.forward(record.withKey((Object) label).withValue((Object) label), WRITE_CPU_LABELS);
        }
    }

    // --- intensity: the latest reading per slot; every fact of its bucket is restated ---

    private void intensity(Record<byte[], byte[]> record) {
        IntensityEvent e = readOrReject(INTENSITY, record);
        if (e == null) {
            return;
        }
        long slot = e.getFrom().toEpochMilli();
        if (!admitted(record, slot)) {
            return;
        }
        if (e.equals(readings.get(slot))) {
            return;
        }
        readings.put(slot, e);
        readingStore.put(slot, e);
        markSlot(slot);
        Set<FactKey> restated = ledger.factsOfBucket(grain.bucketStart(slot));
        restated.forEach(this::markFact);
        if (!restated.isEmpty()) {
            restatements.record();
        }
    }

    // --- workspaces: the latest record per workspace; the host's pieces are attributed anew ---

    private void workspace(Record<byte[], byte[]> record) {
        WorkspaceEvent w = readOrReject(WORKSPACE, record);
        if (w == null) {
            return;
        }
        context.forward(record.withKey((Object) w.getWorkspaceKey()).withValue((Object) w), WRITE_WORKSPACES);
        String host = hostOf(w);
        HostTenure now = tenure(w);
        Optional<TenureRegistry.Placed> before = tenures.put(host, now);
        workspaces.put(w.getWorkspaceKey(), w);
        if (before.isPresent() && before.get().host().equals(host) && before.get().tenure().equals(now)) {
            return;
        }
        long since = before.map(b -> Math.min(b.tenure().created(), now.created())).orElse(now.created());
        reattribute(host, since);
        before.filter(b -> !b.host().equals(host)).ifPresent(b -> reattribute(b.host(), b.tenure().created()));
    }

    /** Gives every open piece of the host starting from {@code since} the owner the tenures now say. */
    private void reattribute(String host, long since) {
        OptionalLong open = gate.firstOpenBucket();
        long from = Slots.slotStart(Math.max(since, open.orElse(Long.MIN_VALUE)));
        boolean anyChanged = false;
        for (HostSlotPieces slot : openPieces.from(host, from)) {
            boolean changed = false;
            for (int i = 0; i < slot.size(); i++) {
                UsagePiece p = slot.get(i);
                String owner = tenures.ownerAt(host, p.pieceStart());
                if (!Objects.equals(owner, p.owner())) {
                    ledger.reattribute(p, owner);
                    slot.set(i, p.withOwner(owner));
                    changed = true;
                }
            }
            if (changed) {
                pieces.put(new HostSlotId(host, slot.slotStart()), slot);
                anyChanged = true;
            }
        }
        if (anyChanged) {
            restatements.record();
        }
    }

    // --- users: passed on as they are ---

    private void user(Record<byte[], byte[]> record) {
        UserEvent u = readOrReject(USER, record);
        if (u == null) {
            return;
        }
        context.forward(record.withKey((Object) u.getUserId()).withValue((Object) u), WRITE_USERS);
    }

    // --- what changed goes out; what is final is dropped ---

    @Override
    public void factChanged(FactKey fact) {
        markFact(fact);
    }

    @Override
    public void slotCpuChanged(long slotStart) {
        markSlot(slotStart);
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
            context.forward(new Record<>(id, figures.map(f -> factRow(id, f)).orElse(null), now), WRITE_FACTS);
            unsentFactStore.delete(id);
        });
        unsentFacts.clear();
        ledger.changesTaken();
        for (long slot : unsentSlots) {
            SlotId id = new SlotId(Instant.ofEpochMilli(slot));
            var row = SlotIntensityRows.row(slot, readings.get(slot), ledger.hasCpu(slot), config.fallbackIntensity());
            context.forward(new Record<>(id, row, now), WRITE_SLOT_INTENSITY);
            unsentSlotStore.delete(slot);
        }
        unsentSlots.clear();
        gate.firstOpenBucket().ifPresent(this::dropFinalBuckets);
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
                    rejected(DeadLetter.ERROR);
                    log.error("cannot work out the figures of {}; it is not written", fact, failure);
                    unsentFactStore.delete(factId(fact));
                }
            }
            return figures;
        }
    }

    /**
     * Buckets before {@code open} are final (SPEC 2.6): no admitted event can change them. Their pieces,
     * readings and ended tenures are dropped without retracting anything, so written facts keep their figures.
     */
    private void dropFinalBuckets(long open) {
        if (open <= prunedBefore) {
            return;
        }
        ledger.dropBucketsBefore(open);
        // A null put is a delete that does not read the old value first (delete would, from RocksDB).
        openPieces.dropBefore(open).forEach(id -> pieces.put(id, null));
        var oldReadings = readings.headMap(open, false);
        oldReadings.keySet().forEach(readingStore::delete);
        oldReadings.clear();
        for (String workspace : tenures.endedBy(open)) {
            tenures.remove(workspace);
            workspaces.delete(workspace);
        }
        prunedBefore = open;
    }

    private record Label(String instance, String project, String machine) {}

    private String hostOf(WorkspaceEvent w) {
        return strings.hostKey(strings.canonical(w.getInstance()));
    }

    private ChosenIntensity intensityOf(long slot) {
        return SlotIntensityRows.chosen(slot, readings.get(slot), config.fallbackIntensity());
    }

    // --- rejects ---

    /** The event, or null when it cannot be read or breaks a rule (it is dead-lettered then). */
    private <T> T readOrReject(EventReader<T> reader, Record<byte[], byte[]> record) {
        Checked<T> read = reader.read(topic(), record.value(), context.currentSystemTimeMs());
        if (!read.ok()) {
            reject(record, read.reason(), read.detail());
        }
        return read.value();
    }

    private boolean admitted(Record<byte[], byte[]> record, long eventTime) {
        Optional<String> late = gate.admit(eventTime);
        late.ifPresent(reason -> reject(record, DeadLetter.LATE, reason));
        return late.isEmpty();
    }

    private void reject(Record<byte[], byte[]> record, String reason, String detail) {
        rejected(reason);
        Optional<RecordMetadata> meta = context.recordMetadata();
        var headers = DeadLetter.headers(reason, detail, meta.map(RecordMetadata::topic).orElse("unknown"),
                meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L));
        // Stamped with when it was rejected: the record's timestamp is its event's time (RawEventTime), which
        // may be older than the dead-letter topic's retention.
        context.forward(record.withKey((Object) record.key()).withValue((Object) record.value()).withHeaders(headers)
                .withTimestamp(context.currentSystemTimeMs()), WRITE_DEAD_LETTERS);
    }

    private void rejected(String reason) {
        rejections.computeIfAbsent(reason, r -> PipelineSensors.rejected(context.metrics(), r)).record();
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    // --- between the core's types and the records on the topics ---

    private static HostTenure tenure(WorkspaceEvent w) {
        return new HostTenure(w.getWorkspaceKey(), w.getOwner(), w.getCreatedTime().toEpochMilli(),
                w.getDeletedTime() == null ? null : w.getDeletedTime().toEpochMilli());
    }

    private static FactId factId(FactKey k) {
        return new FactId(k.scope().label(), Instant.ofEpochMilli(k.bucketStart()), k.entity());
    }

    private static FactKey factKey(FactId id) {
        return new FactKey(Scope.fromLabel(id.getScope()), id.getTs().toEpochMilli(), id.getEntity());
    }

    private static Fact factRow(FactId id, FactFigures f) {
        Metrics m = f.metrics();
        return new Fact(id.getScope(), id.getTs(), id.getEntity(), m.busyCpuSeconds(), m.idleCpuSeconds(),
                m.busyKwh(), m.idleKwh(), m.busyGrams(), m.idleGrams(), f.intensity());
    }
}

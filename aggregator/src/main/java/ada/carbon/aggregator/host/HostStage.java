package ada.carbon.aggregator.host;

import ada.carbon.aggregator.PieceObserver;
import ada.carbon.aggregator.PipelineSensors;
import ada.carbon.aggregator.StateStores;
import ada.carbon.aggregator.WriteBackStore;
import ada.carbon.aggregator.codec.HostSlotKeys;
import ada.carbon.aggregator.codec.HostSlotPiecesCodec;
import ada.carbon.aggregator.codec.StoreKeys;
import ada.carbon.aggregator.codec.WorkspaceVersionSerde;
import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.aggregator.errors.Rejections;
import ada.carbon.aggregator.flow.BucketChange;
import ada.carbon.aggregator.flow.HostOutput;
import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.aggregator.read.HostPartitions;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.BucketCell;
import ada.carbon.core.Cell;
import ada.carbon.core.CellLedger;
import ada.carbon.core.Grain;
import ada.carbon.core.HostSlotId;
import ada.carbon.core.HostSlotPieces;
import ada.carbon.core.HostTenure;
import ada.carbon.core.OpenPieces;
import ada.carbon.core.SlotPiece;
import ada.carbon.core.Slots;
import ada.carbon.core.TenureRegistry;
import ada.carbon.core.UsagePiece;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The host stage (SPEC 2.8): one task per host partition, accounting for the hosts whose events are keyed to
 * it. Every cpu event is cut into slot pieces (SPEC 2.2); each piece is kept per host-slot ({@link OpenPieces},
 * so a correction finds and replaces it) and summed per bucket and cell ({@link CellLedger}); a workspace
 * record re-attributes the pieces it touches (SPEC 2.4). Every {@link #EMIT_INTERVAL} the sums of the cells
 * that changed go to the bucket stage, followed by this partition's clock; an intensity reading goes there as
 * it is admitted. Workspace and user records are passed on to the sink.
 *
 * <p>State is bounded by this partition's horizon: once a bucket is final here its pieces and ended tenures
 * are dropped, and nothing is retracted (the bucket stage keeps the sums last sent). The stores are the
 * durable state (changelogged, exactly once); the pieces, the sums and the tenures are held in memory,
 * rebuilt from the stores when the task starts, so the hot path only writes stores (the pieces' store at
 * commit, see {@link WriteBackStore}).
 */
public final class HostStage implements Processor<String, RawEvent, Long, HostOutput> {
    public static final String PIECES_STORE = "host-slot-pieces-store";
    public static final String WORKSPACES_STORE = "workspaces-store";
    public static final String CLOCK_STORE = HorizonGate.STORE;
    public static final String UNSENT_CELLS_STORE = "unsent-cells-store";
    public static final String CPU_LABELS_STORE = "cpu-labels-seen-store";
    /**
     * How often changed sums go to the bucket stage: as often as the commits (500 ms), so a restatement reaches
     * the database in about a second; and no more often, since in a backfill the cells of the busiest bucket
     * change all the time.
     */
    public static final Duration EMIT_INTERVAL = Duration.ofMillis(500);

    private final AccountingConfig config;
    private final HostPartitions partitions;
    private final PoisonRecords poison;
    private final PieceObserver observer;
    private final Grain grain;
    private final CellLedger ledger;
    private final TenureRegistry tenures = new TenureRegistry();
    private final OpenPieces openPieces = new OpenPieces();
    private final LabelStrings strings = new LabelStrings();
    /** The labels passed on (Avro records hash by walking their schema, so a plain record here). */
    private final Set<Label> labelsSeen = new HashSet<>();
    /** Changed since last sent; mirrored in the unsent store so a crash cannot lose a change. */
    private final Set<BucketCell> unsentCells = new LinkedHashSet<>();

    private ProcessorContext<Long, HostOutput> context;
    private int partition;
    private HorizonGate gate;
    private KeyValueStore<HostSlotId, HostSlotPieces> pieces;
    private KeyValueStore<String, WorkspaceVersion> workspaces;
    private KeyValueStore<BucketCell, Long> unsentCellStore;
    private KeyValueStore<CpuLabel, Long> labels;
    private Rejections rejections;
    private Sensor restatements;
    /** The clock last sent to the bucket stage; null: none yet, since this task started. */
    private Long clockSent;

    private long prunedBefore = Long.MIN_VALUE;

    /** @param partitions the host partitions: each workspace is passed on by the one its key belongs to */
    public HostStage(AccountingConfig config, HostPartitions partitions, PoisonRecords poison, PieceObserver observer) {
        this.config = config;
        this.partitions = partitions;
        this.poison = poison;
        this.observer = observer;
        this.grain = config.grain();
        this.ledger = new CellLedger(config);
    }

    /** The stores of this stage, for the topology. */
    public static Set<StoreBuilder<?>> stores() {
        return Set.of(
                WriteBackStore.over(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PIECES_STORE),
                        HostSlotKeys.serde(),
                        HostSlotPiecesCodec.serde())),
                StateStores.cached(WORKSPACES_STORE, AdaSerdes.STRING, WorkspaceVersionSerde.SERDE),
                StateStores.cached(CLOCK_STORE, AdaSerdes.STRING, AdaSerdes.LONG),
                StateStores.cached(UNSENT_CELLS_STORE, StoreKeys.BUCKET_CELL, AdaSerdes.LONG),
                StateStores.cached(CPU_LABELS_STORE, AdaSerdes.CPU_LABEL, AdaSerdes.LONG));
    }

    @Override
    public void init(ProcessorContext<Long, HostOutput> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        this.gate = new HorizonGate(config.restatementHorizon(), context.getStateStore(CLOCK_STORE));
        this.pieces = context.getStateStore(PIECES_STORE);
        this.workspaces = context.getStateStore(WORKSPACES_STORE);
        this.unsentCellStore = context.getStateStore(UNSENT_CELLS_STORE);
        this.labels = context.getStateStore(CPU_LABELS_STORE);
        this.rejections = new Rejections(context.metrics());
        this.restatements = PipelineSensors.restatements(context.metrics());
        rebuildFromStores();
        ledger.listen(this::cellChanged);
        context.schedule(EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sendChanges);
    }

    /** The in-memory views are functions of the stores; after a restart or restore, they are made again. */
    private void rebuildFromStores() {
        try (KeyValueIterator<String, WorkspaceVersion> all = workspaces.all()) {
            all.forEachRemaining(kv -> tenures.put(hostOf(kv.value.workspace()), tenure(kv.value.workspace())));
        }
        try (KeyValueIterator<HostSlotId, HostSlotPieces> all = pieces.all()) {
            all.forEachRemaining(kv -> {
                HostSlotPieces slot = kv.value;
                for (int i = 0; i < slot.size(); i++) { // the labels as the cpu path holds them: one copy each
                    UsagePiece p = slot.get(i);
                    slot.set(
                            i,
                            new UsagePiece(
                                    strings.canonical(p.instance()),
                                    p.ts(),
                                    p.periodSeconds(),
                                    strings.canonical(p.project()),
                                    strings.canonical(p.machine()),
                                    p.slotStart(),
                                    p.pieceStart(),
                                    p.busySeconds(),
                                    p.idleSeconds(),
                                    p.owner()));
                }
                String host = strings.canonical(kv.key.host());
                openPieces.put(host, slot);
                slot.pieces().forEach(p -> ledger.add(host, p));
            });
        } catch (SerializationException e) {
            throw new IllegalStateException(
                    PIECES_STORE + " holds state this version cannot read (" + e.getMessage()
                            + "): recompute it with `ada-carbon reprocess`, or start from an empty state directory and"
                            + " a new application id",
                    e);
        }
        try (KeyValueIterator<CpuLabel, Long> all = labels.all()) {
            all.forEachRemaining(kv -> labelsSeen.add(
                    new Label(kv.key.getInstance(), kv.key.getCloudProjectName(), kv.key.getMachineName())));
        }
        try (KeyValueIterator<BucketCell, Long> all = unsentCellStore.all()) {
            all.forEachRemaining(kv -> unsentCells.add(kv.key));
        }
    }

    /**
     * Applies one raw event, or dead-letters it. A failure no rule foresaw may leave the event half applied,
     * so it fails the task, which starts again from its last commit without it ({@link PoisonRecords}).
     */
    @Override
    public void process(Record<String, RawEvent> record) {
        RawEvent raw = record.value();
        Optional<String> failedBefore = poison.failureOf(raw.origin());
        if (failedBefore.isPresent()) {
            reject(raw, DeadLetter.ERROR, failedBefore.get());
            return;
        }
        try {
            switch (raw.kind()) {
                case CPU -> cpu(record.key(), raw, record.timestamp());
                case INTENSITY -> intensity(raw, record.timestamp());
                case WORKSPACE -> workspace(record.key(), raw, record.timestamp());
                case USER ->
                    context.forward(
                            record.withKey((Long) null).withValue(new HostOutput.User((UserEvent) raw.event())));
            }
        } catch (RuntimeException e) {
            throw poison.failed(raw.origin(), e);
        }
    }

    // --- cpu: pieces replaced by identity, summed per cell ---

    /** @param stamp what the event passes on carries: its time, a time in the future counting as now */
    private void cpu(String hostKey, RawEvent raw, long stamp) {
        CpuEvent e = (CpuEvent) raw.event();
        long ts = e.getTs().toEpochMilli();
        if (!admitted(raw, ts)) {
            return;
        }
        String instance = strings.canonical(e.getInstance());
        String project = strings.canonical(e.getCloudProjectName());
        String machine = strings.canonical(e.getMachineName());
        passOnNewLabel(new Label(instance, project, machine), stamp);
        String host = strings.canonical(hostKey);
        for (SlotPiece p : Slots.split(ts, e.getPeriodSeconds(), e.getBusyCpuSeconds(), e.getIdleCpuSeconds())) {
            UsagePiece piece = new UsagePiece(
                    instance,
                    ts,
                    e.getPeriodSeconds(),
                    project,
                    machine,
                    p.slotStart(),
                    p.pieceStart(),
                    p.busySeconds(),
                    p.idleSeconds(),
                    tenures.ownerAt(host, p.pieceStart()));
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
        ledger.add(host, piece);
        observer.counted(piece);
        if (before != null) {
            ledger.retract(host, before);
            slot.set(at, piece);
            restatements.record();
        } else {
            slot.add(piece);
        }
        pieces.put(new HostSlotId(host, piece.slotStart()), slot); // written out at the next commit
    }

    private void passOnNewLabel(Label seen, long stamp) {
        if (labelsSeen.add(seen)) {
            CpuLabel label = new CpuLabel(seen.instance(), seen.project(), seen.machine());
            labels.put(label, stamp);
            context.forward(new Record<>(null, new HostOutput.NewLabel(label), stamp));
        }
    }

    // --- intensity: admitted here, restated at the bucket stage ---

    private void intensity(RawEvent raw, long stamp) {
        IntensityEvent e = (IntensityEvent) raw.event();
        long slot = e.getFrom().toEpochMilli();
        if (admitted(raw, slot)) {
            long bucket = grain.bucketStart(slot);
            context.forward(new Record<>(bucket, new BucketChange.SlotReading(bucket, slot, e), stamp));
        }
    }

    // --- workspaces: the latest record per workspace, on every partition; the host's pieces are attributed anew ---

    /**
     * Every host partition applies every workspace record (one may move a workspace between partitions), and
     * keeps the latest version of each ({@link WorkspaceVersion}); the partition its key belongs to passes it on,
     * so that the sink reads one workspace's versions from one writer, in order.
     */
    private void workspace(String hostKey, RawEvent raw, long stamp) {
        WorkspaceEvent w = (WorkspaceEvent) raw.event();
        WorkspaceVersion version = WorkspaceVersion.of(raw);
        WorkspaceVersion latest = workspaces.get(w.getWorkspaceKey());
        if (latest != null && !version.replaces(latest)) {
            return; // an earlier version, read after a later one from another partition
        }
        workspaces.put(w.getWorkspaceKey(), version);
        if (partitions.partitionOf(w.getWorkspaceKey()) == partition) {
            context.forward(new Record<>(null, new HostOutput.Workspace(w), stamp));
        }
        String host = strings.canonical(hostKey);
        HostTenure now = tenure(w);
        Optional<TenureRegistry.Placed> before = tenures.put(host, now);
        if (before.isPresent()
                && before.get().host().equals(host)
                && before.get().tenure().equals(now)) {
            return;
        }
        long since =
                before.map(b -> Math.min(b.tenure().created(), now.created())).orElse(now.created());
        reattribute(host, since);
        before.filter(b -> !b.host().equals(host))
                .ifPresent(b -> reattribute(b.host(), b.tenure().created()));
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
                    ledger.reattribute(host, p, owner);
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

    // --- what changed goes to the bucket stage; what is final here is dropped ---

    private void cellChanged(long bucketStart, Cell cell) {
        BucketCell key = new BucketCell(bucketStart, cell);
        if (unsentCells.add(key)) {
            unsentCellStore.put(key, 1L);
        }
    }

    /**
     * Sends the changed cells' sums and their buckets' host counts, then this partition's clock if it moved: the
     * bucket stage sees the clock only after everything this partition admitted before it. Then drops what is
     * final here.
     */
    private void sendChanges(long now) {
        Set<Long> changedBuckets = new LinkedHashSet<>();
        for (BucketCell c : unsentCells) {
            var sums = ledger.sums(c.bucketStart(), c.cell()).orElse(null);
            context.forward(new Record<>(
                    c.bucketStart(), new BucketChange.CellChanged(partition, c.bucketStart(), c.cell(), sums), now));
            unsentCellStore.delete(c);
            changedBuckets.add(c.bucketStart());
        }
        for (long bucket : changedBuckets) {
            context.forward(new Record<>(
                    bucket, new BucketChange.HostCounts(partition, bucket, ledger.hostCounts(bucket)), now));
        }
        unsentCells.clear();
        ledger.changesTaken();
        OptionalLong newest = gate.newest();
        if (newest.isPresent() && (clockSent == null || clockSent != newest.getAsLong())) {
            var clock = new BucketChange.PartitionClock(partition, newest.getAsLong());
            context.forward(new Record<>(clock.bucketStart(), clock, now));
            clockSent = newest.getAsLong();
        }
        gate.firstOpenBucket().ifPresent(this::dropFinalBuckets);
    }

    /**
     * Buckets before {@code open} are final on this partition (SPEC 2.6): no event it admits can change them.
     * Their pieces and ended tenures are dropped without retracting anything.
     */
    private void dropFinalBuckets(long open) {
        if (open <= prunedBefore) {
            return;
        }
        ledger.dropBucketsBefore(open);
        // A null put is a delete that does not read the old value first (delete would, from RocksDB).
        openPieces.dropBefore(open).forEach(id -> pieces.put(id, null));
        List<String> ended = tenures.endedBy(open);
        for (String workspace : ended) {
            tenures.remove(workspace);
            workspaces.delete(workspace);
        }
        prunedBefore = open;
    }

    private record Label(String instance, String project, String machine) {}

    private String hostOf(WorkspaceEvent w) {
        return strings.hostKey(strings.canonical(w.getInstance()));
    }

    // --- rejects ---

    private boolean admitted(RawEvent raw, long eventTime) {
        Optional<String> late = gate.admit(eventTime);
        late.ifPresent(reason -> reject(raw, DeadLetter.LATE, reason));
        return late.isEmpty();
    }

    private void reject(RawEvent raw, String reason, String detail) {
        context.forward(rejections.of(
                (Long) null, raw.key(), raw.value(), raw.origin(), reason, detail, context.currentSystemTimeMs()));
    }

    private static HostTenure tenure(WorkspaceEvent w) {
        return new HostTenure(
                w.getWorkspaceKey(),
                w.getOwner(),
                w.getCreatedTime().toEpochMilli(),
                w.getDeletedTime() == null ? null : w.getDeletedTime().toEpochMilli());
    }
}

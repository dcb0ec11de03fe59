package ada.carbon.core;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The host stage's sums (SPEC 2.8): the pieces of one partition's hosts, summed per bucket and {@link Cell},
 * slot by slot, exactly. Pieces are added and retracted (a correction, a piece attributed to another owner),
 * and the sums depend on the set of pieces only, never on their order. What changed is told per cell, so
 * that only those cells' sums ({@link #sums}) go on to the bucket stage, which adds every partition's up
 * into facts ({@link FactLedger}).
 *
 * <p>A cell is told once per round: after the listener has said it took the changes ({@link #changesTaken}),
 * the next change is told again. A busy cell changes thousands of times a second in a backfill; it is told
 * a few times.
 */
public final class CellLedger {
    /** What a change touched: each cell at least once between two {@link #changesTaken()}. */
    public interface Changes {
        void cellChanged(long bucketStart, Cell cell);

        Changes NONE = (bucketStart, cell) -> {};
    }

    /** A cell's sums, one entry per slot of its bucket (null where no piece falls), and the hosts of its pieces. */
    private static final class CellSlots {
        final SlotEnergy[] slots;
        /** How many of the cell's pieces each host has: its distinct hosts are the keys (SPEC 2.10's hosts). */
        final Map<String, Integer> hostPieces = new HashMap<>(4);
        /** The round in which this cell was last told changed. */
        long toldInRound = -1;

        CellSlots(int slotsPerBucket) {
            slots = new SlotEnergy[slotsPerBucket];
        }
    }

    private final AccountingConfig config;
    private final Grain grain;
    private final int slotsPerBucket;
    private final NavigableMap<Long, Map<Cell, CellSlots>> buckets = new TreeMap<>();
    private Changes changes = Changes.NONE;
    private long round;
    /** The bucket last changed: a backfill adds thousands of pieces to one bucket before the next. */
    private long lastBucketStart = Long.MIN_VALUE;

    private Map<Cell, CellSlots> lastBucket;

    public CellLedger(AccountingConfig config) {
        this.config = config;
        this.grain = config.grain();
        this.slotsPerBucket = grain.slotsPerBucket();
    }

    /** From now on the listener is told of every change (including changes to cells counted before). */
    public void listen(Changes listener) {
        this.changes = listener;
        round++;
    }

    /** The listener has taken (sent) the changes it was told of: the next change of any cell is told again. */
    public void changesTaken() {
        round++;
    }

    /** @param host the piece's host ({@code InstanceLabel.hostKey} of its instance), counted for SPEC 2.10 */
    public void add(String host, UsagePiece piece) {
        apply(host, piece, piece.owner(), +1);
    }

    public void retract(String host, UsagePiece piece) {
        apply(host, piece, piece.owner(), -1);
    }

    /** Moves a piece to the cell of another owner (or of none); its project and machine stay. */
    public void reattribute(String host, UsagePiece piece, String newOwner) {
        if (Objects.equals(piece.owner(), newOwner)) {
            return;
        }
        apply(host, piece, newOwner, +1);
        apply(host, piece, piece.owner(), -1);
    }

    private void apply(String host, UsagePiece piece, String owner, int sign) {
        long bucket = grain.bucketStart(piece.slotStart());
        Cell cell = new Cell(piece.project(), piece.machine(), owner);
        Map<Cell, CellSlots> cells = bucket(bucket);
        CellSlots cellSlots = cells.computeIfAbsent(cell, c -> new CellSlots(slotsPerBucket));
        SlotEnergy[] slots = cellSlots.slots;
        int i = grain.slotIndex(piece.slotStart());
        if (slots[i] == null) {
            slots[i] = new SlotEnergy();
        }
        slots[i].add(piece, config.power().energy(piece.machine(), piece.busySeconds(), piece.idleSeconds()), sign);
        cellSlots.hostPieces.merge(host, sign, (a, b) -> a + b == 0 ? null : a + b);
        if (slots[i].pieces <= 0) {
            slots[i] = null;
            if (isEmpty(slots)) {
                cells.remove(cell);
                if (cells.isEmpty()) {
                    buckets.remove(bucket);
                    lastBucket = null;
                }
            }
        }
        if (cellSlots.toldInRound != round) {
            cellSlots.toldInRound = round;
            changes.cellChanged(bucket, cell);
        }
    }

    private Map<Cell, CellSlots> bucket(long bucketStart) {
        if (lastBucket == null || lastBucketStart != bucketStart) {
            lastBucket = buckets.computeIfAbsent(bucketStart, b -> new HashMap<>());
            lastBucketStart = bucketStart;
        }
        return lastBucket;
    }

    /** The cell's sums now, or empty when no piece of it is left in the bucket. */
    public Optional<CellSums> sums(long bucketStart, Cell cell) {
        Map<Cell, CellSlots> cells = buckets.get(bucketStart);
        CellSlots cellSlots = cells == null ? null : cells.get(cell);
        if (cellSlots == null) {
            return Optional.empty();
        }
        SlotSums[] snapshot = new SlotSums[slotsPerBucket];
        for (int i = 0; i < slotsPerBucket; i++) {
            SlotEnergy e = cellSlots.slots[i];
            if (e != null) {
                snapshot[i] = new SlotSums(
                        e.busySeconds.copy(),
                        e.idleSeconds.copy(),
                        e.busyKwh.copy(),
                        e.idleKwh.copy(),
                        e.hostMillis,
                        e.pieces);
            }
        }
        return Optional.of(new CellSums(snapshot));
    }

    /**
     * How many distinct hosts of this partition each fact of the bucket has pieces of (SPEC 2.10). A host is on
     * one partition only (SPEC 2.8), so the bucket stage adds the partitions' counts up.
     */
    public Map<FactKey, Integer> hostCounts(long bucketStart) {
        Map<Cell, CellSlots> cells = buckets.get(bucketStart);
        if (cells == null) {
            return Map.of();
        }
        Map<FactKey, java.util.Set<String>> hosts = new HashMap<>();
        cells.forEach((cell, slots) -> {
            for (FactKey fact : FactLedger.factsOf(cell, bucketStart)) {
                hosts.computeIfAbsent(fact, f -> new java.util.HashSet<>()).addAll(slots.hostPieces.keySet());
            }
        });
        Map<FactKey, Integer> counts = new HashMap<>();
        hosts.forEach((fact, set) -> counts.put(fact, set.size()));
        return counts;
    }

    /**
     * Forgets every bucket before {@code bucketStart}: they are final on this partition (SPEC 2.6), and the
     * bucket stage keeps the sums last sent.
     */
    public void dropBucketsBefore(long bucketStart) {
        buckets.headMap(bucketStart, false).clear();
        lastBucket = null;
    }

    /** How many cells the ledger holds; bounded by the horizon, not by history. */
    public int cellCount() {
        return buckets.values().stream().mapToInt(Map::size).sum();
    }

    private static boolean isEmpty(SlotEnergy[] slots) {
        for (SlotEnergy e : slots) {
            if (e != null) {
                return false;
            }
        }
        return true;
    }
}

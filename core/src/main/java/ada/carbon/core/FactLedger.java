package ada.carbon.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The facts of every open bucket as sums of the pieces counted toward them (SPEC 2.4, 2.5): each piece
 * adds to the {@code ada}, {@code project} and {@code machine} facts of its bucket and, when it has an
 * owner, to that user's. Pieces are added and retracted (a correction, a piece attributed to another
 * owner), and the sums are exact, so the facts depend on the set of pieces only, never on the order.
 * A new scope starts here: add its fact key in {@link #factsOf}.
 *
 * <p>Pieces are summed per cell, one (project, machine, owner) in one slot, and a fact is the sum of
 * the cells it covers, worked out when it is written. So a piece costs one cell update, whatever the
 * number of scopes, and the scopes add up by construction (SPEC 2.4: ada = Σ project = Σ machine).
 *
 * <p>The ledger tells its {@link Changes} listener which facts and slots each change touches, so that
 * only those are written out. A fact is told once per round: after the listener has said it took the
 * changes ({@link #changesTaken()}), the next change is told again. A busy cell changes thousands of
 * times a second in a backfill; it is told a few times.
 */
public final class FactLedger {
    /** What a change touched: each fact at least once between two {@link #changesTaken()}. */
    public interface Changes {
        void factChanged(FactKey fact);

        /** The slot gained its first piece or lost its last (its {@code fact_intensity} row says so). */
        void slotCpuChanged(long slotStart);

        Changes NONE = new Changes() {
            @Override
            public void factChanged(FactKey fact) {}

            @Override
            public void slotCpuChanged(long slotStart) {}
        };
    }

    /** The pieces of one project, machine type and owner (null: none). */
    private record Cell(String project, String machine, String owner) {}

    /** A cell's sums, one entry per slot of its bucket (null where no piece falls). */
    private static final class CellSlots {
        final SlotEnergy[] slots;
        /** The round in which this cell's facts were last told changed. */
        long toldInRound = -1;

        CellSlots(int slotsPerBucket) {
            slots = new SlotEnergy[slotsPerBucket];
        }
    }

    private final AccountingConfig config;
    private final Grain grain;
    private final int slotsPerBucket;
    private Changes changes = Changes.NONE;
    private long round;
    /** One bucket's cells, and how many pieces fall in each of its slots. */
    private static final class Bucket {
        final Map<Cell, CellSlots> cells = new HashMap<>();
        final long[] piecesPerSlot;

        Bucket(int slotsPerBucket) {
            piecesPerSlot = new long[slotsPerBucket];
        }
    }

    private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
    /** The bucket last changed: a backfill adds thousands of pieces to one bucket before the next. */
    private long lastBucketStart = Long.MIN_VALUE;
    private Bucket lastBucket;

    public FactLedger(AccountingConfig config) {
        this.config = config;
        this.grain = config.grain();
        this.slotsPerBucket = grain.slotsPerBucket();
    }

    /** From now on the listener is told of every change (including changes to cells counted before). */
    public void listen(Changes listener) {
        this.changes = listener;
        round++;
    }

    /** The listener has taken (written) the changes it was told of: the next change of any fact is told again. */
    public void changesTaken() {
        round++;
    }

    public void add(UsagePiece piece) {
        apply(piece, piece.owner(), +1, true);
    }

    public void retract(UsagePiece piece) {
        apply(piece, piece.owner(), -1, true);
    }

    /** Moves a piece's {@code user} share to another owner (or to none); its other scopes are unchanged. */
    public void reattribute(UsagePiece piece, String newOwner) {
        if (java.util.Objects.equals(piece.owner(), newOwner)) {
            return;
        }
        // The ada, project and machine sums are moved between cells of the same project and machine: unchanged.
        apply(piece, newOwner, +1, false);
        apply(piece, piece.owner(), -1, false);
    }

    private void apply(UsagePiece piece, String owner, int sign, boolean allScopes) {
        long bucket = grain.bucketStart(piece.slotStart());
        Cell cell = new Cell(piece.project(), piece.machine(), owner);
        Bucket inBucket = bucket(bucket);
        Map<Cell, CellSlots> cells = inBucket.cells;
        CellSlots cellSlots = cells.computeIfAbsent(cell, c -> new CellSlots(slotsPerBucket));
        SlotEnergy[] slots = cellSlots.slots;
        int i = slotIndex(piece.slotStart());
        if (slots[i] == null) {
            slots[i] = new SlotEnergy();
        }
        slots[i].add(piece, energy(piece), sign);
        if (slots[i].pieces <= 0) {
            slots[i] = null;
            if (isEmpty(slots)) {
                cells.remove(cell);
            }
        }
        long inSlot = inBucket.piecesPerSlot[i] += sign;
        if (inSlot < 0) {
            inBucket.piecesPerSlot[i] = 0; // a retraction of a piece never added: nothing to count below zero
        }
        if (cells.isEmpty()) {
            buckets.remove(bucket);
            lastBucket = null;
        }
        if (inSlot == 0 || inSlot == 1 && sign > 0) {
            changes.slotCpuChanged(piece.slotStart());
        }
        if (allScopes) {
            if (cellSlots.toldInRound != round) {
                cellSlots.toldInRound = round;
                factsOf(cell, bucket).forEach(changes::factChanged);
            }
        } else if (owner != null) {
            changes.factChanged(new FactKey(Scope.USER, bucket, owner));
        }
    }

    private Bucket bucket(long bucketStart) {
        if (lastBucket == null || lastBucketStart != bucketStart) {
            lastBucket = buckets.computeIfAbsent(bucketStart, b -> new Bucket(slotsPerBucket));
            lastBucketStart = bucketStart;
        }
        return lastBucket;
    }

    private static List<FactKey> factsOf(Cell cell, long bucket) {
        List<FactKey> facts = new ArrayList<>(4);
        facts.add(new FactKey(Scope.ADA, bucket, null));
        facts.add(new FactKey(Scope.PROJECT, bucket, cell.project()));
        facts.add(new FactKey(Scope.MACHINE, bucket, cell.machine()));
        if (cell.owner() != null) {
            facts.add(new FactKey(Scope.USER, bucket, cell.owner()));
        }
        return facts;
    }

    public boolean hasCpu(long slotStart) {
        Bucket bucket = buckets.get(grain.bucketStart(slotStart));
        return bucket != null && bucket.piecesPerSlot[slotIndex(slotStart)] > 0;
    }

    /** Every fact of the bucket that has a piece (an intensity change in the bucket restates them all). */
    public Set<FactKey> factsOfBucket(long bucketStart) {
        Bucket bucket = buckets.get(bucketStart);
        if (bucket == null) {
            return Set.of();
        }
        Set<FactKey> facts = new java.util.HashSet<>();
        bucket.cells.keySet().forEach(cell -> facts.addAll(factsOf(cell, bucketStart)));
        return facts;
    }

    /**
     * The fact's figures with the given intensity per slot, or empty when no piece falls in it any more.
     * Carbon is each slot's exact energy times the slot's intensity, summed exactly and rounded once.
     */
    public Optional<FactFigures> figures(FactKey fact, LongFunction<ChosenIntensity> intensityOfSlot) {
        return figures(List.of(fact), intensityOfSlot).get(fact);
    }

    /** {@link #figures(FactKey, LongFunction)} of many facts, with one pass over each bucket's cells. */
    public Map<FactKey, Optional<FactFigures>> figures(Collection<FactKey> facts,
                                                       LongFunction<ChosenIntensity> intensityOfSlot) {
        Map<Long, Map<FactKey, FactSums>> byBucket = new HashMap<>();
        for (FactKey fact : facts) {
            byBucket.computeIfAbsent(fact.bucketStart(), b -> new HashMap<>())
                    .put(fact, new FactSums(slotsPerBucket));
        }
        Map<FactKey, Optional<FactFigures>> out = new HashMap<>();
        byBucket.forEach((bucket, sums) -> {
            Bucket inBucket = buckets.get(bucket);
            Map<Cell, CellSlots> cells = inBucket == null ? Map.of() : inBucket.cells;
            for (Map.Entry<Cell, CellSlots> cell : cells.entrySet()) {
                for (FactKey fact : factsOf(cell.getKey(), bucket)) {
                    FactSums s = sums.get(fact);
                    if (s != null) {
                        s.add(cell.getValue().slots);
                    }
                }
            }
            double[] intensity = new double[slotsPerBucket];
            for (int i = 0; i < slotsPerBucket; i++) {
                intensity[i] = intensityOfSlot.apply(bucket + i * Slots.SLOT_MILLIS).gramsPerKwh();
            }
            sums.forEach((fact, s) -> out.put(fact, s.figures(intensity)));
        });
        return out;
    }

    /** The sums of one fact's cells, slot by slot, while its figures are worked out. */
    private static final class FactSums {
        final ExactSum busySeconds = new ExactSum();
        final ExactSum idleSeconds = new ExactSum();
        final ExactSum[] busyKwh;
        final ExactSum[] idleKwh;
        boolean any;

        FactSums(int slots) {
            busyKwh = new ExactSum[slots];
            idleKwh = new ExactSum[slots];
            for (int i = 0; i < slots; i++) {
                busyKwh[i] = new ExactSum();
                idleKwh[i] = new ExactSum();
            }
        }

        void add(SlotEnergy[] cell) {
            for (int i = 0; i < cell.length; i++) {
                SlotEnergy e = cell[i];
                if (e != null) {
                    any = true;
                    busySeconds.add(e.busySeconds);
                    idleSeconds.add(e.idleSeconds);
                    busyKwh[i].add(e.busyKwh);
                    idleKwh[i].add(e.idleKwh);
                }
            }
        }

        Optional<FactFigures> figures(double[] intensity) {
            if (!any) {
                return Optional.empty();
            }
            ExactSum busyK = new ExactSum();
            ExactSum idleK = new ExactSum();
            ExactSum busyG = new ExactSum();
            ExactSum idleG = new ExactSum();
            double intensitySum = 0;
            for (int i = 0; i < intensity.length; i++) {
                intensitySum += intensity[i];
                busyK.add(busyKwh[i]);
                idleK.add(idleKwh[i]);
                busyG.addProduct(busyKwh[i], intensity[i]);
                idleG.addProduct(idleKwh[i], intensity[i]);
            }
            Metrics m = new Metrics(busySeconds.doubleValue(), idleSeconds.doubleValue(), busyK.doubleValue(),
                    idleK.doubleValue(), busyG.doubleValue(), idleG.doubleValue());
            ExactSum kwh = new ExactSum();
            kwh.add(busyK);
            kwh.add(idleK);
            ExactSum grams = new ExactSum();
            grams.add(busyG);
            grams.add(idleG);
            // SPEC 2.5: carbon / energy where energy is above zero, else the mean of I over the bucket's slots.
            double perKwh = kwh.signum() > 0 ? grams.doubleValue() / kwh.doubleValue()
                    : intensitySum / intensity.length;
            return Optional.of(new FactFigures(m, perKwh));
        }
    }

    /**
     * Forgets every bucket before {@code bucketStart}: they are final (SPEC 2.6). Nothing is retracted, so
     * facts already written keep their figures.
     */
    public void dropBucketsBefore(long bucketStart) {
        buckets.headMap(bucketStart, false).clear();
        lastBucket = null;
    }

    /** How many facts the ledger holds; bounded by the horizon, not by history. */
    public int factCount() {
        return buckets.keySet().stream().mapToInt(b -> factsOfBucket(b).size()).sum();
    }

    private Energy energy(UsagePiece piece) {
        return config.power().energy(piece.machine(), piece.busySeconds(), piece.idleSeconds());
    }

    private int slotIndex(long slotStart) {
        return (int) ((slotStart - grain.bucketStart(slotStart)) / Slots.SLOT_MILLIS);
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

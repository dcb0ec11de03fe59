package ada.carbon.core;

import java.util.ArrayList;
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
 * <p>The ledger tells its {@link Changes} listener which facts and slots each change touches, so that
 * only those are written out.
 */
public final class FactLedger {
    /** What a change touched. */
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

    private final AccountingConfig config;
    private final Grain grain;
    private final int slotsPerBucket;
    private Changes changes = Changes.NONE;
    /** bucket start, then fact, then one entry per slot of the bucket (null where no piece falls). */
    private final NavigableMap<Long, Map<FactKey, SlotEnergy[]>> buckets = new TreeMap<>();

    public FactLedger(AccountingConfig config) {
        this.config = config;
        this.grain = config.grain();
        this.slotsPerBucket = grain.slotsPerBucket();
    }

    public void listen(Changes listener) {
        this.changes = listener;
    }

    public void add(UsagePiece piece) {
        apply(piece, +1);
    }

    public void retract(UsagePiece piece) {
        apply(piece, -1);
    }

    /** Moves a piece's {@code user} share to another owner (or to none); its other scopes are unchanged. */
    public void reattribute(UsagePiece piece, String newOwner) {
        if (java.util.Objects.equals(piece.owner(), newOwner)) {
            return;
        }
        long bucket = grain.bucketStart(piece.slotStart());
        Energy energy = energy(piece);
        if (piece.owner() != null) {
            applyTo(new FactKey(Scope.USER, bucket, piece.owner()), piece, energy, -1);
        }
        if (newOwner != null) {
            applyTo(new FactKey(Scope.USER, bucket, newOwner), piece, energy, +1);
        }
    }

    private void apply(UsagePiece piece, int sign) {
        long bucket = grain.bucketStart(piece.slotStart());
        boolean hadCpu = hasCpu(piece.slotStart());
        Energy energy = energy(piece);
        for (FactKey fact : factsOf(piece, bucket)) {
            applyTo(fact, piece, energy, sign);
        }
        if (hasCpu(piece.slotStart()) != hadCpu) {
            changes.slotCpuChanged(piece.slotStart());
        }
    }

    private List<FactKey> factsOf(UsagePiece piece, long bucket) {
        List<FactKey> facts = new ArrayList<>(4);
        facts.add(new FactKey(Scope.ADA, bucket, null));
        facts.add(new FactKey(Scope.PROJECT, bucket, piece.project()));
        facts.add(new FactKey(Scope.MACHINE, bucket, piece.machine()));
        if (piece.owner() != null) {
            facts.add(new FactKey(Scope.USER, bucket, piece.owner()));
        }
        return facts;
    }

    private void applyTo(FactKey fact, UsagePiece piece, Energy energy, int sign) {
        Map<FactKey, SlotEnergy[]> facts = buckets.computeIfAbsent(fact.bucketStart(), b -> new HashMap<>());
        SlotEnergy[] slots = facts.computeIfAbsent(fact, f -> new SlotEnergy[slotsPerBucket]);
        int i = slotIndex(piece.slotStart());
        if (slots[i] == null) {
            slots[i] = new SlotEnergy();
        }
        slots[i].add(piece, energy, sign);
        if (slots[i].pieces <= 0) {
            slots[i] = null;
            if (isEmpty(slots)) {
                facts.remove(fact);
                if (facts.isEmpty()) {
                    buckets.remove(fact.bucketStart());
                }
            }
        }
        changes.factChanged(fact);
    }

    public boolean hasCpu(long slotStart) {
        long bucket = grain.bucketStart(slotStart);
        Map<FactKey, SlotEnergy[]> facts = buckets.get(bucket);
        if (facts == null) {
            return false;
        }
        SlotEnergy[] ada = facts.get(new FactKey(Scope.ADA, bucket, null));
        return ada != null && ada[slotIndex(slotStart)] != null;
    }

    /** Every fact of the bucket that has a piece (an intensity change in the bucket restates them all). */
    public Set<FactKey> factsOfBucket(long bucketStart) {
        Map<FactKey, SlotEnergy[]> facts = buckets.get(bucketStart);
        return facts == null ? Set.of() : Set.copyOf(facts.keySet());
    }

    /**
     * The fact's figures with the given intensity per slot, or empty when no piece falls in it any more.
     * Carbon is each slot's exact energy times the slot's intensity, summed exactly and rounded once.
     */
    public Optional<FactFigures> figures(FactKey fact, LongFunction<ChosenIntensity> intensityOfSlot) {
        Map<FactKey, SlotEnergy[]> facts = buckets.get(fact.bucketStart());
        SlotEnergy[] slots = facts == null ? null : facts.get(fact);
        if (slots == null) {
            return Optional.empty();
        }
        ExactSum busyS = new ExactSum();
        ExactSum idleS = new ExactSum();
        ExactSum busyKwh = new ExactSum();
        ExactSum idleKwh = new ExactSum();
        ExactSum busyG = new ExactSum();
        ExactSum idleG = new ExactSum();
        double intensitySum = 0;
        for (int i = 0; i < slotsPerBucket; i++) {
            double intensity = intensityOfSlot.apply(fact.bucketStart() + i * Slots.SLOT_MILLIS).gramsPerKwh();
            intensitySum += intensity;
            SlotEnergy e = slots[i];
            if (e == null) {
                continue;
            }
            busyS.add(e.busySeconds);
            idleS.add(e.idleSeconds);
            busyKwh.add(e.busyKwh);
            idleKwh.add(e.idleKwh);
            busyG.addProduct(e.busyKwh, intensity);
            idleG.addProduct(e.idleKwh, intensity);
        }
        Metrics m = new Metrics(busyS.doubleValue(), idleS.doubleValue(), busyKwh.doubleValue(), idleKwh.doubleValue(),
                busyG.doubleValue(), idleG.doubleValue());
        ExactSum kwh = new ExactSum();
        kwh.add(busyKwh);
        kwh.add(idleKwh);
        ExactSum grams = new ExactSum();
        grams.add(busyG);
        grams.add(idleG);
        // SPEC 2.5: carbon / energy where energy is above zero, else the mean of I over the bucket's slots.
        double intensity = kwh.signum() > 0 ? grams.doubleValue() / kwh.doubleValue() : intensitySum / slotsPerBucket;
        return Optional.of(new FactFigures(m, intensity));
    }

    /**
     * Forgets every bucket before {@code bucketStart}: they are final (SPEC 2.6). Nothing is retracted, so
     * facts already written keep their figures.
     */
    public void dropBucketsBefore(long bucketStart) {
        buckets.headMap(bucketStart, false).clear();
    }

    /** How many facts the ledger holds; bounded by the horizon, not by history. */
    public int factCount() {
        return buckets.values().stream().mapToInt(Map::size).sum();
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

package ada.carbon.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The bucket stage's facts (SPEC 2.4, 2.5, 2.8): every host partition's sums per {@link Cell} ({@link
 * CellLedger}), added up into the facts of their bucket. A partition's sums of a cell replace the ones it
 * sent before, so the facts depend on the latest sums of each partition only, never on the order they came
 * in or how often. The sums are exact, so the facts are the same to the bit however the hosts were spread
 * over partitions. A new scope starts here: add its fact key in {@link #factsOf}.
 *
 * <p>The ledger tells its {@link Changes} listener which facts and slots each change touches, so that only
 * those are written out.
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

    /** One cell's sums as one host partition last sent them (the bucket is the map's). */
    private record Part(int partition, Cell cell) {}

    /**
     * One bucket's parts, how many pieces fall in each of its slots over all of them, and each partition's count
     * of distinct hosts per fact.
     */
    private static final class Bucket {
        final Map<Part, CellSums> parts = new HashMap<>();
        final Map<Integer, Map<FactKey, Integer>> hostsByPartition = new HashMap<>(4);
        final long[] piecesPerSlot;

        boolean isEmpty() {
            return parts.isEmpty() && hostsByPartition.isEmpty();
        }

        Bucket(int slotsPerBucket) {
            piecesPerSlot = new long[slotsPerBucket];
        }
    }

    private final Grain grain;
    private final EmbodiedModel embodied;
    private final int slotsPerBucket;
    private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
    private Changes changes = Changes.NONE;

    public FactLedger(AccountingConfig config) {
        this.grain = config.grain();
        this.embodied = config.embodied();
        this.slotsPerBucket = grain.slotsPerBucket();
    }

    public void listen(Changes listener) {
        this.changes = listener;
    }

    /**
     * Replaces what {@code partition} last said of the cell in the bucket.
     *
     * @param sums its sums now, or null when none of its pieces is left there
     */
    public void put(int partition, long bucketStart, Cell cell, CellSums sums) {
        Part part = new Part(partition, cell);
        Bucket bucket = buckets.get(bucketStart);
        if (bucket == null) {
            if (sums == null) {
                return;
            }
            bucket = new Bucket(slotsPerBucket);
            buckets.put(bucketStart, bucket);
        }
        CellSums before = sums == null ? bucket.parts.remove(part) : bucket.parts.put(part, sums);
        if (before == null && sums == null) {
            return;
        }
        for (int i = 0; i < slotsPerBucket; i++) {
            long was = bucket.piecesPerSlot[i];
            long now = was - (before == null ? 0 : before.pieces(i)) + (sums == null ? 0 : sums.pieces(i));
            bucket.piecesPerSlot[i] = now;
            if ((was == 0) != (now == 0)) {
                changes.slotCpuChanged(bucketStart + i * Slots.SLOT_MILLIS);
            }
        }
        factsOf(cell, bucketStart).forEach(changes::factChanged);
        if (bucket.isEmpty()) {
            buckets.remove(bucketStart);
        }
    }

    /**
     * Replaces what {@code partition} last said of how many distinct hosts each fact of the bucket has pieces of
     * there (SPEC 2.10). Hosts are partitioned, so a fact's hosts are the sum over partitions.
     */
    public void putHosts(int partition, long bucketStart, Map<FactKey, Integer> counts) {
        Bucket bucket = buckets.get(bucketStart);
        if (bucket == null) {
            if (counts.isEmpty()) {
                return;
            }
            bucket = new Bucket(slotsPerBucket);
            buckets.put(bucketStart, bucket);
        }
        Map<FactKey, Integer> before = counts.isEmpty()
                ? bucket.hostsByPartition.remove(partition)
                : bucket.hostsByPartition.put(partition, Map.copyOf(counts));
        Map<FactKey, Integer> was = before == null ? Map.of() : before;
        for (FactKey fact : was.keySet()) {
            if (!was.get(fact).equals(counts.get(fact))) {
                changes.factChanged(fact);
            }
        }
        counts.keySet().stream().filter(f -> !was.containsKey(f)).forEach(changes::factChanged);
        if (bucket.isEmpty()) {
            buckets.remove(bucketStart);
        }
    }

    /** The facts a cell of the bucket counts toward (SPEC 2.4): a new scope adds its key here. */
    static List<FactKey> factsOf(Cell cell, long bucket) {
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
        return bucket != null && bucket.piecesPerSlot[grain.slotIndex(slotStart)] > 0;
    }

    /** Every fact of the bucket that has a piece (an intensity change in the bucket restates them all). */
    public Set<FactKey> factsOfBucket(long bucketStart) {
        Bucket bucket = buckets.get(bucketStart);
        if (bucket == null) {
            return Set.of();
        }
        Set<FactKey> facts = new HashSet<>();
        bucket.parts.keySet().forEach(part -> facts.addAll(factsOf(part.cell(), bucketStart)));
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
    public Map<FactKey, Optional<FactFigures>> figures(
            Collection<FactKey> facts, LongFunction<ChosenIntensity> intensityOfSlot) {
        Map<Long, Map<FactKey, FactSums>> byBucket = new HashMap<>();
        for (FactKey fact : facts) {
            byBucket.computeIfAbsent(fact.bucketStart(), b -> new HashMap<>()).put(fact, new FactSums(slotsPerBucket));
        }
        Map<FactKey, Optional<FactFigures>> out = new HashMap<>();
        byBucket.forEach((bucket, sums) -> {
            Bucket inBucket = buckets.get(bucket);
            Map<Part, CellSums> parts = inBucket == null ? Map.of() : inBucket.parts;
            for (Map.Entry<Part, CellSums> part : parts.entrySet()) {
                Cell cell = part.getKey().cell();
                double embodiedPerCoreSecond = embodied.gramsPerCoreSecond(cell.machine());
                for (FactKey fact : factsOf(cell, bucket)) {
                    FactSums s = sums.get(fact);
                    if (s != null) {
                        s.add(part.getValue(), embodiedPerCoreSecond);
                    }
                }
            }
            if (inBucket != null) {
                inBucket.hostsByPartition
                        .values()
                        .forEach(counts -> counts.forEach((fact, n) -> {
                            FactSums s = sums.get(fact);
                            if (s != null) {
                                s.hosts += n;
                            }
                        }));
            }
            ChosenIntensity[] intensity = new ChosenIntensity[slotsPerBucket];
            for (int i = 0; i < slotsPerBucket; i++) {
                intensity[i] = intensityOfSlot.apply(bucket + i * Slots.SLOT_MILLIS);
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
        final ExactSum embodied = new ExactSum();
        long hostMillis;
        long hosts;
        boolean any;

        FactSums(int slots) {
            busyKwh = new ExactSum[slots];
            idleKwh = new ExactSum[slots];
            for (int i = 0; i < slots; i++) {
                busyKwh[i] = new ExactSum();
                idleKwh[i] = new ExactSum();
            }
        }

        /** @param embodiedPerCoreSecond the cell's machine's E, per CPU-second (SPEC 2.9) */
        void add(CellSums cell, double embodiedPerCoreSecond) {
            for (int i = 0; i < cell.slotCount(); i++) {
                SlotSums e = cell.slot(i);
                if (e != null) {
                    any = true;
                    busySeconds.add(e.busySeconds());
                    idleSeconds.add(e.idleSeconds());
                    busyKwh[i].add(e.busyKwh());
                    idleKwh[i].add(e.idleKwh());
                    embodied.addProduct(e.busySeconds(), embodiedPerCoreSecond);
                    embodied.addProduct(e.idleSeconds(), embodiedPerCoreSecond);
                    hostMillis += e.hostMillis();
                }
            }
        }

        Optional<FactFigures> figures(ChosenIntensity[] chosen) {
            double[] intensity = new double[chosen.length];
            for (int i = 0; i < chosen.length; i++) {
                intensity[i] = chosen[i].gramsPerKwh();
            }
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
            Metrics m = new Metrics(
                    busySeconds.doubleValue(),
                    idleSeconds.doubleValue(),
                    busyK.doubleValue(),
                    idleK.doubleValue(),
                    busyG.doubleValue(),
                    idleG.doubleValue());
            ExactSum kwh = new ExactSum();
            kwh.add(busyK);
            kwh.add(idleK);
            ExactSum grams = new ExactSum();
            grams.add(busyG);
            grams.add(idleG);
            // SPEC 2.5: carbon / energy where energy is above zero, else the mean of I over the bucket's slots.
            double perKwh =
                    kwh.signum() > 0 ? grams.doubleValue() / kwh.doubleValue() : intensitySum / intensity.length;
            // SPEC 2.10: each slot's kWh under the source its intensity came from.
            ExactSum[] bySource = new ExactSum[IntensitySource.values().length];
            for (int i = 0; i < bySource.length; i++) {
                bySource[i] = new ExactSum();
            }
            for (int i = 0; i < chosen.length; i++) {
                bySource[chosen[i].source().ordinal()].add(busyKwh[i]);
                bySource[chosen[i].source().ordinal()].add(idleKwh[i]);
            }
            var energyBySource = new FactFigures.EnergyBySource(
                    bySource[IntensitySource.ACTUAL.ordinal()].doubleValue(),
                    bySource[IntensitySource.FORECAST.ordinal()].doubleValue(),
                    bySource[IntensitySource.REGIONAL.ordinal()].doubleValue(),
                    bySource[IntensitySource.FALLBACK.ordinal()].doubleValue());
            return Optional.of(
                    new FactFigures(m, perKwh, embodied.doubleValue(), energyBySource, hostMillis / 1000.0, hosts));
        }
    }

    /**
     * Forgets every bucket before {@code bucketStart}: they are final on every partition (SPEC 2.6). Nothing
     * is retracted, so facts already written keep their figures.
     *
     * @return the parts forgotten, for whoever keeps a copy of them
     */
    public List<BucketPart> dropBucketsBefore(long bucketStart) {
        List<BucketPart> dropped = new ArrayList<>();
        var old = buckets.headMap(bucketStart, false);
        old.forEach((bucket, b) ->
                b.parts.keySet().forEach(part -> dropped.add(new BucketPart(bucket, part.partition(), part.cell()))));
        old.clear();
        return dropped;
    }

    /** How many facts the ledger holds; bounded by the horizon, not by history. */
    public int factCount() {
        return buckets.keySet().stream().mapToInt(b -> factsOfBucket(b).size()).sum();
    }
}

package ada.carbon.core;

import ada.carbon.schemas.InstanceLabel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The two stages of the aggregator's ledgers without Kafka: each piece goes to the {@link CellLedger} of its
 * host's partition, and every cell a change touches is sent on at once to the {@link FactLedger}, as the
 * host stage sends it at its next write. So the tests of facts from pieces read as they did with one ledger,
 * and can spread the hosts over any number of partitions.
 */
final class PieceLedger {
    private record Changed(int partition, long bucket, Cell cell) {}

    private final List<CellLedger> partitions = new ArrayList<>();
    private final FactLedger facts;
    private final List<Changed> changed = new ArrayList<>();

    PieceLedger(AccountingConfig config) {
        this(config, 1);
    }

    PieceLedger(AccountingConfig config, int partitionCount) {
        facts = new FactLedger(config);
        for (int p = 0; p < partitionCount; p++) {
            int partition = p;
            CellLedger cells = new CellLedger(config);
            cells.listen((bucket, cell) -> changed.add(new Changed(partition, bucket, cell)));
            partitions.add(cells);
        }
    }

    void listen(FactLedger.Changes listener) {
        facts.listen(listener);
    }

    void add(UsagePiece piece) {
        partitionOf(piece).add(host(piece), piece);
        sendChanges();
    }

    void retract(UsagePiece piece) {
        partitionOf(piece).retract(host(piece), piece);
        sendChanges();
    }

    void reattribute(UsagePiece piece, String newOwner) {
        partitionOf(piece).reattribute(host(piece), piece, newOwner);
        sendChanges();
    }

    private static String host(UsagePiece piece) {
        return InstanceLabel.hostKey(piece.instance());
    }

    void dropBucketsBefore(long bucketStart) {
        partitions.forEach(p -> p.dropBucketsBefore(bucketStart));
        facts.dropBucketsBefore(bucketStart);
    }

    Optional<FactFigures> figures(FactKey fact, LongFunction<ChosenIntensity> intensityOfSlot) {
        return facts.figures(fact, intensityOfSlot);
    }

    Map<FactKey, Optional<FactFigures>> figures(Collection<FactKey> keys, LongFunction<ChosenIntensity> intensity) {
        return facts.figures(keys, intensity);
    }

    Set<FactKey> factsOfBucket(long bucketStart) {
        return facts.factsOfBucket(bucketStart);
    }

    boolean hasCpu(long slotStart) {
        return facts.hasCpu(slotStart);
    }

    int factCount() {
        return facts.factCount();
    }

    private CellLedger partitionOf(UsagePiece piece) {
        return partitions.get(Math.floorMod(host(piece).hashCode(), partitions.size()));
    }

    /** As the host stage sends at its next write: the changed cells' sums, then their buckets' host counts. */
    private void sendChanges() {
        java.util.Set<Changed> buckets = new java.util.LinkedHashSet<>();
        for (Changed c : changed) {
            CellLedger cells = partitions.get(c.partition());
            facts.put(
                    c.partition(),
                    c.bucket(),
                    c.cell(),
                    cells.sums(c.bucket(), c.cell()).orElse(null));
            buckets.add(new Changed(c.partition(), c.bucket(), null));
        }
        for (Changed b : buckets) {
            facts.putHosts(
                    b.partition(), b.bucket(), partitions.get(b.partition()).hostCounts(b.bucket()));
        }
        changed.clear();
        partitions.forEach(CellLedger::changesTaken);
    }
}

package ada.carbon.aggregator;

import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.internal.BucketIntensity;
import ada.carbon.avro.internal.CpuPiece;
import ada.carbon.avro.internal.FactDelta;
import ada.carbon.avro.internal.FactTotalsRecord;
import ada.carbon.avro.internal.HostSlotKey;
import ada.carbon.avro.internal.HostSlotUsage;
import ada.carbon.avro.internal.HostTenures;
import ada.carbon.avro.internal.Reading;
import ada.carbon.avro.internal.Tenure;
import ada.carbon.avro.internal.UsageEntry;
import ada.carbon.core.FactTotals;
import ada.carbon.core.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The adders and subtractors of the topology's table aggregations. Each keeps its aggregate a function
 * of the set of current inputs: whatever order Kafka Streams calls the subtractor and adder in, and
 * whatever order updates arrive in, the result is the same (up to float rounding in sums).
 */
final class Aggregations {
    private Aggregations() {}

    // --- CPU pieces per host-slot, one entry per cpu event, never summed here ---

    private static final Comparator<UsageEntry> CANONICAL = Comparator.comparingLong(UsageEntry::getPieceStart)
            .thenComparingLong(UsageEntry::getTs).thenComparingLong(UsageEntry::getPeriodSeconds);

    static HostSlotUsage emptyUsage() {
        return new HostSlotUsage("", "", "", 0L, new ArrayList<>());
    }

    static HostSlotUsage addPiece(HostSlotKey key, CpuPiece piece, HostSlotUsage agg) {
        List<UsageEntry> entries = withoutPiece(piece, agg);
        entries.add(new UsageEntry(piece.getTs(), piece.getPeriodSeconds(), piece.getPieceStart(), piece.getBusy(),
                piece.getIdle()));
        entries.sort(CANONICAL);
        return usage(key, entries);
    }

    /** Removes the piece only if it is still the one stored, so an adder that ran first is kept. */
    static HostSlotUsage subtractPiece(HostSlotKey key, CpuPiece piece, HostSlotUsage agg) {
        List<UsageEntry> entries = new ArrayList<>(agg.getUsage());
        entries.removeIf(e -> samePiece(e, piece) && e.getBusy() == piece.getBusy() && e.getIdle() == piece.getIdle());
        return usage(key, entries);
    }

    private static List<UsageEntry> withoutPiece(CpuPiece piece, HostSlotUsage agg) {
        List<UsageEntry> entries = new ArrayList<>(agg.getUsage());
        entries.removeIf(e -> samePiece(e, piece));
        return entries;
    }

    private static boolean samePiece(UsageEntry e, CpuPiece piece) {
        return e.getTs() == piece.getTs() && e.getPeriodSeconds() == piece.getPeriodSeconds();
    }

    private static HostSlotUsage usage(HostSlotKey key, List<UsageEntry> entries) {
        return new HostSlotUsage(key.getInstance(), key.getCloudProjectName(), key.getMachineName(), key.getSlot(),
                entries);
    }

    // --- intensity readings per bucket, at most one per slot ---

    static BucketIntensity emptyBucket() {
        return new BucketIntensity(0L, new ArrayList<>());
    }

    static BucketIntensity putReading(Long bucket, Reading reading, BucketIntensity agg) {
        List<Reading> readings = new ArrayList<>(agg.getReadings());
        readings.removeIf(r -> r.getSlot() == reading.getSlot());
        readings.add(reading);
        readings.sort(Comparator.comparingLong(Reading::getSlot));
        return new BucketIntensity(bucket, readings);
    }

    /** Removes the reading only if it is still the one stored, so an adder that ran first is kept. */
    static BucketIntensity removeReading(Long bucket, Reading reading, BucketIntensity agg) {
        List<Reading> readings = new ArrayList<>(agg.getReadings());
        readings.removeIf(reading::equals);
        return new BucketIntensity(bucket, readings);
    }

    // --- workspace tenures per host, at most one per workspace ---

    static HostTenures emptyTenures() {
        return new HostTenures(new ArrayList<>());
    }

    static HostTenures putTenure(String host, Tenure tenure, HostTenures agg) {
        List<Tenure> tenures = new ArrayList<>(agg.getTenures());
        tenures.removeIf(t -> t.getWorkspaceKey().equals(tenure.getWorkspaceKey()));
        tenures.add(tenure);
        tenures.sort(Comparator.comparing(Tenure::getWorkspaceKey));
        return new HostTenures(tenures);
    }

    /** Removes the tenure only if it is still the one stored, so an adder that ran first is kept. */
    static HostTenures removeTenure(String host, Tenure tenure, HostTenures agg) {
        List<Tenure> tenures = new ArrayList<>(agg.getTenures());
        tenures.removeIf(tenure::equals);
        return new HostTenures(tenures);
    }

    // --- facts as the sum of signed contributions ---

    static FactTotalsRecord emptyTotals() {
        return StateMapping.record(FactTotals.EMPTY);
    }

    static FactTotalsRecord applyDelta(FactId key, FactDelta delta, FactTotalsRecord agg) {
        FactTotals totals = StateMapping.totals(agg);
        var contribution = StateMapping.contribution(delta.getContribution());
        return StateMapping.record(delta.getSign() > 0 ? totals.add(contribution) : totals.retract(contribution));
    }

    /** The fact row for the sink, or null (delete the row) once no CPU piece falls in the fact any more. */
    static Fact factRow(FactId key, FactTotalsRecord record) {
        FactTotals totals = StateMapping.totals(record);
        if (totals.isEmpty()) {
            return null;
        }
        Metrics m = totals.metrics();
        return new Fact(key.getScope(), key.getTs(), key.getEntity(), m.busyCpuSeconds(), m.idleCpuSeconds(),
                m.busyKwh(), m.idleKwh(), m.busyGrams(), m.idleGrams(), totals.intensity());
    }
}

package ada.carbon.aggregator;

import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.avro.internal.ContributionRecord;
import ada.carbon.avro.internal.FactTotalsRecord;
import ada.carbon.avro.internal.HostSlotUsage;
import ada.carbon.avro.internal.HostTenures;
import ada.carbon.avro.internal.Reading;
import ada.carbon.avro.internal.Tenure;
import ada.carbon.avro.internal.ExactNumber;
import ada.carbon.core.Contribution;
import ada.carbon.core.ExactSum;
import ada.carbon.core.FactKey;
import ada.carbon.core.FactTotals;
import ada.carbon.core.HostSlot;
import ada.carbon.core.HostTenure;
import ada.carbon.core.Metrics;
import ada.carbon.core.Scope;
import ada.carbon.core.SlotReading;
import ada.carbon.core.UsageAtStart;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Between the Avro records the topology stores and the plain records the core computes with. */
final class StateMapping {
    private StateMapping() {}

    static HostSlot hostSlot(HostSlotUsage u) {
        List<UsageAtStart> usage = u.getUsage().stream()
                .map(e -> new UsageAtStart(e.getPieceStart(), e.getBusy(), e.getIdle())).toList();
        return new HostSlot(u.getInstance(), u.getCloudProjectName(), u.getMachineName(), u.getSlot(), usage);
    }

    static Map<Long, SlotReading> readings(List<Reading> readings) {
        Map<Long, SlotReading> out = new HashMap<>();
        for (Reading r : readings) {
            out.put(r.getSlot(), new SlotReading(r.getSlot(), r.getForecast(), r.getActual(), r.getIndex()));
        }
        return out;
    }

    static Reading reading(IntensityEvent e) {
        return new Reading(e.getFrom().toEpochMilli(), e.getForecast(), e.getActual(), e.getIndex());
    }

    static Tenure tenure(WorkspaceEvent w) {
        return new Tenure(w.getWorkspaceKey(), w.getOwner(), w.getCreatedTime().toEpochMilli(),
                w.getDeletedTime() == null ? null : w.getDeletedTime().toEpochMilli());
    }

    static List<HostTenure> tenures(HostTenures t) {
        if (t == null) {
            return List.of();
        }
        return t.getTenures().stream()
                .map(x -> new HostTenure(x.getWorkspaceKey(), x.getOwner(), x.getCreated(), x.getDeleted())).toList();
    }

    static ContributionRecord record(Contribution c) {
        Metrics m = c.metrics();
        return new ContributionRecord(c.key().scope().label(), c.key().bucketStart(), c.key().entity(),
                m.busyCpuSeconds(), m.idleCpuSeconds(), m.busyKwh(), m.idleKwh(), m.busyGrams(), m.idleGrams(),
                c.bucketMeanIntensity());
    }

    static Contribution contribution(ContributionRecord r) {
        return new Contribution(new FactKey(Scope.fromLabel(r.getScope()), r.getBucket(), r.getEntity()),
                new Metrics(r.getBusyCpuSeconds(), r.getIdleCpuSeconds(), r.getBusyKwh(), r.getIdleKwh(),
                        r.getBusyGrams(), r.getIdleGrams()),
                r.getBucketMeanIntensity());
    }

    static FactId factId(ContributionRecord r) {
        return new FactId(r.getScope(), Instant.ofEpochMilli(r.getBucket()), r.getEntity());
    }

    static FactTotals totals(FactTotalsRecord r) {
        return new FactTotals(exact(r.getBusyCpuSeconds()), exact(r.getIdleCpuSeconds()), exact(r.getBusyKwh()),
                exact(r.getIdleKwh()), exact(r.getBusyGrams()), exact(r.getIdleGrams()), r.getContributors(),
                exact(r.getBucketMeanIntensitySum()));
    }

    static FactTotalsRecord record(FactTotals t) {
        return new FactTotalsRecord(exact(t.busyCpuSeconds()), exact(t.idleCpuSeconds()), exact(t.busyKwh()),
                exact(t.idleKwh()), exact(t.busyGrams()), exact(t.idleGrams()), t.contributors(),
                exact(t.bucketMeanIntensitySum()));
    }

    private static ExactSum exact(ExactNumber n) {
        byte[] bytes = new byte[n.getUnscaled().remaining()];
        n.getUnscaled().duplicate().get(bytes);
        return new ExactSum(new BigDecimal(new BigInteger(bytes), n.getScale()));
    }

    private static ExactNumber exact(ExactSum s) {
        return new ExactNumber(ByteBuffer.wrap(s.value().unscaledValue().toByteArray()), s.value().scale());
    }
}

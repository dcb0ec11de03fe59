package ada.carbon.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SPEC 2.1-2.5 for one host-slot: prices its CPU time with the power model and the slot's intensity, and
 * says what it adds to each fact of each scope. Facts are the sums of these contributions.
 */
public final class HostSlotAccounting {
    private final AccountingConfig config;

    public HostSlotAccounting(AccountingConfig config) {
        this.config = config;
    }

    /**
     * @param bucketReadings the intensity readings known for the slots of the host-slot's bucket (any may be missing)
     * @param tenures        every workspace tenure of the host
     */
    public List<Contribution> contributions(HostSlot hostSlot, Map<Long, SlotReading> bucketReadings,
                                            Collection<HostTenure> tenures) {
        if (hostSlot.usage().isEmpty()) {
            return List.of();
        }
        long bucket = config.grain().bucketStart(hostSlot.slotStart());
        double intensity = intensityOf(hostSlot.slotStart(), bucketReadings).gramsPerKwh();
        double bucketMean = bucketMeanIntensity(bucket, bucketReadings);

        Metrics total = Metrics.ZERO;
        // Sorted so that the order of contributions, and of float sums, does not depend on arrival order.
        Map<String, Metrics> byOwner = new TreeMap<>();
        for (UsageAtStart u : hostSlot.usage()) {
            Metrics m = price(hostSlot.machine(), u.busySeconds(), u.idleSeconds(), intensity);
            total = total.plus(m);
            Attribution.ownerAt(tenures, u.pieceStart()).ifPresent(owner -> byOwner.merge(owner, m, Metrics::plus));
        }
        List<Contribution> out = new ArrayList<>(3 + byOwner.size());
        out.add(new Contribution(new FactKey(Scope.ADA, bucket, null), total, bucketMean));
        out.add(new Contribution(new FactKey(Scope.PROJECT, bucket, hostSlot.project()), total, bucketMean));
        out.add(new Contribution(new FactKey(Scope.MACHINE, bucket, hostSlot.machine()), total, bucketMean));
        byOwner.forEach((owner, m) -> out.add(new Contribution(new FactKey(Scope.USER, bucket, owner), m, bucketMean)));
        return out;
    }

    public ChosenIntensity intensityOf(long slotStart, Map<Long, SlotReading> readings) {
        return ChosenIntensity.choose(readings.get(slotStart), config.fallbackIntensity());
    }

    /** The mean of I over every slot of the bucket, fallback included where a slot has no reading. */
    public double bucketMeanIntensity(long bucketStart, Map<Long, SlotReading> readings) {
        int n = config.grain().slotsPerBucket();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += intensityOf(bucketStart + i * Slots.SLOT_MILLIS, readings).gramsPerKwh();
        }
        return sum / n;
    }

    private Metrics price(String machine, double busySeconds, double idleSeconds, double intensity) {
        Energy e = config.power().energy(machine, busySeconds, idleSeconds);
        return new Metrics(busySeconds, idleSeconds, e.busyKwh(), e.idleKwh(),
                e.busyKwh() * intensity, e.idleKwh() * intensity);
    }
}

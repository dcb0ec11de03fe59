package ada.carbon.aggregator.oracle;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.InstanceLabel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SPEC section 2 written again from the SPEC text, as plainly as possible, to check the topology against.
 *
 * <p>It shares no computation with the main code: only the Avro event classes, {@link InstanceLabel} to
 * split an instance label, and {@link AccountingConfig} for the settings. Sums and products are exact
 * decimals (34 digits), so its figures do not depend on the order of the events, and zero is zero.
 */
public final class SpecOracle {
    private static final MathContext MC = MathContext.DECIMAL128;
    private static final long SLOT_MS = 30 * 60 * 1000L;
    private static final BigDecimal JOULES_PER_KWH = new BigDecimal(3_600_000);

    /** One fact_usage row's identity; {@code entity} is null for scope {@code ada}. */
    public record FactKey(String scope, long bucketStart, String entity) {}

    /** The six metrics of a fact and its {@code intensity_gCo2eq_kwh}. */
    public record FactRow(double busyCpuSeconds, double idleCpuSeconds, double busyKwh, double idleKwh,
                          double busyGrams, double idleGrams, double intensity) {}

    /** One fact_intensity row. */
    public record SlotRow(long slot, Double forecast, Double actual, String index, double intensity, String source,
                          boolean hasCpu) {}

    public record Expected(Map<FactKey, FactRow> facts, Map<Long, SlotRow> slots) {}

    private record CpuIdentity(String instance, long ts, long periodSeconds) {}

    private record Chosen(BigDecimal grams, String source) {}

    /** The six sums of one fact, exact. */
    private static final class Sums {
        BigDecimal busyS = BigDecimal.ZERO, idleS = BigDecimal.ZERO, busyKwh = BigDecimal.ZERO,
                idleKwh = BigDecimal.ZERO, busyG = BigDecimal.ZERO, idleG = BigDecimal.ZERO;

        void add(BigDecimal bs, BigDecimal is, BigDecimal bk, BigDecimal ik, BigDecimal bg, BigDecimal ig) {
            busyS = busyS.add(bs, MC);
            idleS = idleS.add(is, MC);
            busyKwh = busyKwh.add(bk, MC);
            idleKwh = idleKwh.add(ik, MC);
            busyG = busyG.add(bg, MC);
            idleG = idleG.add(ig, MC);
        }
    }

    private final AccountingConfig config;

    public SpecOracle(AccountingConfig config) {
        this.config = config;
    }

    /** The facts and fact_intensity rows of these events, applied in this order of arrival. */
    public Expected compute(List<?> arrivals) {
        // SPEC 1.1-1.4: replacement by identity, the later arrival wins.
        Map<CpuIdentity, CpuEvent> cpu = new LinkedHashMap<>();
        Map<Long, IntensityEvent> intensity = new HashMap<>();
        Map<String, WorkspaceEvent> workspaces = new HashMap<>();
        for (Object e : arrivals) {
            if (e instanceof CpuEvent c) {
                cpu.put(new CpuIdentity(c.getInstance(), c.getTs().toEpochMilli(), c.getPeriodSeconds()), c);
            } else if (e instanceof IntensityEvent i) {
                intensity.put(i.getFrom().toEpochMilli(), i);
            } else if (e instanceof WorkspaceEvent w) {
                workspaces.put(w.getWorkspaceKey(), w);
            } else if (!(e instanceof UserEvent)) {
                throw new IllegalArgumentException("not an event: " + e);
            }
        }

        Map<FactKey, Sums> sums = new HashMap<>();
        TreeSet<Long> slotsWithCpu = new TreeSet<>();
        for (CpuEvent c : cpu.values()) {
            long start = c.getTs().toEpochMilli();
            long periodMs = c.getPeriodSeconds() * 1000L;
            long end = start + periodMs;
            BigDecimal busyWatts = BigDecimal.valueOf(
                    config.power().busyWattsByMachine().getOrDefault(c.getMachineName(), config.power().busyWatts()));
            BigDecimal idleWatts = BigDecimal.valueOf(
                    config.power().idleWattsByMachine().getOrDefault(c.getMachineName(), config.power().idleWatts()));
            BigDecimal pue = BigDecimal.valueOf(config.power().pue());
            // SPEC 2.2: every half-hour slot the interval [start, end) touches gets its share of time.
            for (long slot = Math.floorDiv(start, SLOT_MS) * SLOT_MS; slot < end; slot += SLOT_MS) {
                long pieceStart = Math.max(start, slot);
                long pieceEnd = Math.min(end, slot + SLOT_MS);
                BigDecimal share = BigDecimal.valueOf(pieceEnd - pieceStart).divide(BigDecimal.valueOf(periodMs), MC);
                BigDecimal busyS = new BigDecimal(c.getBusyCpuSeconds()).multiply(share, MC);
                BigDecimal idleS = new BigDecimal(c.getIdleCpuSeconds()).multiply(share, MC);
                // SPEC 2.1
                BigDecimal busyKwh = busyS.multiply(busyWatts, MC).multiply(pue, MC).divide(JOULES_PER_KWH, MC);
                BigDecimal idleKwh = idleS.multiply(idleWatts, MC).multiply(pue, MC).divide(JOULES_PER_KWH, MC);
                // SPEC 2.3
                BigDecimal i = intensityOf(intensity.get(slot)).grams();
                BigDecimal busyG = busyKwh.multiply(i, MC);
                BigDecimal idleG = idleKwh.multiply(i, MC);
                // SPEC 2.4 and 2.5
                long bucket = Math.floorDiv(slot, grainMs()) * grainMs();
                List<FactKey> keys = new ArrayList<>(List.of(new FactKey("ada", bucket, null),
                        new FactKey("project", bucket, c.getCloudProjectName()),
                        new FactKey("machine", bucket, c.getMachineName())));
                String owner = ownerAt(workspaces.values(), hostOf(c.getInstance()), pieceStart);
                if (owner != null) {
                    keys.add(new FactKey("user", bucket, owner));
                }
                for (FactKey k : keys) {
                    sums.computeIfAbsent(k, x -> new Sums()).add(busyS, idleS, busyKwh, idleKwh, busyG, idleG);
                }
                slotsWithCpu.add(slot);
            }
        }

        Map<FactKey, FactRow> facts = new HashMap<>();
        sums.forEach((k, s) -> {
            BigDecimal kwh = s.busyKwh.add(s.idleKwh, MC);
            BigDecimal fi = kwh.signum() > 0
                    ? s.busyG.add(s.idleG, MC).divide(kwh, MC)
                    : bucketMean(k.bucketStart(), intensity);
            facts.put(k, new FactRow(s.busyS.doubleValue(), s.idleS.doubleValue(), s.busyKwh.doubleValue(),
                    s.idleKwh.doubleValue(), s.busyG.doubleValue(), s.idleG.doubleValue(), fi.doubleValue()));
        });

        // SPEC 3.3: a row per slot that has an intensity event or any CPU time.
        Map<Long, SlotRow> slots = new TreeMap<>();
        TreeSet<Long> slotKeys = new TreeSet<>(slotsWithCpu);
        slotKeys.addAll(intensity.keySet());
        for (long slot : slotKeys) {
            IntensityEvent e = intensity.get(slot);
            Chosen chosen = intensityOf(e);
            slots.put(slot, new SlotRow(slot, e == null ? null : e.getForecast(), e == null ? null : e.getActual(),
                    e == null ? null : e.getIndex(), chosen.grams().doubleValue(), chosen.source(),
                    slotsWithCpu.contains(slot)));
        }
        return new Expected(facts, slots);
    }

    private long grainMs() {
        return config.grain().seconds() * 1000L;
    }

    /** SPEC 2.3: actual if not null, else forecast if not null, else the fallback. */
    private Chosen intensityOf(IntensityEvent e) {
        if (e != null && e.getActual() != null) {
            return new Chosen(new BigDecimal(e.getActual()), "actual");
        }
        if (e != null && e.getForecast() != null) {
            return new Chosen(new BigDecimal(e.getForecast()), "forecast");
        }
        return new Chosen(new BigDecimal(config.fallbackIntensity()), "fallback");
    }

    /** SPEC 2.5: the mean of I over the bucket's slots. */
    private BigDecimal bucketMean(long bucket, Map<Long, IntensityEvent> intensity) {
        long n = grainMs() / SLOT_MS;
        BigDecimal sum = BigDecimal.ZERO;
        for (long i = 0; i < n; i++) {
            sum = sum.add(intensityOf(intensity.get(bucket + i * SLOT_MS)).grams(), MC);
        }
        return sum.divide(BigDecimal.valueOf(n), MC);
    }

    /** SPEC 1.1: the host part of a label, compared without regard to case (SPEC 1.3). */
    private static String hostOf(String instance) {
        return InstanceLabel.parse(instance).host().toLowerCase(Locale.ROOT);
    }

    /**
     * SPEC 2.4: the owner of the owned workspace holding the host at {@code t}; the later created_time wins,
     * then the greater workspace_key; null when no owned workspace holds it.
     */
    private static String ownerAt(Iterable<WorkspaceEvent> workspaces, String host, long t) {
        WorkspaceEvent best = null;
        for (WorkspaceEvent w : workspaces) {
            if (w.getOwner() == null || !hostOf(w.getInstance()).equals(host)) {
                continue;
            }
            long created = w.getCreatedTime().toEpochMilli();
            boolean holds = created <= t && (w.getDeletedTime() == null || t < w.getDeletedTime().toEpochMilli());
            if (!holds) {
                continue;
            }
            if (best == null) {
                best = w;
                continue;
            }
            long bestCreated = best.getCreatedTime().toEpochMilli();
            if (created > bestCreated
                    || (created == bestCreated && w.getWorkspaceKey().compareTo(best.getWorkspaceKey()) > 0)) {
                best = w;
            }
        }
        return best == null ? null : Objects.requireNonNull(best.getOwner());
    }
}

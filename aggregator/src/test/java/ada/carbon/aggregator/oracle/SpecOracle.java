package ada.carbon.aggregator.oracle;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.Fact;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.InstanceLabel;
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

    /**
     * The six metrics of a fact and its {@code intensity_gCo2eq_kwh} (SPEC 2.5), its embodied carbon (2.9), its
     * kWh by intensity source and its coverage (2.10).
     */
    public record FactRow(
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyGrams,
            double idleGrams,
            double intensity,
            double embodiedGrams,
            double kwhActual,
            double kwhForecast,
            double kwhRegional,
            double kwhFallback,
            double hostSeconds,
            long hosts) {

        /** A fact as the topology wrote it, in the oracle's terms (a figure left null fails the comparison). */
        public static FactRow of(Fact f) {
            return new FactRow(
                    f.getBusyCpuSecondsTotal(),
                    f.getIdleCpuSecondsTotal(),
                    f.getBusyKwh(),
                    f.getIdleKwh(),
                    f.getBusyGCo2eq(),
                    f.getIdleGCo2eq(),
                    f.getIntensityGCo2eqKwh(),
                    orNaN(f.getEmbodiedGCo2eq()),
                    orNaN(f.getKwhActual()),
                    orNaN(f.getKwhForecast()),
                    orNaN(f.getKwhRegional()),
                    orNaN(f.getKwhFallback()),
                    orNaN(f.getHostSeconds()),
                    f.getHosts() == null ? -1 : f.getHosts());
        }

        private static double orNaN(Double d) {
            return d == null ? Double.NaN : d;
        }
    }

    /** One fact_intensity row; {@code region} and {@code regionalForecast} only with a region configured. */
    public record SlotRow(
            long slot,
            Double forecast,
            Double actual,
            String index,
            double intensity,
            String source,
            boolean hasCpu,
            Integer region,
            Double regionalForecast) {

        public static SlotRow of(SlotIntensity s) {
            return new SlotRow(
                    s.getTs().toEpochMilli(),
                    s.getForecast(),
                    s.getActual(),
                    s.getIndex(),
                    s.getIntensityGCo2eqKwh(),
                    s.getSource(),
                    s.getHasCpu(),
                    s.getRegion(),
                    s.getRegionalForecast());
        }
    }

    public record Expected(Map<FactKey, FactRow> facts, Map<Long, SlotRow> slots) {}

    private record CpuIdentity(String instance, long ts, long periodSeconds) {}

    /** SPEC 1.2: an intensity event's identity; region null is the national series. */
    private record IntensityIdentity(Integer region, long from) {}

    private record Chosen(BigDecimal grams, String source) {}

    /** The sums of one fact, exact, and the hosts of its pieces. */
    private static final class Sums {
        BigDecimal busyS = BigDecimal.ZERO,
                idleS = BigDecimal.ZERO,
                busyKwh = BigDecimal.ZERO,
                idleKwh = BigDecimal.ZERO,
                busyG = BigDecimal.ZERO,
                idleG = BigDecimal.ZERO,
                embodied = BigDecimal.ZERO,
                hostSeconds = BigDecimal.ZERO;
        final Map<String, BigDecimal> kwhBySource = new HashMap<>();
        final java.util.Set<String> hosts = new java.util.HashSet<>();

        void add(BigDecimal bs, BigDecimal is, BigDecimal bk, BigDecimal ik, BigDecimal bg, BigDecimal ig) {
            busyS = busyS.add(bs, MC);
            idleS = idleS.add(is, MC);
            busyKwh = busyKwh.add(bk, MC);
            idleKwh = idleKwh.add(ik, MC);
            busyG = busyG.add(bg, MC);
            idleG = idleG.add(ig, MC);
        }

        double kwhOf(String source) {
            return kwhBySource.getOrDefault(source, BigDecimal.ZERO).doubleValue();
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
        Map<IntensityIdentity, IntensityEvent> intensity = new HashMap<>();
        Map<String, WorkspaceEvent> workspaces = new HashMap<>();
        for (Object e : arrivals) {
            if (e instanceof CpuEvent c) {
                cpu.put(new CpuIdentity(c.getInstance(), c.getTs().toEpochMilli(), c.getPeriodSeconds()), c);
            } else if (e instanceof IntensityEvent i) {
                intensity.put(new IntensityIdentity(i.getRegion(), i.getFrom().toEpochMilli()), i);
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
            BigDecimal busyWatts = BigDecimal.valueOf(config.power()
                    .busyWattsByMachine()
                    .getOrDefault(c.getMachineName(), config.power().busyWatts()));
            BigDecimal idleWatts = BigDecimal.valueOf(config.power()
                    .idleWattsByMachine()
                    .getOrDefault(c.getMachineName(), config.power().idleWatts()));
            BigDecimal pue = BigDecimal.valueOf(config.power().pue());
            // SPEC 2.2: every half-hour slot the interval [start, end) touches gets its share of time.
            for (long slot = Math.floorDiv(start, SLOT_MS) * SLOT_MS; slot < end; slot += SLOT_MS) {
                long pieceStart = Math.max(start, slot);
                long pieceEnd = Math.min(end, slot + SLOT_MS);
                BigDecimal share = BigDecimal.valueOf(pieceEnd - pieceStart).divide(BigDecimal.valueOf(periodMs), MC);
                BigDecimal busyS = new BigDecimal(c.getBusyCpuSeconds()).multiply(share, MC);
                BigDecimal idleS = new BigDecimal(c.getIdleCpuSeconds()).multiply(share, MC);
                // SPEC 2.1
                BigDecimal busyKwh =
                        busyS.multiply(busyWatts, MC).multiply(pue, MC).divide(JOULES_PER_KWH, MC);
                BigDecimal idleKwh =
                        idleS.multiply(idleWatts, MC).multiply(pue, MC).divide(JOULES_PER_KWH, MC);
                // SPEC 2.3
                Chosen chosen = intensityOf(intensity, slot);
                BigDecimal i = chosen.grams();
                BigDecimal busyG = busyKwh.multiply(i, MC);
                BigDecimal idleG = idleKwh.multiply(i, MC);
                // SPEC 2.4 and 2.5
                long bucket = Math.floorDiv(slot, grainMs()) * grainMs();
                List<FactKey> keys = new ArrayList<>(List.of(
                        new FactKey("ada", bucket, null),
                        new FactKey("project", bucket, c.getCloudProjectName()),
                        new FactKey("machine", bucket, c.getMachineName())));
                String owner = ownerAt(workspaces.values(), hostOf(c.getInstance()), pieceStart);
                if (owner != null) {
                    keys.add(new FactKey("user", bucket, owner));
                }
                // SPEC 2.9: CPU-seconds / 3,600 x E(machine), E in g per core-hour.
                BigDecimal embodied = busyS.add(idleS, MC)
                        .divide(new BigDecimal(3600), MC)
                        .multiply(embodiedPerCoreHour(c.getMachineName()), MC);
                // SPEC 2.10
                BigDecimal pieceSeconds =
                        BigDecimal.valueOf(pieceEnd - pieceStart).movePointLeft(3);
                for (FactKey k : keys) {
                    Sums s = sums.computeIfAbsent(k, x -> new Sums());
                    s.add(busyS, idleS, busyKwh, idleKwh, busyG, idleG);
                    s.embodied = s.embodied.add(embodied, MC);
                    s.kwhBySource.merge(chosen.source(), busyKwh.add(idleKwh, MC), (a, b) -> a.add(b, MC));
                    s.hostSeconds = s.hostSeconds.add(pieceSeconds, MC);
                    s.hosts.add(hostOf(c.getInstance()));
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
            facts.put(
                    k,
                    new FactRow(
                            s.busyS.doubleValue(),
                            s.idleS.doubleValue(),
                            s.busyKwh.doubleValue(),
                            s.idleKwh.doubleValue(),
                            s.busyG.doubleValue(),
                            s.idleG.doubleValue(),
                            fi.doubleValue(),
                            s.embodied.doubleValue(),
                            s.kwhOf("actual"),
                            s.kwhOf("forecast"),
                            s.kwhOf("regional"),
                            s.kwhOf("fallback"),
                            s.hostSeconds.doubleValue(),
                            s.hosts.size()));
        });

        // SPEC 3.3: a row per slot that has an intensity event (of any region) or any CPU time.
        Map<Long, SlotRow> slots = new TreeMap<>();
        TreeSet<Long> slotKeys = new TreeSet<>(slotsWithCpu);
        intensity.keySet().forEach(id -> slotKeys.add(id.from()));
        for (long slot : slotKeys) {
            IntensityEvent e = intensity.get(new IntensityIdentity(null, slot));
            IntensityEvent regional =
                    config.region() == null ? null : intensity.get(new IntensityIdentity(config.region(), slot));
            Chosen chosen = intensityOf(intensity, slot);
            slots.put(
                    slot,
                    new SlotRow(
                            slot,
                            e == null ? null : e.getForecast(),
                            e == null ? null : e.getActual(),
                            e == null ? null : e.getIndex(),
                            chosen.grams().doubleValue(),
                            chosen.source(),
                            slotsWithCpu.contains(slot),
                            config.region(),
                            regional == null ? null : regional.getForecast()));
        }
        return new Expected(facts, slots);
    }

    private long grainMs() {
        return config.grain().seconds() * 1000L;
    }

    /**
     * SPEC 2.3: with a region configured, its forecast if not null; else the national actual if not null, else
     * the national forecast if not null, else the fallback. Other regions never count.
     */
    private Chosen intensityOf(Map<IntensityIdentity, IntensityEvent> intensity, long slot) {
        if (config.region() != null) {
            IntensityEvent regional = intensity.get(new IntensityIdentity(config.region(), slot));
            if (regional != null && regional.getForecast() != null) {
                return new Chosen(new BigDecimal(regional.getForecast()), "regional");
            }
        }
        IntensityEvent e = intensity.get(new IntensityIdentity(null, slot));
        if (e != null && e.getActual() != null) {
            return new Chosen(new BigDecimal(e.getActual()), "actual");
        }
        if (e != null && e.getForecast() != null) {
            return new Chosen(new BigDecimal(e.getForecast()), "forecast");
        }
        return new Chosen(new BigDecimal(config.fallbackIntensity()), "fallback");
    }

    /** SPEC 2.5: the mean of I over the bucket's slots. */
    private BigDecimal bucketMean(long bucket, Map<IntensityIdentity, IntensityEvent> intensity) {
        long n = grainMs() / SLOT_MS;
        BigDecimal sum = BigDecimal.ZERO;
        for (long i = 0; i < n; i++) {
            sum = sum.add(intensityOf(intensity, bucket + i * SLOT_MS).grams(), MC);
        }
        return sum.divide(BigDecimal.valueOf(n), MC);
    }

    /** SPEC 2.9: E(machine) = server_kgCo2eq x 1,000 / (lifetime_years x 8,760) / server_cores. */
    private BigDecimal embodiedPerCoreHour(String machine) {
        var model = config.embodied();
        BigDecimal kg = BigDecimal.valueOf(model.serverKgByMachine().getOrDefault(machine, model.serverKg()));
        BigDecimal cores = BigDecimal.valueOf(model.serverCoresByMachine().getOrDefault(machine, model.serverCores()));
        BigDecimal hours = BigDecimal.valueOf(model.lifetimeYears()).multiply(new BigDecimal(8760), MC);
        return kg.multiply(new BigDecimal(1000), MC).divide(hours, MC).divide(cores, MC);
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
            boolean holds = created <= t
                    && (w.getDeletedTime() == null || t < w.getDeletedTime().toEpochMilli());
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

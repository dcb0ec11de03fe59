package ada.carbon.ingest.sim;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.Slots;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * One pass of a {@link PlatformSimulator}: its events in stream order, produced as they are asked for.
 *
 * <p>Time advances one scrape step at a time. At each tick the registry and grid events due by then
 * come out in time order, then one {@code cpu} event per host for the interval just ended. Only what is
 * pending is held (a few events per host, a few hours of intensity), so a year of a thousand hosts
 * streams in constant memory.
 *
 * <p>The grid is seen as the API shows it when the period ends: the actuals of its last day
 * ({@link SimulatorConfig#ACTUALS_PENDING}, at most half the period) have not arrived, so those slots keep
 * their forecasts; and after the last tick come the forecasts of the day after it
 * ({@link SimulatorConfig#FORECAST_AHEAD}), national and regional, as the API forecasts ahead of its newest
 * actual.
 */
public final class SimulationRun implements Iterator<SpecificRecord> {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long SLOT = 30 * MINUTE;
    /** Forecasts for a slot arrive this long before it starts. */
    private static final long FORECAST_LEAD = HOUR;

    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** Scrape outages per host per day. */
    private static final double OUTAGES_A_DAY = 1.0 / 28;

    private final SimulatorConfig config;
    private final IntensityCurve curve;
    private final WorkspaceKeys keys;
    private final SplittableRandom rng;
    private final long start;
    private final long end;
    private final long step;
    /** Slots from here on get no actual within the period. */
    private final long actualsUntil;

    private final double outageChance;

    private final List<UserEvent> registered = new ArrayList<>();
    private final List<String> ghosts = new ArrayList<>();
    private final Map<String, List<String>> ownersByProject = new HashMap<>();
    private final HostState[] states;

    private final PriorityQueue<Action> actions =
            new PriorityQueue<>(Comparator.comparingLong(Action::at).thenComparingLong(Action::seq));
    private final ArrayDeque<SpecificRecord> ready = new ArrayDeque<>();
    private long sequence;
    private long tick;
    private long nextSlot;
    private long nextPlannedDay;
    private Phase phase = Phase.START;

    private long users;
    private long workspaces;
    private long cpu;
    private long intensity;
    private long intensityActuals;
    private long missingCpu;
    private long missingSlots;
    private long regionalIntensity;
    private long missingRegionalSlots;

    private enum Phase {
        START,
        TICKING,
        DRAINING,
        DONE
    }

    private record Action(long at, long seq, Runnable body) {}

    SimulationRun(SimulatorConfig config, List<SimHost> hosts, List<SimUser> people) {
        this.config = config;
        this.curve = new IntensityCurve(config.seed());
        this.keys = new WorkspaceKeys(config.seed());
        this.rng = new SplittableRandom(Mix.of(config.seed(), 0x5EEDL, 0));
        this.start = config.start().toEpochMilli();
        this.end = config.end().toEpochMilli();
        this.step = config.step().toMillis();
        this.actualsUntil = end - Math.min(SimulatorConfig.ACTUALS_PENDING.toMillis(), (end - start) / 2);
        this.outageChance = OUTAGES_A_DAY * step / DAY;
        this.states = new HostState[hosts.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new HostState(hosts.get(i));
        }
        for (SimUser u : people) {
            if (u.registered()) {
                registered.add(
                        new UserEvent(u.userId(), u.displayName(), u.groupName(), new ArrayList<>(u.projects())));
                for (String p : u.projects()) {
                    ownersByProject.computeIfAbsent(p, k -> new ArrayList<>()).add(u.userId());
                }
            } else {
                ghosts.add(u.userId());
            }
        }
        this.tick = start + step;
        this.nextSlot = Slots.slotStart(start);
        this.nextPlannedDay = start;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && phase != Phase.DONE) {
            advance();
        }
        return !ready.isEmpty();
    }

    @Override
    public SpecificRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the simulation has ended");
        }
        return ready.poll();
    }

    /** The events emitted so far; the run's totals once {@link #hasNext()} is false. */
    public SimulatorCounts counts() {
        return new SimulatorCounts(
                users,
                workspaces,
                cpu,
                intensity,
                intensityActuals,
                missingCpu,
                missingSlots,
                regionalIntensity,
                missingRegionalSlots);
    }

    private void advance() {
        switch (phase) {
            case START -> {
                begin();
                phase = Phase.TICKING;
            }
            case TICKING -> {
                if (tick > end) {
                    phase = Phase.DRAINING;
                } else {
                    step(tick);
                    tick += step;
                }
            }
            case DRAINING -> {
                for (long until = end + SimulatorConfig.FORECAST_AHEAD.toMillis(); nextSlot < until; nextSlot += SLOT) {
                    planSlot(nextSlot);
                }
                runActionsUntil(Long.MAX_VALUE);
                phase = Phase.DONE;
            }
            case DONE -> {}
        }
    }

    /** The registry as it stands at the start: every user, then the workspaces already open. */
    private void begin() {
        registered.forEach(this::emit);
        for (HostState s : states) {
            if (s.host.spare()) {
                continue;
            }
            if (rng.nextDouble() < 0.8) {
                long created = start - HOUR - seconds(rng.nextLong(10 * DAY));
                long deleted = start + Math.max(10 * MINUTE, seconds((long) (lifetime() * rng.nextDouble())));
                open(s, created, deleted);
            } else {
                long at = start + seconds(rng.nextLong(12 * HOUR));
                schedule(at, () -> create(s, at));
            }
        }
    }

    private void step(long now) {
        while (nextPlannedDay < end && nextPlannedDay <= now + DAY) {
            planUserUpdates(nextPlannedDay);
            nextPlannedDay += DAY;
        }
        while (nextSlot < end && nextSlot - FORECAST_LEAD <= now) {
            planSlot(nextSlot);
            nextSlot += SLOT;
        }
        runActionsUntil(now);
        emitCpu(now - step);
    }

    private void runActionsUntil(long t) {
        while (!actions.isEmpty() && actions.peek().at() <= t) {
            actions.poll().body().run();
        }
    }

    private void schedule(long at, Runnable body) {
        actions.add(new Action(at, sequence++, body));
    }

    // --- Grid intensity -------------------------------------------------------------------------

    /** The slot's national forecast an hour ahead, its actual hours after it, and the region's forecast. */
    private void planSlot(long slot) {
        IntensityCurve.SlotFate fate = curve.fate(slot);
        boolean hasForecast = fate == IntensityCurve.SlotFate.NORMAL || fate == IntensityCurve.SlotFate.ACTUAL_NULL;
        boolean actualArrives = fate != IntensityCurve.SlotFate.MISSING && slot < actualsUntil;
        long ahead = Math.max(start, slot - FORECAST_LEAD);
        double forecast = curve.forecast(slot);
        if (hasForecast) {
            schedule(ahead, () -> emitIntensity(slot, forecast, null, IntensityCurve.index(forecast), null));
        }
        if (actualArrives) {
            long late = slot
                    + SLOT
                    + HOUR
                    + new SplittableRandom(Mix.of(config.seed(), 0x1A7EL, slot)).nextLong(180) * MINUTE;
            Double lateForecast = fate == IntensityCurve.SlotFate.ACTUAL_ONLY ? null : forecast;
            Double lateActual = fate == IntensityCurve.SlotFate.ACTUAL_NULL ? null : curve.actual(slot);
            String index = IntensityCurve.index(lateActual != null ? lateActual : forecast);
            schedule(late, () -> emitLateIntensity(slot, lateForecast, lateActual, index));
        }
        if (!hasForecast && !actualArrives && slot < end) {
            missingSlots++;
        }
        if (curve.regionalMissing(slot)) {
            missingRegionalSlots += slot < end ? 1 : 0;
        } else {
            double regional = curve.regionalForecast(slot);
            schedule(
                    ahead,
                    () -> emitIntensity(slot, regional, null, IntensityCurve.index(regional), SimulatorConfig.REGION));
        }
    }

    private void emitLateIntensity(long slot, Double forecast, Double actual, String index) {
        intensityActuals++;
        emitIntensity(slot, forecast, actual, index, null);
    }

    private void emitIntensity(long slot, Double forecast, Double actual, String index, Integer region) {
        regionalIntensity += region == null ? 0 : 1;
        emit(new IntensityEvent(
                Instant.ofEpochMilli(slot), Instant.ofEpochMilli(slot + SLOT), forecast, actual, index, region));
    }

    // --- Users ----------------------------------------------------------------------------------

    /** Up to two users a day change group, name or projects: replacements by identity. */
    private void planUserUpdates(long dayStart) {
        int count = rng.nextInt(3);
        for (int i = 0; i < count; i++) {
            long at = dayStart + seconds(rng.nextLong(DAY));
            if (at >= start && at < end) {
                schedule(at, this::updateUser);
            }
        }
    }

    private void updateUser() {
        int i = rng.nextInt(registered.size());
        UserEvent u = UserEvent.newBuilder(registered.get(i)).build();
        double r = rng.nextDouble();
        if (r < 0.5) {
            u.setGroupName(Population.group(rng));
        } else if (r < 0.75 && u.getDisplayName() == null) {
            u.setDisplayName("Visiting Scientist " + (i + 1));
        } else {
            u.setProjects(new ArrayList<>(Population.projects(rng)));
        }
        registered.set(i, u);
        emit(u);
    }

    // --- Workspaces -----------------------------------------------------------------------------

    private void create(HostState s, long at) {
        open(s, at, at + lifetime());
    }

    /**
     * Opens a workspace on the host and schedules its deletion and its successor: usually after a gap
     * or at once, sometimes a few minutes before the deletion (the registry briefly shows two).
     */
    private void open(HostState s, long created, long deleteAt) {
        SimHost h = s.host;
        String owner = owner(h.project());
        WorkspaceEvent ws = new WorkspaceEvent(
                keys.next(created),
                h.registryInstance(),
                owner,
                h.project(),
                h.machine(),
                Instant.ofEpochMilli(created),
                null);
        emit(ws);
        s.workspace = ws;
        s.load = 0.15 + 0.7 * rng.nextDouble();
        s.batch = rng.nextDouble() < 0.15;
        if (deleteAt < end) {
            schedule(deleteAt, () -> delete(s, ws, deleteAt));
        }
        double r = rng.nextDouble();
        long next;
        if (r < 0.55) {
            next = deleteAt + 5 * MINUTE + seconds(rng.nextLong(8 * HOUR));
        } else if (r < 0.90) {
            next = deleteAt + seconds(10_000 + rng.nextLong(5 * MINUTE));
        } else {
            next = deleteAt - MINUTE - seconds(rng.nextLong(14 * MINUTE));
        }
        if (next < end) {
            long at = Math.max(next, start);
            schedule(at, () -> create(s, at));
        }
    }

    private void delete(HostState s, WorkspaceEvent ws, long at) {
        emit(WorkspaceEvent.newBuilder(ws)
                .setDeletedTime(Instant.ofEpochMilli(at))
                .build());
        if (s.workspace == ws) {
            s.workspace = null;
        }
    }

    /** Mostly someone working in the host's project; some pool workspaces nobody claimed; a few ghosts. */
    private String owner(String project) {
        double r = rng.nextDouble();
        if (r < 0.15) {
            return null;
        }
        if (r < 0.18 && !ghosts.isEmpty()) {
            return ghosts.get(rng.nextInt(ghosts.size()));
        }
        List<String> candidates = ownersByProject.get(project);
        if (candidates == null || candidates.isEmpty()) {
            return registered.get(rng.nextInt(registered.size())).getUserId();
        }
        return candidates.get(rng.nextInt(candidates.size()));
    }

    /** A third of workspaces last hours (hosts change hands within a day), most days, a few weeks. */
    private long lifetime() {
        double r = rng.nextDouble();
        if (r < 0.35) {
            return HOUR + seconds(rng.nextLong(9 * HOUR));
        }
        if (r < 0.80) {
            return 10 * HOUR + seconds(rng.nextLong(62 * HOUR));
        }
        return 3 * DAY + seconds(rng.nextLong(17 * DAY));
    }

    // --- CPU ------------------------------------------------------------------------------------

    private void emitCpu(long intervalStart) {
        Instant ts = Instant.ofEpochMilli(intervalStart);
        double working = workingHours(intervalStart);
        long periodSeconds = config.stepSeconds();
        for (HostState s : states) {
            if (s.outageLeft > 0) {
                s.outageLeft--;
                missingCpu++;
                continue;
            }
            if (rng.nextDouble() < outageChance) {
                long outage = 5 * MINUTE + rng.nextLong(55 * MINUTE);
                s.outageLeft = (int) Math.max(0, outage / step - 1);
                missingCpu++;
                continue;
            }
            double capacity = (double) s.host.cores() * periodSeconds;
            // Counters never quite add up to cores × step: scrape timing loses a little.
            double total = Math.floor(capacity * (0.998 + 0.0018 * rng.nextDouble()) * 100) / 100;
            double busy = hundredths(total * utilisation(s, working));
            double idle = Math.max(0, hundredths(total - busy));
            SimHost h = s.host;
            emit(new CpuEvent(h.instance(), h.project(), h.machine(), ts, periodSeconds, busy, idle));
        }
    }

    private double utilisation(HostState s, double working) {
        if (!s.claimed()) {
            return 0.005 + 0.03 * rng.nextDouble();
        }
        if (s.batch) {
            return 0.85 + 0.1 * rng.nextDouble();
        }
        double u = s.load * working + 0.05 * rng.nextGaussian();
        return Math.max(0.005, Math.min(0.99, u));
    }

    /** 1 in UK working hours on weekdays, falling to a quarter at night and half that at weekends. */
    private static double workingHours(long t) {
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(UK);
        double hour = local.getHour() + local.getMinute() / 60.0;
        double day = 0.25 + 0.75 * rise(hour - 8.5) * rise(18 - hour);
        DayOfWeek dow = local.getDayOfWeek();
        boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
        return weekend ? day * 0.5 : day;
    }

    private static double rise(double x) {
        return 1 / (1 + Math.exp(-2 * x));
    }

    // --- Helpers --------------------------------------------------------------------------------

    private void emit(SpecificRecord e) {
        if (e instanceof CpuEvent) {
            cpu++;
        } else if (e instanceof IntensityEvent) {
            intensity++;
        } else if (e instanceof WorkspaceEvent) {
            workspaces++;
        } else {
            users++;
        }
        ready.add(e);
    }

    /** Registry times are whole seconds, as the registry records them. */
    private static long seconds(long millis) {
        return millis / 1000 * 1000;
    }

    private static double hundredths(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

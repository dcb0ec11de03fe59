package ada.carbon.aggregator.oracle;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A generated history of events: a list of operations (new cpu event, correction of one, intensity reading,
 * workspace record, end of a workspace, user) that becomes Avro events in generation order, plus a seed for a
 * second arrival order with duplicates. Operations refer to earlier events by index, so the list shrinks well.
 * Times are folded into the first {@code spanHours} hours of the day, so that short spans crowd events together
 * (several hosts and corrections in one bucket) and the whole day spreads them out.
 */
record Scenario(
        int configChoice,
        int spanHours,
        int hosts,
        int projects,
        int machines,
        List<Op> ops,
        long permutationSeed,
        int duplicates) {

    static final Instant T0 = Times.parse("2025-09-11T00:00:00Z");

    sealed interface Op permits NewCpu, FixCpu, NewIntensity, NewWorkspace, TwinWorkspaces, EndWorkspace, NewUser {}

    /** A cpu event; {@code labelVariant} 3 uses the host's other cpu label (a distinct identity, same host). */
    record NewCpu(
            int host, int labelVariant, int project, int machine, int startSecond, int period, double busy, double idle)
            implements Op {}

    /** A correction: the same identity as an earlier cpu event with new figures; project/machine -1 keeps them. */
    record FixCpu(int target, int project, int machine, double busy, double idle) implements Op {}

    /**
     * A reading for slot T0 + (slot - 2) half hours of a series ({@link #REGIONS}: national, the region some
     * configurations choose, another region); the same slot and series again replaces it.
     */
    record NewIntensity(int slot, int series, Double forecast, Double actual) implements Op {}

    /** A workspace record; the same key again replaces it. owner -1 is null; length -1 is not deleted. */
    record NewWorkspace(
            int key, int host, int labelVariant, int owner, int createdMinute, int lengthMinutes, int project)
            implements Op {}

    /** Two workspaces on one host created at the same time (SPEC 2.4: the greater key wins), both still open. */
    record TwinWorkspaces(
            int key,
            int otherKey,
            int host,
            int labelVariant,
            int otherLabelVariant,
            int owner,
            int otherOwner,
            int createdMinute)
            implements Op {}

    /** An earlier workspace re-sent with a deleted_time {@code afterMinutes} after its created_time. */
    record EndWorkspace(int target, int afterMinutes) implements Op {}

    record NewUser(int user) implements Op {}

    static final String[] PROJECTS = {"IDAaaS", "CDAaaS", "ISIS"};
    static final String[] MACHINES = {"Muon", "SANS", "Excitations"};
    /** The series of intensity readings: national (null), region 12 (South England), region 13 (London). */
    static final Integer[] REGIONS = {null, 12, 13};

    static final String[] USERS = {"aa123456", "bb234567", "cc345678"};
    static final String[] KEYS = {
        "65f1c0de9a1b2c3d4e5f6a70",
        "65f1c0de9a1b2c3d4e5f6a71",
        "65f1c0de9a1b2c3d4e5f6a72",
        "65f1c0de9a1b2c3d4e5f6a7a",
        "65f1c0de9a1b2c3d4e5f6a7b",
        "pool-1"
    };
    /** Per host: the cpu label, then the other cpu label. */
    static final String[][] CPU_LABELS = {
        {"host-172-16-100-116.nubes.stfc.ac.uk:9100", "HOST-172-16-100-116.nubes.stfc.ac.uk:9100"},
        {"[fe80::a1]:9100", "[FE80::A1]:9100"},
        {"ada-node-3", "ada-node-3:9100"},
        {"host-172-16-100-7.nubes.stfc.ac.uk:9100", "host-172-16-100-7.nubes.stfc.ac.uk:9200"}
    };
    /** Per host: how workspace records may name it (case, port, brackets vary). The last host has no cpu. */
    static final String[][] WORKSPACE_LABELS = {
        {
            "host-172-16-100-116.nubes.stfc.ac.uk:9100",
            "HOST-172-16-100-116.NUBES.STFC.AC.UK:9100",
            "host-172-16-100-116.nubes.stfc.ac.uk",
            "Host-172-16-100-116.Nubes.stfc.ac.uk:22"
        },
        {"[fe80::a1]:9100", "[FE80::A1]", "fe80::A1", "[fe80::a1]:22"},
        {"ada-node-3", "ADA-NODE-3:9100", "Ada-Node-3", "ada-node-3:1"},
        {
            "host-172-16-100-7.nubes.stfc.ac.uk:9100",
            "HOST-172-16-100-7.nubes.stfc.ac.uk",
            "host-172-16-100-7.NUBES.stfc.ac.uk:9200",
            "host-172-16-100-7.nubes.stfc.ac.uk:9100"
        },
        {
            "host-172-16-100-11.nubes.stfc.ac.uk:9100",
            "HOST-172-16-100-11.nubes.stfc.ac.uk",
            "host-172-16-100-11.nubes.stfc.ac.uk",
            "host-172-16-100-1.nubes.stfc.ac.uk:9100"
        }
    };

    AccountingConfig config() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (configChoice == 1 || configChoice == 3) {
            settings.put(AccountingConfig.GRAIN, "1800");
        }
        if (configChoice == 2 || configChoice == 3) {
            settings.put(AccountingConfig.PUE, "1.4");
            settings.put(AccountingConfig.BUSY_WATTS + ".Muon", "20");
            settings.put(AccountingConfig.IDLE_WATTS + ".SANS", "2.5");
            settings.put(AccountingConfig.FALLBACK, "250");
            // SPEC 2.3's site grid and SPEC 2.9's per-machine hardware
            settings.put(AccountingConfig.REGION, "12");
            settings.put(AccountingConfig.EMBODIED_KG + ".Muon", "2400");
            settings.put(AccountingConfig.EMBODIED_CORES + ".Muon", "16");
            settings.put(AccountingConfig.LIFETIME, "5");
        }
        if (configChoice == 1) {
            settings.put(AccountingConfig.EMBODIED_KG + ".SANS", "0");
        }
        return AccountingConfig.from(settings);
    }

    /** The events, in generation order. */
    List<Object> events() {
        List<Object> out = new ArrayList<>();
        List<CpuEvent> cpu = new ArrayList<>(); // latest version per identity, by first appearance
        List<WorkspaceEvent> workspaces = new ArrayList<>(); // latest version per key, by first appearance
        for (Op op : ops) {
            if (op instanceof TwinWorkspaces t) {
                int minute = t.createdMinute() < 0 ? t.createdMinute() : t.createdMinute() % (spanHours * 60);
                NewWorkspace first = new NewWorkspace(t.key(), t.host(), t.labelVariant(), t.owner(), minute, -1, 0);
                NewWorkspace second =
                        new NewWorkspace(t.otherKey(), t.host(), t.otherLabelVariant(), t.otherOwner(), minute, -1, 0);
                for (NewWorkspace w : List.of(first, second)) {
                    WorkspaceEvent event = (WorkspaceEvent) materialize(w, cpu, workspaces);
                    out.add(event);
                    replace(workspaces, event);
                }
                continue;
            }
            Object event = materialize(op, cpu, workspaces);
            if (event == null) {
                continue;
            }
            out.add(event);
            if (event instanceof CpuEvent c) {
                replace(cpu, c);
            } else if (event instanceof WorkspaceEvent w) {
                replace(workspaces, w);
            }
        }
        return out;
    }

    private Object materialize(Op op, List<CpuEvent> cpu, List<WorkspaceEvent> workspaces) {
        if (op instanceof NewCpu c) {
            return new CpuEvent(
                    CPU_LABELS[c.host() % hosts][c.labelVariant() == 3 ? 1 : 0],
                    PROJECTS[c.project() % projects],
                    MACHINES[c.machine() % machines],
                    T0.plusSeconds(c.startSecond() % (spanHours * 3600)),
                    (long) c.period(),
                    c.busy(),
                    c.idle());
        }
        if (op instanceof FixCpu f) {
            if (cpu.isEmpty()) {
                return null;
            }
            CpuEvent base = cpu.get(f.target() % cpu.size());
            return new CpuEvent(
                    base.getInstance(),
                    f.project() < 0 ? base.getCloudProjectName() : PROJECTS[f.project() % projects],
                    f.machine() < 0 ? base.getMachineName() : MACHINES[f.machine() % machines],
                    base.getTs(),
                    base.getPeriodSeconds(),
                    f.busy(),
                    f.idle());
        }
        if (op instanceof NewIntensity i) {
            Instant from = T0.plusSeconds((i.slot() % (2 * spanHours + 4) - 2) * 1800L);
            Double shown = i.actual() != null ? i.actual() : i.forecast();
            String index = shown == null ? null : shown < 100 ? "low" : shown < 200 ? "moderate" : "high";
            return new IntensityEvent(
                    from,
                    from.plusSeconds(1800),
                    i.forecast(),
                    i.actual(),
                    index,
                    REGIONS[i.series() % REGIONS.length]);
        }
        if (op instanceof NewWorkspace w) {
            int minute = w.createdMinute() < 0 ? w.createdMinute() : w.createdMinute() % (spanHours * 60);
            Instant created = T0.plusSeconds(minute * 60L);
            // Host 9 is a host with no cpu whose name is a prefix of another's.
            int host = w.host() == 9 ? WORKSPACE_LABELS.length - 1 : w.host() % hosts;
            return new WorkspaceEvent(
                    KEYS[w.key()],
                    WORKSPACE_LABELS[host][w.labelVariant()],
                    w.owner() < 0 ? null : USERS[w.owner()],
                    PROJECTS[w.project() % projects],
                    MACHINES[w.project() % machines],
                    created,
                    w.lengthMinutes() < 0 ? null : created.plusSeconds(w.lengthMinutes() * 60L));
        }
        if (op instanceof EndWorkspace e) {
            if (workspaces.isEmpty()) {
                return null;
            }
            WorkspaceEvent base = workspaces.get(e.target() % workspaces.size());
            return new WorkspaceEvent(
                    base.getWorkspaceKey(),
                    base.getInstance(),
                    base.getOwner(),
                    base.getCloudProjectName(),
                    base.getMachineName(),
                    base.getCreatedTime(),
                    base.getCreatedTime().plusSeconds(e.afterMinutes() * 60L));
        }
        NewUser u = (NewUser) op;
        return new UserEvent(
                USERS[u.user()], "User " + u.user(), "RB241000" + u.user(), List.of(PROJECTS[u.user() % projects]));
    }

    private static <T> void replace(List<T> latest, T event) {
        for (int i = 0; i < latest.size(); i++) {
            if (identity(latest.get(i)).equals(identity(event))) {
                latest.set(i, event);
                return;
            }
        }
        latest.add(event);
    }

    /** SPEC 1: the identity that a later event replaces. */
    static Object identity(Object e) {
        if (e instanceof CpuEvent c) {
            return List.of("cpu", c.getInstance(), c.getTs(), c.getPeriodSeconds());
        }
        if (e instanceof IntensityEvent i) {
            return List.of("intensity", i.getRegion() == null ? "national" : i.getRegion(), i.getFrom());
        }
        if (e instanceof WorkspaceEvent w) {
            return List.of("workspace", w.getWorkspaceKey());
        }
        if (e instanceof UserEvent u) {
            return List.of("user", u.getUserId());
        }
        throw new IllegalArgumentException(String.valueOf(e));
    }

    /**
     * Another arrival order of the same events, with {@code duplicates} exact copies of random events added,
     * shuffled freely except that the final version of each identity still arrives after every other version
     * of it, so that the set of events after replacement is the same.
     */
    List<Object> permuted() {
        List<Object> events = events();
        Map<Object, Object> finals = new LinkedHashMap<>();
        for (Object e : events) {
            finals.put(identity(e), e);
        }
        Random random = new Random(permutationSeed);
        List<Object> pool = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Object e = events.get(i);
            if (finals.get(identity(e)) != e) {
                pool.add(e);
            }
        }
        for (int d = 0; d < duplicates && !events.isEmpty(); d++) {
            pool.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(pool, random);
        List<Object> lastVersions = new ArrayList<>(finals.values());
        Collections.shuffle(lastVersions, random);
        for (Object f : lastVersions) {
            int after = -1;
            for (int i = 0; i < pool.size(); i++) {
                Object e = pool.get(i);
                if (identity(e).equals(identity(f)) && !Objects.equals(e, f)) {
                    after = i;
                }
            }
            pool.add(after + 1 + random.nextInt(pool.size() - after), f);
        }
        return pool;
    }

    @Override
    public String toString() {
        List<Object> events = events();
        return "Scenario[config=" + config().toProperties() + ", spanHours=" + spanHours + ", hosts=" + hosts
                + ", projects=" + projects
                + ", machines=" + machines + ", permutationSeed=" + permutationSeed + ", duplicates=" + duplicates
                + "]\n-- in generation order (" + events.size() + " events):\n" + EventText.lines(events)
                + "\n-- permuted with duplicates:\n" + EventText.lines(permuted());
    }
}

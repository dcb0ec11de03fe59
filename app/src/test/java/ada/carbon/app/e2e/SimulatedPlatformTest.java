package ada.carbon.app.e2e;

import static ada.carbon.app.e2e.E2e.number;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import ada.carbon.stack.LocalStack;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated platform (10 hosts, 2 days) through {@link LocalStack} on a real broker, then the SPEC
 * invariants over the whole database, and every fact against an independent recomputation of SPEC 2
 * from the events themselves (written here, sharing no code with the pipeline).
 */
class SimulatedPlatformTest {
    static final long SLOT = 30 * 60 * 1000L;
    static final long HOUR = 2 * SLOT;
    static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;

    static Path db;
    static List<SpecificRecord> events;
    static Oracle oracle;
    static final Map<String, GroupState> groupsAfterClose = new java.util.HashMap<>();

    /** As the demo's: the simulated region's forecasts first (SPEC 2.3), Muon's hardware its own (SPEC 2.9). */
    static final AccountingConfig ACCOUNTING = AccountingConfig.from(Map.of(
            "intensity.region",
            Integer.toString(SimulatorConfig.REGION),
            "embodied.server.kgco2eq.Muon",
            "2400",
            "embodied.server.cores.Muon",
            "16"));

    @BeforeAll
    static void simulate() throws Exception {
        PlatformSimulator simulator =
                new PlatformSimulator(SimulatorConfig.defaults().withHosts(10).withDays(2));
        events = simulator.stream().toList();
        db = dir.resolve("simulated.db");
        long started = System.nanoTime();
        int rejected = 0;
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("kafka"))) {
            try (LocalStack stack = LocalStack.start(dir.resolve("state"), broker.bootstrapServers(), ACCOUNTING, db)) {
                for (SpecificRecord e : events) {
                    if (!stack.publisher().publish(e)) {
                        rejected++;
                    }
                }
                stack.awaitCaughtUp(Duration.ofMinutes(5));
            }
            try (Admin admin = broker.createAdmin()) {
                admin.describeConsumerGroups(List.of(AggregatorSettings.DEFAULT_APPLICATION_ID))
                        .all()
                        .get()
                        .forEach((group, description) -> groupsAfterClose.put(group, description.groupState()));
            }
        }
        System.out.printf(
                "[e2e] simulated platform: %d events through the stack in %d ms%n",
                events.size(), (System.nanoTime() - started) / 1_000_000);
        assertThat(rejected).as("simulated events the publisher rejected").isZero();
        oracle = new Oracle(events);
    }

    /** Otherwise the next run on the same data directory waits out the old member's session to rebalance. */
    @Test
    void theAggregatorLeavesItsConsumerGroupWhenTheStackCloses() {
        assertThat(groupsAfterClose).containsEntry(AggregatorSettings.DEFAULT_APPLICATION_ID, GroupState.EMPTY);
    }

    @Test
    void theSimulationCoversWhatItShould() {
        assertThat(oracle.cpu).hasSizeGreaterThan(5_000);
        assertThat(oracle.facts.keySet()).extracting(k -> k.get(0)).contains("ada", "project", "machine", "user");
        assertThat(E2e.query(db, "SELECT DISTINCT source FROM fact_intensity"))
                .extracting(r -> r.get("source"))
                // The fallback never: where the region has no forecast, the nation has one (FootprintEndToEndTest
                // has a slot with neither).
                .as("the simulation exercises the intensity sources")
                .contains("actual", "forecast", "regional");
    }

    @Test
    void everyBucketBalancesAcrossScopes() {
        int buckets = Invariants.assertScopesBalance(db);
        assertThat((long) buckets)
                .as("hours with CPU")
                .isEqualTo(oracle.facts.keySet().stream()
                        .filter(k -> k.get(0).equals("ada"))
                        .count())
                .isGreaterThanOrEqualTo(47);
    }

    @Test
    void totalsViewsAreTheSumsOfTheTimeseriesViews() {
        Invariants.assertTotalsAreSumsOfTimeseries(db);
    }

    @Test
    void factIntensityHasEverySlotWithCpuAndAKnownSource() {
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM fact_intensity");
        Map<String, Map<String, Object>> byTs = new TreeMap<>();
        rows.forEach(r -> byTs.put((String) r.get("ts"), r));
        Set<String> expectedSlots = new TreeSet<>(oracle.slotsWithCpu);
        oracle.intensity.keySet().forEach(slot -> expectedSlots.add(ts(slot)));
        oracle.regional.keySet().forEach(slot -> expectedSlots.add(ts(slot)));
        assertThat(byTs.keySet()).as("fact_intensity slots").containsExactlyInAnyOrderElementsOf(expectedSlots);
        for (Map<String, Object> r : rows) {
            String ts = (String) r.get("ts");
            assertThat(r.get("source")).as("source of %s", ts).isIn("actual", "forecast", "regional", "fallback");
            assertThat(number(r.get("has_cpu")))
                    .as("has_cpu of %s", ts)
                    .isEqualTo(oracle.slotsWithCpu.contains(ts) ? 1.0 : 0.0);
            long slot = Instant.parse(ts).toEpochMilli();
            IntensityEvent reading = oracle.intensity.get(slot);
            IntensityEvent regional = oracle.regional.get(slot);
            String source = regional != null && regional.getForecast() != null
                    ? "regional"
                    : reading != null && reading.getActual() != null
                            ? "actual"
                            : reading != null && reading.getForecast() != null ? "forecast" : "fallback";
            assertThat(r.get("source")).as("source of %s", ts).isEqualTo(source);
            E2e.assertClose("intensity of " + ts, oracle.intensityOf(slot), number(r.get("intensity_gCo2eq_kwh")));
        }
    }

    @Test
    void everyFactEqualsTheIndependentRecomputation() {
        List<Map<String, Object>> rows = E2e.query(
                db,
                "SELECT f.scope, f.ts, "
                        + "COALESCE(p.cloud_project_name, m.machine_name, f.user_id, '') AS entity, e.embodied_gCo2eq, f.* "
                        + "FROM fact_usage f LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id "
                        + "LEFT JOIN dim_project p ON p.project_id = f.project_id LEFT JOIN dim_machine m ON m.machine_id = f.machine_id");
        Map<List<String>, Map<String, Object>> actual = new HashMap<>();
        for (Map<String, Object> r : rows) {
            actual.put(List.of((String) r.get("scope"), (String) r.get("ts"), (String) r.get("entity")), r);
        }
        assertThat(actual.keySet())
                .as("facts (scope, ts, entity)")
                .containsExactlyInAnyOrderElementsOf(oracle.facts.keySet());
        List<String> wrong = new ArrayList<>();
        oracle.facts.forEach((key, expected) -> {
            Map<String, Object> row = actual.get(key);
            double[] got = new double[6];
            for (int i = 0; i < 6; i++) {
                got[i] = number(row.get(Invariants.METRICS[i]));
                if (!E2e.close(expected[i], got[i])) {
                    wrong.add(key + " " + Invariants.METRICS[i] + ": expected " + expected[i] + ", found " + got[i]);
                }
            }
            if (!E2e.close(expected[6], number(row.get("embodied_gCo2eq")))) {
                wrong.add(key + " embodied_gCo2eq: expected " + expected[6] + ", found " + row.get("embodied_gCo2eq"));
            }
            double energy = expected[2] + expected[3];
            double intensity = energy > 0
                    ? (expected[4] + expected[5]) / energy
                    : oracle.bucketMeanIntensity(Instant.parse(key.get(1)).toEpochMilli());
            if (!E2e.close(intensity, number(row.get("intensity_gCo2eq_kwh")))) {
                wrong.add(key + " intensity: expected " + intensity + ", found " + row.get("intensity_gCo2eq_kwh"));
            }
        });
        assertThat(wrong)
                .as("facts that differ from SPEC 2 recomputed from the events")
                .isEmpty();
    }

    @Test
    void registryTablesMatchTheLatestEvents() {
        Set<String> active = new TreeSet<>();
        oracle.workspaces.values().stream()
                .filter(w -> w.getDeletedTime() == null)
                .forEach(w -> active.add(w.getWorkspaceKey()));
        assertThat(E2e.query(db, "SELECT workspace_key FROM active_workspace"))
                .extracting(r -> (String) r.get("workspace_key"))
                .containsExactlyInAnyOrderElementsOf(active);
        Set<String> users = new TreeSet<>(oracle.users.keySet());
        oracle.workspaces.values().stream().filter(w -> w.getOwner() != null).forEach(w -> users.add(w.getOwner()));
        assertThat(E2e.query(db, "SELECT user_id FROM dim_user"))
                .extracting(r -> (String) r.get("user_id"))
                .containsExactlyInAnyOrderElementsOf(users);
        Set<String> labels = new TreeSet<>();
        oracle.cpu.values().forEach(c -> labels.add(c.getInstance()));
        oracle.workspaces.values().forEach(w -> labels.add(w.getInstance()));
        assertThat(E2e.query(db, "SELECT raw_label FROM dim_instance"))
                .extracting(r -> (String) r.get("raw_label"))
                .containsExactlyInAnyOrderElementsOf(labels);
    }

    static String ts(long millis) {
        return TS.format(Instant.ofEpochMilli(millis));
    }

    /** SPEC 2 recomputed from the events, straight from the text: defaults, hourly grain, no horizon reached. */
    static final class Oracle {
        final Map<String, CpuEvent> cpu = new LinkedHashMap<>();
        final Map<Long, IntensityEvent> intensity = new HashMap<>();
        /** The region's series (SimulatorConfig.REGION); other regions' are never used. */
        final Map<Long, IntensityEvent> regional = new HashMap<>();

        final Map<String, WorkspaceEvent> workspaces = new LinkedHashMap<>();
        final Map<String, UserEvent> users = new LinkedHashMap<>();
        /** (scope, ts, entity) to busy s, idle s, busy kWh, idle kWh, busy g, idle g, embodied g. */
        final Map<List<String>, double[]> facts = new HashMap<>();

        final Set<String> slotsWithCpu = new HashSet<>();

        Oracle(List<SpecificRecord> events) {
            // Replacement by identity: the later event wins.
            for (SpecificRecord e : events) {
                if (e instanceof CpuEvent c) {
                    cpu.put(c.getInstance() + "|" + c.getTs() + "|" + c.getPeriodSeconds(), c);
                } else if (e instanceof IntensityEvent i && i.getRegion() == null) {
                    intensity.put(i.getFrom().toEpochMilli(), i);
                } else if (e instanceof IntensityEvent i && i.getRegion() == SimulatorConfig.REGION) {
                    regional.put(i.getFrom().toEpochMilli(), i);
                } else if (e instanceof WorkspaceEvent w) {
                    workspaces.put(w.getWorkspaceKey(), w);
                } else if (e instanceof UserEvent u) {
                    users.put(u.getUserId(), u);
                }
            }
            Map<String, List<WorkspaceEvent>> owned = new HashMap<>();
            for (WorkspaceEvent w : workspaces.values()) {
                if (w.getOwner() != null) {
                    owned.computeIfAbsent(host(w.getInstance()), k -> new ArrayList<>())
                            .add(w);
                }
            }
            for (CpuEvent c : cpu.values()) {
                long start = c.getTs().toEpochMilli();
                long period = c.getPeriodSeconds() * 1000L;
                long end = start + period;
                for (long slot = Math.floorDiv(start, SLOT) * SLOT; slot < end; slot += SLOT) {
                    long pieceStart = Math.max(start, slot);
                    double share = (double) (Math.min(end, slot + SLOT) - pieceStart) / period;
                    double busy = c.getBusyCpuSeconds() * share;
                    double idle = c.getIdleCpuSeconds() * share;
                    double busyKwh = busy * 12.0 / 3_600_000;
                    double idleKwh = idle * 1.0 / 3_600_000;
                    double i = intensityOf(slot);
                    // SPEC 2.9: kg x 1000 / (4 years x 8760 h) / cores, per core-hour; Muon 2,400 kg of 16 cores.
                    double perCoreHour =
                            c.getMachineName().equals("Muon") ? 2400_000.0 / 35_040 / 16 : 1000_000.0 / 35_040 / 48;
                    double[] m = {
                        busy, idle, busyKwh, idleKwh, busyKwh * i, idleKwh * i, (busy + idle) / 3600 * perCoreHour
                    };
                    String bucket = ts(Math.floorDiv(slot, HOUR) * HOUR);
                    slotsWithCpu.add(ts(slot));
                    add(List.of("ada", bucket, ""), m);
                    add(List.of("project", bucket, c.getCloudProjectName()), m);
                    add(List.of("machine", bucket, c.getMachineName()), m);
                    String owner = ownerAt(owned.getOrDefault(host(c.getInstance()), List.of()), pieceStart);
                    if (owner != null) {
                        add(List.of("user", bucket, owner), m);
                    }
                }
            }
        }

        double intensityOf(long slot) {
            IntensityEvent own = regional.get(slot);
            if (own != null && own.getForecast() != null) {
                return own.getForecast();
            }
            IntensityEvent r = intensity.get(slot);
            if (r != null && r.getActual() != null) {
                return r.getActual();
            }
            if (r != null && r.getForecast() != null) {
                return r.getForecast();
            }
            return 200.0;
        }

        double bucketMeanIntensity(long bucket) {
            return (intensityOf(bucket) + intensityOf(bucket + SLOT)) / 2;
        }

        private void add(List<String> key, double[] m) {
            double[] sum = facts.computeIfAbsent(key, k -> new double[7]);
            for (int i = 0; i < 7; i++) {
                sum[i] += m[i];
            }
        }

        /** SPEC 2.4: among owned workspaces holding the host at t, the later created wins, then the greater key. */
        private static String ownerAt(List<WorkspaceEvent> tenures, long t) {
            WorkspaceEvent best = null;
            for (WorkspaceEvent w : tenures) {
                long created = w.getCreatedTime().toEpochMilli();
                boolean holds = created <= t
                        && (w.getDeletedTime() == null || t < w.getDeletedTime().toEpochMilli());
                if (holds
                        && (best == null
                                || created > best.getCreatedTime().toEpochMilli()
                                || created == best.getCreatedTime().toEpochMilli()
                                        && w.getWorkspaceKey().compareTo(best.getWorkspaceKey()) > 0)) {
                    best = w;
                }
            }
            return best == null ? null : best.getOwner();
        }

        /** SPEC 1.1: the host part of an instance label, compared without regard to case (SPEC 1.3). */
        static String host(String label) {
            String host;
            if (label.startsWith("[")) {
                host = label.substring(1, label.indexOf(']'));
            } else if (label.indexOf(':') >= 0 && label.indexOf(':') == label.lastIndexOf(':')) {
                host = label.substring(0, label.indexOf(':'));
            } else {
                host = label;
            }
            return host.toLowerCase(Locale.ROOT);
        }
    }
}

package ada.carbon.app.e2e;

import static ada.carbon.app.e2e.E2e.assertClose;
import static ada.carbon.app.e2e.E2e.number;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code load} of the hand-written {@code e2e/events.jsonl} on a real broker into a real SQLite file,
 * checked against figures worked out by hand from SPEC section 2.
 *
 * <h2>What the file holds (line numbers in brackets)</h2>
 * Hosts: H1 {@code host-172-16-100-1.nubes.stfc.ac.uk:9100} (IDAaaS, Muon), H2
 * {@code host-172-16-100-2.nubes.stfc.ac.uk:9100} (IDAaaS, SANS), H3 {@code [fd00::3]:9100} (CDAaaS, Muon).
 * Users: alice aa111111 (RB1), bob bb222222 (RB1), carol cc333333 (no group), erin ee555555 (RB2, no
 * workspace, projects CDAaaS and ISISaaS); dave dd444444 owns a workspace but is never described.
 * Workspaces: ws-01 alice on H1 from 09:00, deleted at 11:15 by a later event [5, 23]; ws-02 bob on H1 from
 * 11:15 [24] (H1 changes hands mid-hour); ws-03 pool (no owner) on H2 from 09:00, labelled
 * {@code HOST-172-16-100-2.nubes.stfc.ac.uk} (upper case, no port) [6]; ws-04 carol on H2 from 12:00, sent
 * after the CPU it explains [32]; ws-05 dave on H3 from 10:00, labelled {@code FD00::3} (bare IPv6, upper
 * case) [7]; ws-06 bob on H3 from 10:00, deleted 10:30, machine Excitations [8] (same created_time as ws-05:
 * the greater key, ws-06, wins the tie).
 * Intensity: 10:00 forecast 180 then actual 190 [9, 35]; 10:30 actual 210; 11:00 forecast 150 (actual
 * null); 11:30 nothing (fallback 200); 12:00 actual 100 (forecast null); 12:30 actual 110; 13:00 forecast
 * 90, no CPU. CPU: H1 11:00 is corrected from 1500/3000 to 1800/2700 [22, 34]; H2 10:15 + 3600 s spans a
 * half-hour and an hour boundary [16]; H2 11:15 + 2700 s is split 1/3 : 2/3 [25].
 * Bad lines: 18 not JSON, 21 unknown kind, 27 negative seconds, 33 {@code to} an hour after {@code from},
 * 36 unparseable time.
 */
class LoadEndToEndTest {
    static final String ALICE = "aa111111";
    static final String BOB = "bb222222";
    static final String CAROL = "cc333333";
    static final String DAVE = "dd444444";
    static final String ERIN = "ee555555";
    static final String H1 = "host-172-16-100-1.nubes.stfc.ac.uk:9100";
    static final String H2 = "host-172-16-100-2.nubes.stfc.ac.uk:9100";
    static final String H2_POOL_LABEL = "HOST-172-16-100-2.nubes.stfc.ac.uk";
    static final String H3 = "[fd00::3]:9100";
    static final String H3_BARE_LABEL = "FD00::3";

    /** SPEC 2.3: I(slot) = actual, else forecast, else the fallback 200. */
    static final Map<String, Double> I = Map.of(
            "10:00", 190.0, // forecast 180 superseded by actual 190 (line 35)
            "10:30", 210.0, // actual
            "11:00", 150.0, // forecast; actual null
            "11:30", 200.0, // no intensity event: fallback
            "12:00", 100.0, // actual; forecast null
            "12:30", 110.0); // actual

    /** One slot piece of CPU time (SPEC 2.2) and who it counts toward (SPEC 2.4, by the piece's start). */
    record Piece(String slot, String project, String machine, String user, double busy, double idle) {}

    static final double F2_FIRST_SHARE = (double) (15 * 60 * 1000) / (45 * 60 * 1000); // [11:15, 11:30) of 45 min
    static final double F2_SECOND_SHARE = (double) (30 * 60 * 1000) / (45 * 60 * 1000); // [11:30, 12:00)

    /** Every piece of the file, split and attributed by hand. */
    static final List<Piece> PIECES = List.of(
            // H1, IDAaaS/Muon. ws-01 (alice) holds it [09:00, 11:15), ws-02 (bob) from 11:15.
            new Piece("10:00", "IDAaaS", "Muon", ALICE, 1000, 5000),
            new Piece("10:30", "IDAaaS", "Muon", ALICE, 2000, 4000),
            new Piece(
                    "11:00", "IDAaaS", "Muon", ALICE, 1800,
                    2700), // the correction replaces 1500/3000; starts 11:00 < 11:15
            new Piece("11:30", "IDAaaS", "Muon", BOB, 3000, 2000),
            new Piece("12:00", "IDAaaS", "Muon", BOB, 3600, 1800), // 12:00 + 3600 s: half in each slot
            new Piece("12:30", "IDAaaS", "Muon", BOB, 3600, 1800),
            // H2, IDAaaS/SANS. Only the pool workspace until ws-04 (carol) from 12:00.
            new Piece("10:00", "IDAaaS", "SANS", null, 3600 * 0.25, 7200 * 0.25), // [10:15, 10:30): 15 of 60 min
            new Piece("10:30", "IDAaaS", "SANS", null, 3600 * 0.5, 7200 * 0.5), // [10:30, 11:00)
            new Piece("11:00", "IDAaaS", "SANS", null, 3600 * 0.25, 7200 * 0.25), // [11:00, 11:15)
            new Piece("11:00", "IDAaaS", "SANS", null, 2700 * F2_FIRST_SHARE, 2700 * F2_FIRST_SHARE),
            new Piece("11:30", "IDAaaS", "SANS", null, 2700 * F2_SECOND_SHARE, 2700 * F2_SECOND_SHARE),
            new Piece("12:00", "IDAaaS", "SANS", CAROL, 600, 1200),
            new Piece("12:30", "IDAaaS", "SANS", CAROL, 900, 900),
            // H3, CDAaaS/Muon. ws-05 (dave) and ws-06 (bob) both from 10:00: ws-06 wins until it ends at 10:30.
            new Piece("10:00", "CDAaaS", "Muon", BOB, 500, 1300),
            new Piece("10:30", "CDAaaS", "Muon", DAVE, 700, 1100),
            new Piece("11:00", "CDAaaS", "Muon", DAVE, 500, 1300), // 11:00 + 3600 s: half in each slot
            new Piece("11:30", "CDAaaS", "Muon", DAVE, 500, 1300));

    /** The six metrics of a fact (SPEC 3.1). */
    record Figures(double busyS, double idleS, double busyKwh, double idleKwh, double busyG, double idleG) {
        static final Figures ZERO = new Figures(0, 0, 0, 0, 0, 0);

        /** SPEC 2.1 with the defaults (12 W busy, 1 W idle per core, PUE 1.0), then SPEC 2.3. */
        static Figures of(Piece p) {
            double busyKwh = p.busy() * 12.0 * 1.0 / 3_600_000;
            double idleKwh = p.idle() * 1.0 * 1.0 / 3_600_000;
            double intensity = I.get(p.slot());
            return new Figures(p.busy(), p.idle(), busyKwh, idleKwh, busyKwh * intensity, idleKwh * intensity);
        }

        Figures plus(Figures o) {
            return new Figures(
                    busyS + o.busyS,
                    idleS + o.idleS,
                    busyKwh + o.busyKwh,
                    idleKwh + o.idleKwh,
                    busyG + o.busyG,
                    idleG + o.idleG);
        }

        /** SPEC 2.5: carbon / energy. */
        double intensity() {
            return (busyG + idleG) / (busyKwh + idleKwh);
        }

        double[] values() {
            return new double[] {busyS, idleS, busyKwh, idleKwh, busyG, idleG};
        }
    }

    static final String[] METRIC_COLUMNS = {
        "busy_cpu_seconds_total", "idle_cpu_seconds_total", "busy_kwh", "idle_kwh", "busy_gCo2eq", "idle_gCo2eq"
    };

    static String ts(String hhmm) {
        return "2025-09-11T" + hhmm + ":00Z";
    }

    /** The fact bucket (SPEC 2.5, one hour) of a slot. */
    static String bucketOf(String slot) {
        return ts(slot.substring(0, 2) + ":00");
    }

    /** Expected facts of one scope: entity (empty for ada) to bucket ts to figures. */
    static Map<String, Map<String, Figures>> expected(Function<Piece, String> entity) {
        Map<String, Map<String, Figures>> out = new TreeMap<>();
        for (Piece p : PIECES) {
            String e = entity.apply(p);
            if (e == null) {
                continue; // SPEC 2.4: a piece no owned workspace holds counts toward no user
            }
            out.computeIfAbsent(e, k -> new TreeMap<>()).merge(bucketOf(p.slot()), Figures.of(p), Figures::plus);
        }
        return out;
    }

    static Map<String, Map<String, Figures>> expectedAda() {
        return expected(p -> "");
    }

    static Map<String, Map<String, Figures>> expectedProject() {
        return expected(Piece::project);
    }

    static Map<String, Map<String, Figures>> expectedMachine() {
        return expected(Piece::machine);
    }

    static Map<String, Map<String, Figures>> expectedUser() {
        return expected(Piece::user);
    }

    static ReferenceLoad ref;
    static Path db;

    @BeforeAll
    static void load() {
        ref = ReferenceLoad.get();
        db = ref.db;
    }

    @Test
    void loadExitsZeroAndCountsEveryLineInItsSummary() {
        assertThat(ref.run.exitCode())
                .as("exit code; stderr:\n%s", ref.run.stderr())
                .isZero();
        // 36 lines: 31 events and 5 bad lines. Malformed: not JSON, unknown kind, unparseable time.
        // Invalid: negative seconds, `to` not 30 minutes after `from`.
        assertThat(ref.run.summary())
                .isEqualTo("read 36 events: 31 applied, 5 rejected to ada.dead-letter (invalid 2, malformed 3)");
    }

    /** The piece table above reproduces the platform figures worked out on paper, slot by slot. */
    @Test
    void pieceTableReproducesTheHandWorkedPlatformFigures() {
        Map<String, Figures> ada = expectedAda().get("");
        // 10:00: busy (1000 + 900 + 500) s x 12 W = 0.008 kWh x 190 = 1.52 g; (2000 + 1800 + 700) s -> 0.015 kWh x 210
        // = 3.15 g.
        //        idle 8100 s -> 0.00225 kWh x 190 = 0.4275 g; 8700 s -> 0.0024166.. kWh x 210 = 0.5075 g.
        assertFigures("10:00", ada.get(ts("10:00")), 6900, 16800, 0.023, 16800 / 3.6e6, 1.52 + 3.15, 0.4275 + 0.5075);
        // 11:00: busy 4100 s (1800 + 900 + 900 + 500) x 12 W x 150 = 2.05 g; 5300 s (3000 + 1800 + 500) x 12 W x 200 =
        // 3.5333.. g.
        //        idle 6700 s x 150 = 0.2791666.. g; 5100 s x 200 = 0.2833333.. g.
        assertFigures(
                "11:00",
                ada.get(ts("11:00")),
                9400,
                11800,
                9400 * 12 / 3.6e6,
                11800 / 3.6e6,
                2.05 + 5300 * 12 / 3.6e6 * 200,
                6700 / 3.6e6 * 150 + 5100 / 3.6e6 * 200);
        assertClose("11:00 busy g", 67.0 / 12, ada.get(ts("11:00")).busyG());
        assertClose("11:00 idle g", 0.5625, ada.get(ts("11:00")).idleG());
        // 12:00: busy 4200 s x 12 W = 0.014 kWh x 100 = 1.4 g; 4500 s -> 0.015 kWh x 110 = 1.65 g.
        //        idle 3000 s x 100 = 0.08333.. g; 2700 s x 110 = 0.0825 g.
        assertFigures("12:00", ada.get(ts("12:00")), 8700, 5700, 0.029, 5700 / 3.6e6, 3.05, 1.0 / 12 + 0.0825);
        assertThat(ada).containsOnlyKeys(ts("10:00"), ts("11:00"), ts("12:00"));
    }

    private static void assertFigures(
            String what,
            Figures f,
            double busyS,
            double idleS,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG) {
        double[] expected = {busyS, idleS, busyKwh, idleKwh, busyG, idleG};
        for (int i = 0; i < expected.length; i++) {
            assertClose(what + " " + METRIC_COLUMNS[i], expected[i], f.values()[i]);
        }
    }

    @Test
    void adaTimeseriesHoldsTheHandWorkedFigures() {
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM v_ada_timeseries ORDER BY ts");
        assertThat(rows).extracting(r -> r.get("ts")).containsExactly(ts("10:00"), ts("11:00"), ts("12:00"));
        // Literal figures, as on paper (see pieceTableReproducesTheHandWorkedPlatformFigures).
        assertRow(rows.get(0), new Figures(6900, 16800, 0.023, 16800 / 3.6e6, 4.67, 0.935), "ada 10:00");
        assertRow(
                rows.get(1),
                new Figures(9400, 11800, 9400 * 12 / 3.6e6, 11800 / 3.6e6, 67.0 / 12, 0.5625),
                "ada 11:00");
        assertRow(rows.get(2), new Figures(8700, 5700, 0.029, 5700 / 3.6e6, 3.05, 1.0 / 12 + 0.0825), "ada 12:00");
        // The hourly intensity is carbon / energy: 5.605 g / 0.0276666.. kWh at 10:00.
        assertClose(
                "ada 10:00 intensity",
                5.605 / (0.023 + 16800 / 3.6e6),
                number(rows.get(0).get("intensity_gCo2eq_kwh")));
    }

    @Test
    void projectTimeseries() {
        assertTimeseries("v_project_timeseries", "cloud_project_name", expectedProject());
        assertThat(expectedProject()).containsOnlyKeys("IDAaaS", "CDAaaS");
        assertThat(expectedProject().get("CDAaaS")).containsOnlyKeys(ts("10:00"), ts("11:00"));
    }

    @Test
    void machineTimeseriesFollowsTheCpuLabelsNotTheWorkspaces() {
        // ws-06 says Excitations, but its host's CPU is labelled Muon: machine scope follows the cpu events.
        assertTimeseries("v_machine_timeseries", "machine_name", expectedMachine());
        assertThat(expectedMachine()).containsOnlyKeys("Muon", "SANS");
    }

    @Test
    void userTimeseriesAttributesEachPieceByItsStart() {
        Map<String, Map<String, Figures>> users = expectedUser();
        assertTimeseries("v_user_timeseries", "user_id", users);
        // alice keeps H1's 11:00 piece though bob takes the host at 11:15; bob wins H3 at 10:00 on the tie;
        // carol gets H2 from 12:00 although her workspace arrived after the CPU; nobody gets H2 before.
        assertThat(users).containsOnlyKeys(ALICE, BOB, CAROL, DAVE);
        assertThat(users.get(ALICE)).containsOnlyKeys(ts("10:00"), ts("11:00"));
        assertThat(users.get(BOB)).containsOnlyKeys(ts("10:00"), ts("11:00"), ts("12:00"));
        assertThat(users.get(CAROL)).containsOnlyKeys(ts("12:00"));
        assertThat(users.get(DAVE)).containsOnlyKeys(ts("10:00"), ts("11:00"));
        // alice 10:00: 3000 busy s, 9000 idle s.
        Map<String, Object> alice10 = E2e.query(
                        db, "SELECT * FROM v_user_timeseries WHERE user_id = ? AND ts = ?", ALICE, ts("10:00"))
                .get(0);
        assertClose("alice 10:00 busy s", 3000, number(alice10.get("busy_cpu_seconds_total")));
        assertClose(
                "alice 10:00 busy g",
                1000 * 12 / 3.6e6 * 190 + 2000 * 12 / 3.6e6 * 210,
                number(alice10.get("busy_gCo2eq")));
    }

    @Test
    void totals() {
        assertTotals("v_project_totals", "cloud_project_name", expectedProject());
        assertTotals("v_machine_totals", "machine_name", expectedMachine());
        assertTotals("v_user_totals", "user_id", expectedUser());
        // Groups: RB1 is alice + bob; carol has no group, dave was never described, erin (RB2) has no facts.
        Map<String, Map<String, Figures>> users = expectedUser();
        Map<String, Map<String, Figures>> groups = Map.of("RB1", merge(users.get(ALICE), users.get(BOB)));
        assertTotals("v_group_totals", "group_name", groups);
        assertTotals("v_ada_totals", null, expectedAda());
    }

    @Test
    void averagesAreMeansOverTheEntitysFacts() {
        assertAverages("v_project_averages", "cloud_project_name", expectedProject());
        assertAverages("v_machine_averages", "machine_name", expectedMachine());
        assertAverages("v_user_averages", "user_id", expectedUser());
        Map<String, Map<String, Figures>> users = expectedUser();
        // A group's rows are its users' user facts: alice's 2 and bob's 3, not merged per hour.
        List<Figures> rb1 = new ArrayList<>(users.get(ALICE).values());
        rb1.addAll(users.get(BOB).values());
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM v_group_averages");
        assertThat(rows).extracting(r -> r.get("group_name")).containsExactly("RB1");
        assertAverageRow("RB1", rows.get(0), rb1);
        // IDAaaS by hand: busy kWh per hour (10: 3000+2700 s, 11: 4800+1800+1800 s, 12: 7200+1500 s) x 12 W, / 3.
        Map<String, Object> idaaas = E2e.query(
                        db, "SELECT * FROM v_project_averages WHERE cloud_project_name = 'IDAaaS'")
                .get(0);
        assertClose(
                "IDAaaS avg busy kWh",
                (5700 + 8400 + 8700) * 12 / 3.6e6 / 3,
                number(idaaas.get("avg_busy_energy_kwh")));
    }

    @Test
    void factIntensityRecordsTheSourceOfEverySlot() {
        List<List<Object>> rows = tuples(
                "SELECT ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source, has_cpu FROM fact_intensity ORDER BY ts");
        assertThat(rows)
                .containsExactly(
                        List.of(ts("10:00"), 180.0, 190.0, "moderate", 190.0, "actual", 1L),
                        List.of(ts("10:30"), 200.0, 210.0, "high", 210.0, "actual", 1L),
                        Arrays.asList(ts("11:00"), 150.0, null, "moderate", 150.0, "forecast", 1L),
                        Arrays.asList(ts("11:30"), null, null, null, 200.0, "fallback", 1L),
                        Arrays.asList(ts("12:00"), null, 100.0, "low", 100.0, "actual", 1L),
                        List.of(ts("12:30"), 120.0, 110.0, "low", 110.0, "actual", 1L),
                        Arrays.asList(ts("13:00"), 90.0, null, "very low", 90.0, "forecast", 0L));
    }

    @Test
    void dimensions() {
        assertThat(tuples("SELECT host, port, raw_label FROM dim_instance"))
                .containsExactlyInAnyOrder(
                        List.of("host-172-16-100-1.nubes.stfc.ac.uk", 9100L, H1),
                        List.of("host-172-16-100-2.nubes.stfc.ac.uk", 9100L, H2),
                        Arrays.asList("HOST-172-16-100-2.nubes.stfc.ac.uk", null, H2_POOL_LABEL),
                        List.of("fd00::3", 9100L, H3),
                        Arrays.asList("FD00::3", null, H3_BARE_LABEL));
        assertThat(tuples("SELECT u.user_id, u.display_name, g.group_name FROM dim_user u "
                        + "LEFT JOIN dim_group g ON g.group_id = u.group_id"))
                .containsExactlyInAnyOrder(
                        List.of(ALICE, "Alice A", "RB1"),
                        List.of(BOB, "Bob B", "RB1"),
                        Arrays.asList(CAROL, "Carol C", null),
                        Arrays.asList(DAVE, null, null), // a workspace owner no user event describes
                        List.of(ERIN, "Erin E", "RB2"));
        assertThat(tuples("SELECT group_name FROM dim_group"))
                .containsExactlyInAnyOrder(List.of("RB1"), List.of("RB2"));
        // No trace of the rejected lines (project Ghost, machine Phantom, host-ghost).
        assertThat(tuples("SELECT cloud_project_name FROM dim_project"))
                .containsExactlyInAnyOrder(List.of("IDAaaS"), List.of("CDAaaS"), List.of("ISISaaS"));
        assertThat(tuples("SELECT machine_name FROM dim_machine"))
                .containsExactlyInAnyOrder(List.of("Muon"), List.of("SANS"), List.of("Excitations"));
    }

    @Test
    void maps() {
        assertThat(tuples("SELECT m.user_id, p.cloud_project_name FROM map_user_project m "
                        + "JOIN dim_project p ON p.project_id = m.project_id"))
                .containsExactlyInAnyOrder(
                        List.of(ALICE, "IDAaaS"),
                        List.of(BOB, "IDAaaS"),
                        List.of(BOB, "CDAaaS"),
                        List.of(CAROL, "IDAaaS"), // from ws-04 only: her user event lists no project
                        List.of(DAVE, "CDAaaS"), // from ws-05 only
                        List.of(ERIN, "CDAaaS"),
                        List.of(ERIN, "ISISaaS"));
        assertThat(
                        tuples(
                                "SELECT p.cloud_project_name, m.machine_name FROM map_project_machine x "
                                        + "JOIN dim_project p ON p.project_id = x.project_id JOIN dim_machine m ON m.machine_id = x.machine_id"))
                .containsExactlyInAnyOrder(
                        List.of("IDAaaS", "Muon"),
                        List.of("IDAaaS", "SANS"),
                        List.of("CDAaaS", "Muon"),
                        List.of("CDAaaS", "Excitations")); // from the deleted ws-06 alone
    }

    @Test
    void activeWorkspacesAreThoseWhoseLatestEventHasNoDeletedTime() {
        assertThat(
                        tuples(
                                "SELECT w.workspace_key, i.raw_label, m.machine_name, w.user_id, p.cloud_project_name, w.started_at "
                                        + "FROM active_workspace w JOIN dim_instance i ON i.instance_id = w.instance_id "
                                        + "JOIN dim_machine m ON m.machine_id = w.machine_id LEFT JOIN dim_project p ON p.project_id = w.project_id"))
                .containsExactlyInAnyOrder(
                        List.of("ws-02", H1, "Muon", BOB, "IDAaaS", ts("11:15")),
                        Arrays.asList("ws-03", H2_POOL_LABEL, "SANS", null, "IDAaaS", ts("09:00")),
                        List.of("ws-04", H2, "SANS", CAROL, "IDAaaS", ts("12:00")),
                        List.of("ws-05", H3_BARE_LABEL, "Muon", DAVE, "CDAaaS", ts("10:00")));
    }

    /** SPEC 2.4: per bucket, ada = sum of project = sum of machine >= sum of user, for every metric. */
    @Test
    void everyBucketBalancesAcrossScopes() {
        Invariants.assertScopesBalance(db);
        assertThat(number(E2e.query(db, "SELECT COUNT(*) AS n FROM fact_usage")
                        .get(0)
                        .get("n")))
                .isEqualTo(3 + 5 + 6 + 8); // ada 3, project 3 + 2, machine 3 + 3 (Muon, SANS), user 2 + 3 + 1 + 2
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Figures> merge(Map<String, Figures> a, Map<String, Figures> b) {
        Map<String, Figures> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Figures::plus));
        return out;
    }

    static List<List<Object>> tuples(String sql) {
        return Snapshots.tuples(db, sql);
    }

    static void assertRow(Map<String, Object> row, Figures f, String what) {
        for (int i = 0; i < METRIC_COLUMNS.length; i++) {
            assertClose(what + " " + METRIC_COLUMNS[i], f.values()[i], number(row.get(METRIC_COLUMNS[i])));
        }
    }

    static void assertTimeseries(String view, String entityColumn, Map<String, Map<String, Figures>> expected) {
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM " + view);
        Map<String, Map<String, Map<String, Object>>> actual = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            Object previous = actual.computeIfAbsent((String) r.get(entityColumn), k -> new TreeMap<>())
                    .put((String) r.get("ts"), r);
            assertThat(previous)
                    .as("%s has two rows for %s %s", view, r.get(entityColumn), r.get("ts"))
                    .isNull();
        }
        assertThat(actual.keySet()).as(view + " entities").containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((entity, byTs) -> {
            assertThat(actual.get(entity).keySet())
                    .as(view + " buckets of " + entity)
                    .containsExactlyInAnyOrderElementsOf(byTs.keySet());
            byTs.forEach((ts, f) -> {
                Map<String, Object> row = actual.get(entity).get(ts);
                assertRow(row, f, view + " " + entity + " " + ts);
                assertClose(
                        view + " " + entity + " " + ts + " intensity",
                        f.intensity(),
                        number(row.get("intensity_gCo2eq_kwh")));
            });
        });
    }

    static void assertTotals(String view, String entityColumn, Map<String, Map<String, Figures>> expected) {
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM " + view);
        assertThat(rows).as(view + " rows").hasSize(expected.size());
        for (Map<String, Object> row : rows) {
            String entity = entityColumn == null ? "" : (String) row.get(entityColumn);
            assertThat(expected).as(view).containsKey(entity);
            Figures sum = expected.get(entity).values().stream().reduce(Figures.ZERO, Figures::plus);
            assertRow(row, sum, view + " " + entity);
        }
    }

    static void assertAverages(String view, String entityColumn, Map<String, Map<String, Figures>> expected) {
        List<Map<String, Object>> rows = E2e.query(db, "SELECT * FROM " + view);
        assertThat(rows).as(view + " rows").hasSize(expected.size());
        for (Map<String, Object> row : rows) {
            String entity = (String) row.get(entityColumn);
            assertThat(expected).as(view).containsKey(entity);
            assertAverageRow(
                    view + " " + entity,
                    row,
                    new ArrayList<>(expected.get(entity).values()));
        }
    }

    static void assertAverageRow(String what, Map<String, Object> row, List<Figures> facts) {
        int n = facts.size();
        assertClose(
                what + " avg_busy_energy_kwh",
                facts.stream().mapToDouble(Figures::busyKwh).sum() / n,
                number(row.get("avg_busy_energy_kwh")));
        assertClose(
                what + " avg_idle_energy_kwh",
                facts.stream().mapToDouble(Figures::idleKwh).sum() / n,
                number(row.get("avg_idle_energy_kwh")));
        assertClose(
                what + " avg_busy_carbon_gCo2eq",
                facts.stream().mapToDouble(Figures::busyG).sum() / n,
                number(row.get("avg_busy_carbon_gCo2eq")));
        assertClose(
                what + " avg_idle_carbon_gCo2eq",
                facts.stream().mapToDouble(Figures::idleG).sum() / n,
                number(row.get("avg_idle_carbon_gCo2eq")));
        assertClose(
                what + " avg_intensity_gCo2eq_kwh",
                facts.stream().mapToDouble(Figures::intensity).sum() / n,
                number(row.get("avg_intensity_gCo2eq_kwh")));
    }
}

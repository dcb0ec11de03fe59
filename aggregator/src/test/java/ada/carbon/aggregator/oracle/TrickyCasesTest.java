package ada.carbon.aggregator.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-made cases where the SPEC is easy to get wrong, checked by hand against the oracle, then oracle against topology. */
class TrickyCasesTest {
    private static final double BUSY_KWH_PER_S = 12.0 / 3_600_000;
    private static final double IDLE_KWH_PER_S = 1.0 / 3_600_000;

    private static Instant t(String iso) {
        return Times.parse(iso);
    }

    private static long ms(String iso) {
        return t(iso).toEpochMilli();
    }

    private static CpuEvent cpu(
            String instance, String project, String machine, String ts, long period, double busy, double idle) {
        return new CpuEvent(instance, project, machine, t(ts), period, busy, idle);
    }

    private static IntensityEvent intensity(String from, Double forecast, Double actual) {
        return new IntensityEvent(t(from), t(from).plusSeconds(1800), forecast, actual, "moderate", null);
    }

    private static WorkspaceEvent workspace(String key, String instance, String owner, String created, String deleted) {
        return new WorkspaceEvent(
                key, instance, owner, "IDAaaS", "Muon", t(created), deleted == null ? null : t(deleted));
    }

    // Superseded versions: an open workspace later closed, a cpu event later moved to another project, a forecast
    // later joined by an actual.
    private static final WorkspaceEvent ALICE_OPEN =
            workspace("65f1c0de9a1b2c3d4e5f6aa1", "HOST-A.example:9100", "alice", "2025-09-11T08:00Z", null);
    private static final CpuEvent C3_WRONG_PROJECT =
            cpu("host-a.example:9100", "CDAaaS", "Muon", "2025-09-11T10:10Z", 300, 300, 3000);
    private static final IntensityEvent HALF_PAST_TEN_FORECAST = intensity("2025-09-11T10:30Z", 170.0, null);

    /** The final version of every identity. */
    private static List<Object> finals() {
        return List.of(
                intensity("2025-09-11T10:00Z", 180.0, null),
                intensity("2025-09-11T10:30Z", 170.0, 190.0),
                intensity("2025-09-11T11:00Z", 220.0, null),
                intensity("2025-09-11T11:30Z", null, null),
                intensity("2025-09-11T13:00Z", null, 90.0),
                // host-a changes hands at 10:10, mid-slot; a pool workspace (no owner) created later takes no part.
                workspace(
                        "65f1c0de9a1b2c3d4e5f6aa1",
                        "HOST-A.example:9100",
                        "alice",
                        "2025-09-11T08:00Z",
                        "2025-09-11T10:10Z"),
                workspace("65f1c0de9a1b2c3d4e5f6ab2", "host-a.example", "bob", "2025-09-11T10:10Z", null),
                workspace("pool-1", "Host-A.Example:9100", null, "2025-09-11T10:20Z", null),
                cpu("host-a.example:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 100, 1000),
                cpu("host-a.example:9100", "IDAaaS", "Muon", "2025-09-11T10:05Z", 600, 200, 2000),
                cpu("host-a.example:9100", "IDAaaS", "Muon", "2025-09-11T10:10Z", 300, 300, 3000),
                cpu("host-a.example:9100", "IDAaaS", "Muon", "2025-09-11T10:25Z", 600, 400, 4000),
                // 10:50 to 11:50: a sixth in 10:30, a half in 11:00, a third in 11:30 (the fallback slot).
                cpu("host-b.example:9100", "CDAaaS", "SANS", "2025-09-11T10:50Z", 3600, 720, 3600),
                // CPU time of zero seconds: facts with zero energy.
                cpu("host-c:9100", "ISIS", "Excitations", "2025-09-11T13:00Z", 600, 0, 0));
    }

    private static List<Object> arrivalOrder() {
        List<Object> events = new ArrayList<>(List.of(ALICE_OPEN, C3_WRONG_PROJECT, HALF_PAST_TEN_FORECAST));
        List<Object> f = finals();
        events.addAll(f.subList(8, f.size())); // cpu first, then what prices and attributes it
        events.addAll(f.subList(0, 8));
        return events;
    }

    private static List<Object> anotherOrder() {
        List<Object> events = new ArrayList<>(List.of(HALF_PAST_TEN_FORECAST, ALICE_OPEN, finals().get(6)));
        events.add(C3_WRONG_PROJECT);
        List<Object> reversed = new ArrayList<>(finals());
        Collections.reverse(reversed);
        events.addAll(reversed);
        events.addAll(finals().subList(8, 12)); // exact duplicates
        return events;
    }

    @Test
    void theOracleGivesTheFiguresWorkedOutByHand() {
        SpecOracle.Expected e = new SpecOracle(AccountingConfig.defaults()).compute(arrivalOrder());
        Map<SpecOracle.FactKey, SpecOracle.FactRow> f = e.facts();
        long ten = ms("2025-09-11T10:00Z");

        // alice: the pieces starting at 10:00 and 10:05 (she holds the host until 10:10), all in the 10:00 slot.
        SpecOracle.FactRow alice = f.get(new SpecOracle.FactKey("user", ten, "alice"));
        assertThat(alice.busyCpuSeconds()).isCloseTo(300, within(1e-9));
        assertThat(alice.idleCpuSeconds()).isCloseTo(3000, within(1e-9));
        assertThat(alice.busyGrams()).isCloseTo(300 * BUSY_KWH_PER_S * 180, within(1e-12));
        assertThat(alice.intensity()).isCloseTo(180, within(1e-9));
        // bob: 10:10 (his from then on), and 10:25 for ten minutes: half at 180, half at 190.
        SpecOracle.FactRow bob = f.get(new SpecOracle.FactKey("user", ten, "bob"));
        assertThat(bob.busyCpuSeconds()).isCloseTo(700, within(1e-9));
        assertThat(bob.busyGrams()).isCloseTo(500 * BUSY_KWH_PER_S * 180 + 200 * BUSY_KWH_PER_S * 190, within(1e-12));
        assertThat(bob.idleGrams()).isCloseTo(5000 * IDLE_KWH_PER_S * 180 + 2000 * IDLE_KWH_PER_S * 190, within(1e-12));
        // The corrected cpu event counts toward its final project only.
        SpecOracle.FactRow cdaaas = f.get(new SpecOracle.FactKey("project", ten, "CDAaaS"));
        assertThat(cdaaas.busyCpuSeconds()).isCloseTo(120, within(1e-9)); // host-b's sixth only
        assertThat(f.get(new SpecOracle.FactKey("project", ten, "IDAaaS")).busyCpuSeconds())
                .isCloseTo(1000, within(1e-9));
        assertThat(f.get(new SpecOracle.FactKey("ada", ten, null)).busyCpuSeconds())
                .isCloseTo(1120, within(1e-9));
        // host-b's interval over three slots and two hours.
        long eleven = ms("2025-09-11T11:00Z");
        SpecOracle.FactRow ada11 = f.get(new SpecOracle.FactKey("ada", eleven, null));
        assertThat(ada11.busyCpuSeconds()).isCloseTo(600, within(1e-9));
        assertThat(ada11.idleCpuSeconds()).isCloseTo(3000, within(1e-9));
        assertThat(ada11.busyGrams()).isCloseTo(360 * BUSY_KWH_PER_S * 220 + 240 * BUSY_KWH_PER_S * 200, within(1e-12));
        // Zero energy: the mean of I over the bucket, 90 (actual) and 200 (no reading: fallback).
        SpecOracle.FactRow isis = f.get(new SpecOracle.FactKey("project", ms("2025-09-11T13:00Z"), "ISIS"));
        assertThat(isis.busyKwh() + isis.idleKwh()).isZero();
        assertThat(isis.intensity()).isCloseTo(145, within(1e-9));
        // Nobody holds host-b or host-c: no other user facts.
        assertThat(f.keySet().stream().filter(k -> k.scope().equals("user"))).hasSize(2);
        assertThat(f).hasSize(2 + (1 + 2 + 2) + (1 + 1 + 1) + (1 + 1 + 1));

        assertThat(e.slots().keySet())
                .containsExactly(
                        ms("2025-09-11T10:00Z"),
                        ms("2025-09-11T10:30Z"),
                        ms("2025-09-11T11:00Z"),
                        ms("2025-09-11T11:30Z"),
                        ms("2025-09-11T13:00Z"));
        assertThat(e.slots().get(ms("2025-09-11T10:30Z")))
                .isEqualTo(new SpecOracle.SlotRow(
                        ms("2025-09-11T10:30Z"), 170.0, 190.0, "moderate", 190, "actual", true, null, null));
        assertThat(e.slots().get(ms("2025-09-11T11:30Z")))
                .isEqualTo(new SpecOracle.SlotRow(
                        ms("2025-09-11T11:30Z"), null, null, "moderate", 200, "fallback", true, null, null));
        assertThat(e.slots().get(ms("2025-09-11T10:00Z")).source()).isEqualTo("forecast");
    }

    @Test
    void theTopologyAgreesWithTheOracleOnTheTrickyCasesInEitherOrder() {
        for (AccountingConfig config : List.of(
                AccountingConfig.defaults(),
                AccountingConfig.from(Map.of(AccountingConfig.GRAIN, "1800", AccountingConfig.PUE, "1.2")))) {
            SpecOracle oracle = new SpecOracle(config);
            for (List<Object> order : List.of(arrivalOrder(), anotherOrder())) {
                SpecOracle.Expected expected = oracle.compute(order);
                try (TopologyRun run = new TopologyRun(config)) {
                    run.send(order);
                    assertThat(run.deadLetters()).isZero();
                    Agreement.assertAgree(
                            "grain " + config.grain().seconds() + "s", expected, run.facts(), run.slots());
                }
            }
        }
    }

    /**
     * An hour of cpu time from 00:15, in two slots of the 00:00 bucket, later corrected to zero seconds (withdrawn).
     * The facts' energy is then zero, and SPEC 2.5 makes their intensity the bucket mean: 200, the fallback, as
     * there are no readings. Fails: the topology's running sums keep a float residue of the retracted
     * contributions, so the energy is "above zero" and the intensity is residue over residue (512.0).
     */
    @Test
    void aCpuEventCorrectedToZeroSecondsLeavesTheBucketMeanAsIntensity() {
        List<Object> events = List.of(
                cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:15Z", 3600, 13577.73, 78800.68),
                cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:15Z", 3600, 0, 0));
        SpecOracle.Expected expected = new SpecOracle(AccountingConfig.defaults()).compute(events);
        assertThat(expected.facts()
                        .get(new SpecOracle.FactKey("ada", ms("2025-09-11T00:00Z"), null))
                        .intensity())
                .isEqualTo(200.0);
        try (TopologyRun run = new TopologyRun(AccountingConfig.defaults())) {
            run.send(events);
            Agreement.assertAgree("corrected to zero", expected, run.facts(), run.slots());
        }
    }

    /**
     * The same identity corrected from 94050.99 to 102601.03 idle seconds, then to zero: the facts' idle seconds
     * are 0 by SPEC, not within a relative 1e-9 of anything else. Fails: the topology keeps 1.4551915228366852E-11,
     * the residue of (94050.99 + 102601.03 - 94050.99) - 102601.03.
     */
    @Test
    void aCpuEventCorrectedToZeroSecondsLeavesZeroSeconds() {
        List<Object> events = List.of(
                cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:05Z", 600, 0, 94050.99),
                cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:05Z", 600, 0, 102601.03),
                cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:05Z", 600, 0, 0));
        SpecOracle.Expected expected = new SpecOracle(AccountingConfig.defaults()).compute(events);
        try (TopologyRun run = new TopologyRun(AccountingConfig.defaults())) {
            run.send(events);
            Agreement.assertAgree("corrected to zero", expected, run.facts(), run.slots());
        }
    }
}

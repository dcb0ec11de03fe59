package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static ada.carbon.aggregator.TopologyHarness.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.Fact;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The behaviours SPEC section 2 names, one at a time, through the whole topology. */
class ScenarioTest {
    private static final double KWH_PER_BUSY_SECOND = 12.0 / 3_600_000;
    private static final double KWH_PER_IDLE_SECOND = 1.0 / 3_600_000;

    @Test
    void everyScopeGetsItsRowAndAdaIsTheSumOfProjectsAndOfMachines() {
        try (var h = new TopologyHarness()) {
            h.send(
                    workspace("w1", "host-a:9100", "alice", "2025-09-11T00:00Z", null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 600, 100, 500),
                    cpu("host-b:9100", "CDAaaS", "SANS", "2025-09-11T10:05Z", 600, 200, 400),
                    cpu("host-c:9100", "IDAaaS", "SANS", "2025-09-11T10:40Z", 600, 300, 300));
            Fact ada = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(ada.getBusyCpuSecondsTotal()).isEqualTo(600.0);
            assertThat(ada.getIdleCpuSecondsTotal()).isEqualTo(1200.0);
            assertThat(h.fact("project", "2025-09-11T10:00Z", "IDAaaS").getBusyCpuSecondsTotal())
                    .isEqualTo(400.0);
            assertThat(h.fact("project", "2025-09-11T10:00Z", "CDAaaS").getBusyCpuSecondsTotal())
                    .isEqualTo(200.0);
            assertThat(h.fact("machine", "2025-09-11T10:00Z", "Muon").getBusyCpuSecondsTotal())
                    .isEqualTo(100.0);
            assertThat(h.fact("machine", "2025-09-11T10:00Z", "SANS").getBusyCpuSecondsTotal())
                    .isEqualTo(500.0);
            // Only host-a is held by an owned workspace: the rest counts toward no user, never guessed.
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice").getBusyCpuSecondsTotal())
                    .isEqualTo(100.0);
            assertThat(h.facts()).hasSize(1 + 2 + 2 + 1);
        }
    }

    @Test
    void anIntervalAcrossTheHalfHourAndTheHourIsSplitInProportionToTime() {
        try (var h = new TopologyHarness()) {
            // 10:50 to 11:10: two thirds... no: 10 minutes in 10:30-11:00 (bucket 10:00), 10 in 11:00-11:30.
            h.send(
                    intensity("2025-09-11T10:30Z", 100.0, null),
                    intensity("2025-09-11T11:00Z", 300.0, null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:50Z", 1200, 600, 1200));
            Fact ten = h.fact("ada", "2025-09-11T10:00Z", null);
            Fact eleven = h.fact("ada", "2025-09-11T11:00Z", null);
            assertThat(ten.getBusyCpuSecondsTotal()).isCloseTo(300.0, within(1e-9));
            assertThat(eleven.getIdleCpuSecondsTotal()).isCloseTo(600.0, within(1e-9));
            assertThat(ten.getBusyGCo2eq()).isCloseTo(300 * KWH_PER_BUSY_SECOND * 100, within(1e-12));
            assertThat(eleven.getBusyGCo2eq()).isCloseTo(300 * KWH_PER_BUSY_SECOND * 300, within(1e-12));
            // An interval across 10:00-10:30 and 10:30-11:00 stays in one hourly fact but uses both intensities.
            h.send(
                    intensity("2025-09-11T09:00Z", 100.0, null),
                    intensity("2025-09-11T09:30Z", 200.0, null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T09:20Z", 1200, 1200, 0));
            Fact nine = h.fact("ada", "2025-09-11T09:00Z", null);
            assertThat(nine.getBusyGCo2eq()).isCloseTo(600 * KWH_PER_BUSY_SECOND * (100 + 200), within(1e-12));
            assertThat(nine.getIntensityGCo2eqKwh()).isCloseTo(150.0, within(1e-9));
        }
    }

    @Test
    void aHostChangingHandsMidDayIsAttributedByEachPiecesStart() {
        try (var h = new TopologyHarness()) {
            h.send(
                    workspace("w1", "HOST-A.example:9100", "alice", "2025-09-11T08:00Z", "2025-09-11T12:10Z"),
                    workspace("w2", "host-a.example", "bob", "2025-09-11T12:10Z", null));
            for (int m = 0; m < 60; m += 5) {
                h.send(cpu(
                        "host-a.example:9100",
                        "IDAaaS",
                        "Muon",
                        String.format("2025-09-11T12:%02dZ", m),
                        300,
                        30,
                        270));
            }
            // 12:00 and 12:05 start under alice; 12:10 onwards under bob (host compared without case or port).
            assertThat(h.fact("user", "2025-09-11T12:00Z", "alice").getBusyCpuSecondsTotal())
                    .isEqualTo(60.0);
            assertThat(h.fact("user", "2025-09-11T12:00Z", "bob").getBusyCpuSecondsTotal())
                    .isEqualTo(300.0);
            assertThat(h.fact("ada", "2025-09-11T12:00Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(360.0);
        }
    }

    @Test
    void overlappingWorkspacesGoToTheLaterCreatedThenTheGreaterKey() {
        try (var h = new TopologyHarness()) {
            h.send(
                    workspace("a", "host-a:9100", "alice", "2025-09-11T08:00Z", null),
                    workspace("b", "host-a:9100", "bob", "2025-09-11T09:00Z", null),
                    workspace("c", "host-a:9100", "carol", "2025-09-11T09:00Z", null),
                    workspace("d", "host-a:9100", null, "2025-09-11T09:30Z", null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 30, 270));
            assertThat(h.fact("user", "2025-09-11T10:00Z", "carol")).isNotNull();
            assertThat(h.fact("user", "2025-09-11T10:00Z", "bob")).isNull();
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice")).isNull();
        }
    }

    @Test
    void aLateWorkspaceReattributesUsageAndTakesItFromWhoeverHadIt() {
        try (var h = new TopologyHarness()) {
            h.send(
                    workspace("w1", "host-a:9100", "alice", "2025-09-11T00:00Z", null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 30, 270));
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice")).isNotNull();
            h.send(workspace("w2", "host-a:9100", "bob", "2025-09-11T09:00Z", null));
            assertThat(h.fact("user", "2025-09-11T10:00Z", "bob").getBusyCpuSecondsTotal())
                    .isEqualTo(30.0);
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice")).isNull();
            // The registry later says w2 was deleted before the usage: alice has it back.
            h.send(workspace("w2", "host-a:9100", "bob", "2025-09-11T09:00Z", "2025-09-11T09:30Z"));
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice").getBusyCpuSecondsTotal())
                    .isEqualTo(30.0);
            assertThat(h.fact("user", "2025-09-11T10:00Z", "bob")).isNull();
        }
    }

    @Test
    void fallbackUntilAReadingArrivesThenForecastThenActualRestateTheFacts() {
        try (var h = new TopologyHarness()) {
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 1800, 1800, 0));
            double kwh = 1800 * KWH_PER_BUSY_SECOND;
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyGCo2eq()).isCloseTo(kwh * 200, within(1e-12));
            assertThat(h.slot("2025-09-11T10:00Z").getSource()).isEqualTo("fallback");
            assertThat(h.slot("2025-09-11T10:00Z").getHasCpu()).isTrue();

            h.send(intensity("2025-09-11T10:00Z", 150.0, null));
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyGCo2eq()).isCloseTo(kwh * 150, within(1e-12));
            assertThat(h.slot("2025-09-11T10:00Z").getSource()).isEqualTo("forecast");

            h.send(intensity("2025-09-11T10:00Z", 150.0, 90.0));
            Fact restated = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(restated.getBusyGCo2eq()).isCloseTo(kwh * 90, within(1e-12));
            assertThat(restated.getIntensityGCo2eqKwh()).isCloseTo(90.0, within(1e-9));
            assertThat(h.slot("2025-09-11T10:00Z").getSource()).isEqualTo("actual");
            assertThat(h.slot("2025-09-11T10:00Z").getIntensityGCo2eqKwh()).isEqualTo(90.0);
            // A slot with a reading but no CPU time still has its row.
            assertThat(h.slot("2025-09-11T10:30Z")).isNull();
            h.send(intensity("2025-09-11T10:30Z", 120.0, null));
            assertThat(h.slot("2025-09-11T10:30Z").getHasCpu()).isFalse();
        }
    }

    @Test
    void theConfiguredFallbackIsUsedWhereASlotHasNoFigures() {
        var config = AccountingConfig.from(Map.of("intensity.fallback", "250"));
        try (var h = new TopologyHarness(config)) {
            h.send(
                    intensity("2025-09-11T10:00Z", null, null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 1800, 1800, 0));
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getIntensityGCo2eqKwh())
                    .isCloseTo(250.0, within(1e-9));
            assertThat(h.slot("2025-09-11T10:00Z").getSource()).isEqualTo("fallback");
        }
    }

    @Test
    void perMachinePowerOverridesAndPueApply() {
        var config = AccountingConfig.from(
                Map.of("power.busy.watts.SANS", "20", "power.idle.watts.SANS", "2", "pue", "1.5"));
        try (var h = new TopologyHarness(config)) {
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 3600, 3600),
                    cpu("host-b:9100", "IDAaaS", "SANS", "2025-09-11T10:00Z", 3600, 3600, 3600));
            Fact muon = h.fact("machine", "2025-09-11T10:00Z", "Muon");
            Fact sans = h.fact("machine", "2025-09-11T10:00Z", "SANS");
            assertThat(muon.getBusyKwh()).isCloseTo(0.012 * 1.5, within(1e-12));
            assertThat(muon.getIdleKwh()).isCloseTo(0.001 * 1.5, within(1e-12));
            assertThat(sans.getBusyKwh()).isCloseTo(0.020 * 1.5, within(1e-12));
            assertThat(sans.getIdleKwh()).isCloseTo(0.002 * 1.5, within(1e-12));
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyKwh()).isCloseTo(0.032 * 1.5, within(1e-12));
        }
    }

    @Test
    void halfHourGrainGivesOneFactPerSlot() {
        var config = AccountingConfig.from(Map.of("grain.seconds", "1800"));
        try (var h = new TopologyHarness(config)) {
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 3600, 0));
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(1800.0);
            assertThat(h.fact("ada", "2025-09-11T10:30Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(1800.0);
        }
    }

    @Test
    void aCorrectionReplacesTheEventInEveryScopeAndDuplicatesDoNotAdd() {
        try (var h = new TopologyHarness()) {
            h.send(workspace("w1", "host-a:9100", "alice", "2025-09-11T00:00Z", null));
            var first = cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 100, 200);
            h.send(first, first, first);
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(100.0);
            h.send(cpu("host-a:9100", "CDAaaS", "SANS", "2025-09-11T10:00Z", 300, 40, 260));
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(40.0);
            assertThat(h.fact("user", "2025-09-11T10:00Z", "alice").getBusyCpuSecondsTotal())
                    .isEqualTo(40.0);
            assertThat(h.fact("project", "2025-09-11T10:00Z", "CDAaaS").getBusyCpuSecondsTotal())
                    .isEqualTo(40.0);
            // The correction moved the time to another project and machine: the old rows are gone.
            assertThat(h.fact("project", "2025-09-11T10:00Z", "IDAaaS")).isNull();
            assertThat(h.fact("machine", "2025-09-11T10:00Z", "Muon")).isNull();
        }
    }

    @Test
    void badInputGoesToTheDeadLetterTopicWithItsReasonAndTheRestIsApplied() {
        try (var h = new TopologyHarness()) {
            h.sendRaw(Topics.RAW_CPU, "{\"kind\":\"cpu\"}".getBytes(StandardCharsets.UTF_8));
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, -1, 200),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 0, 1, 200),
                    new ada.carbon.avro.IntensityEvent(
                            TopologyHarness.t("2025-09-11T10:00Z"),
                            TopologyHarness.t("2025-09-11T11:00Z"),
                            100.0,
                            null,
                            null,
                            null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:05Z", 300, 10, 290));
            var dead = h.deadLetters();
            assertThat(dead)
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("malformed", "invalid", "invalid", "invalid");
            assertThat(DeadLetter.header(dead.get(1).headers(), DeadLetter.DETAIL))
                    .contains("busy_cpu_seconds");
            assertThat(DeadLetter.header(dead.get(3).headers(), DeadLetter.DETAIL))
                    .contains("30 minutes");
            assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.SOURCE_TOPIC))
                    .isEqualTo(Topics.RAW_CPU);
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"kind\":\"cpu\"}");
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyCpuSecondsTotal())
                    .isEqualTo(10.0);
        }
    }
}

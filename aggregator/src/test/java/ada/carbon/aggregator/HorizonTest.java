package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static ada.carbon.aggregator.TopologyHarness.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.DeadLetter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 2.6: cpu and intensity events older than the horizon behind the newest time seen are not applied. */
class HorizonTest {

    @Test
    void cpuAndIntensityOlderThanTheHorizonAreDeadLetteredAsLateAndTheRestApplies() {
        long started = System.currentTimeMillis();
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "2")))) {
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-10T12:00Z", 300, 30, 270),
                    // exactly at the horizon: still applied
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-08T12:00Z", 300, 30, 270),
                    // one interval earlier: late
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-08T11:55Z", 300, 30, 270),
                    intensity("2025-09-08T11:30Z", 100.0, 90.0),
                    // workspace events always apply, however old
                    workspace("w1", "host-a:9100", "alice", "2025-01-01T00:00Z", null));
            var dead = h.deadLetters();
            assertThat(dead)
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("late", "late");
            assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.DETAIL))
                    .contains("2025-09-08T11:55:00Z")
                    .contains("2 days")
                    .contains("2025-09-10T12:00:00Z");
            assertThat(dead)
                    .as("stamped when rejected, not with the event's time (older than the topic's retention)")
                    .allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(started));
            assertThat(h.fact("ada", "2025-09-08T12:00Z", null)).isNotNull();
            assertThat(h.fact("ada", "2025-09-08T11:00Z", null)).isNull();
            assertThat(h.slot("2025-09-08T11:30Z")).isNull();
            assertThat(h.fact("user", "2025-09-10T12:00Z", "alice")).isNotNull();
        }
    }

    @Test
    void theNewestTimeIsSharedByCpuAndIntensity() {
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "1")))) {
            h.send(
                    intensity("2025-09-12T00:00Z", 150.0, null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-10T23:00Z", 300, 30, 270),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T00:00Z", 300, 30, 270));
            assertThat(h.deadLetters())
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("late");
            assertThat(h.fact("ada", "2025-09-11T00:00Z", null)).isNotNull();
        }
    }

    @Test
    void aLateEventDoesNotMoveTheNewestTimeAndARuleBreakingOneNeither() {
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "1")))) {
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-10T00:00Z", 300, -1, 270),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-08T00:00Z", 300, 30, 270),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-07T12:00Z", 300, 30, 270));
            assertThat(h.deadLetters())
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("invalid");
            assertThat(h.fact("ada", "2025-09-07T12:00Z", null)).isNotNull();
        }
    }

    @Test
    void factsBehindTheHorizonAreFinalEvenForALateWorkspaceRecord() {
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "2")))) {
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-01T10:00Z", 300, 30, 270));
            var before = h.fact("ada", "2025-09-01T10:00Z", null);
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-05T10:00Z", 300, 30, 270));
            h.writeChanges();
            // alice held host-a all along, but 1 September is final now: only 5 September is hers
            h.send(workspace("w1", "host-a:9100", "alice", "2025-08-01T00:00Z", null));
            assertThat(h.fact("user", "2025-09-05T10:00Z", "alice")).isNotNull();
            assertThat(h.fact("user", "2025-09-01T10:00Z", "alice")).isNull();
            assertThat(h.fact("ada", "2025-09-01T10:00Z", null))
                    .as("dropped, never retracted")
                    .isEqualTo(before);
        }
    }

    @Test
    void withinTheHorizonALateWorkspaceRecordStillRestates() {
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "7")))) {
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-01T10:00Z", 300, 30, 270),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-05T10:00Z", 300, 30, 270));
            h.writeChanges();
            h.send(workspace("w1", "host-a:9100", "alice", "2025-08-01T00:00Z", null));
            assertThat(h.fact("user", "2025-09-01T10:00Z", "alice")).isNotNull();
        }
    }
}

package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 2.1-2.5 for one host's CPU time in one slot. */
class HostSlotAccountingTest {
    private static final HostSlotAccounting DEFAULTS = new HostSlotAccounting(AccountingConfig.defaults());

    private static long t(String iso) {
        return Times.parse(iso).toEpochMilli();
    }

    private static SlotReading reading(String slot, Double forecast, Double actual) {
        return new SlotReading(t(slot), forecast, actual, "moderate");
    }

    private static Map<Long, SlotReading> readings(SlotReading... rs) {
        Map<Long, SlotReading> out = new java.util.HashMap<>();
        for (SlotReading r : rs) {
            out.put(r.slotStart(), r);
        }
        return out;
    }

    private static void assertMetrics(Metrics actual, double busyS, double idleS, double intensity, double busyW, double idleW) {
        double busyKwh = busyS * busyW / 3_600_000;
        double idleKwh = idleS * idleW / 3_600_000;
        assertThat(actual.busyCpuSeconds()).isCloseTo(busyS, within(1e-9));
        assertThat(actual.idleCpuSeconds()).isCloseTo(idleS, within(1e-9));
        assertThat(actual.busyKwh()).isCloseTo(busyKwh, within(1e-15));
        assertThat(actual.idleKwh()).isCloseTo(idleKwh, within(1e-15));
        assertThat(actual.busyGrams()).isCloseTo(busyKwh * intensity, within(1e-12));
        assertThat(actual.idleGrams()).isCloseTo(idleKwh * intensity, within(1e-12));
    }

    @Test
    void everyScopeGetsTheHostSlotAndTheOwnerAtEachPiecesStartGetsThatPiece() {
        HostSlot hs = new HostSlot("host-a:9100", "IDAaaS", "Muon", t("2025-09-11T10:30Z"), List.of(
                new UsageAtStart(t("2025-09-11T10:30Z"), 100, 1000),
                new UsageAtStart(t("2025-09-11T10:40Z"), 50, 500),
                new UsageAtStart(t("2025-09-11T10:45Z"), 10, 100)));
        List<HostTenure> tenures = List.of(
                new HostTenure("w1", "alice", t("2025-09-11T10:00Z"), t("2025-09-11T10:40Z")),
                new HostTenure("w2", "bob", t("2025-09-11T10:40Z"), null));
        List<Contribution> cs = DEFAULTS.contributions(hs,
                readings(reading("2025-09-11T10:00Z", 100.0, null), reading("2025-09-11T10:30Z", 250.0, 300.0)), tenures);

        long bucket = t("2025-09-11T10:00Z");
        assertThat(cs).extracting(Contribution::key).containsExactly(
                new FactKey(Scope.ADA, bucket, null),
                new FactKey(Scope.PROJECT, bucket, "IDAaaS"),
                new FactKey(Scope.MACHINE, bucket, "Muon"),
                new FactKey(Scope.USER, bucket, "alice"),
                new FactKey(Scope.USER, bucket, "bob"));
        for (int i = 0; i < 3; i++) {
            assertMetrics(cs.get(i).metrics(), 160, 1600, 300, 12, 1);
        }
        assertMetrics(cs.get(3).metrics(), 100, 1000, 300, 12, 1);
        assertMetrics(cs.get(4).metrics(), 60, 600, 300, 12, 1);
        // The mean of I over the hour: forecast 100 at 10:00, actual 300 at 10:30.
        assertThat(cs).extracting(Contribution::bucketMeanIntensity).containsOnly(200.0);
    }

    @Test
    void noOwnedWorkspaceMeansNoUserContributionButTheOtherScopesStay() {
        HostSlot hs = new HostSlot("host-a:9100", "IDAaaS", "Muon", t("2025-09-11T10:00Z"),
                List.of(new UsageAtStart(t("2025-09-11T10:00Z"), 100, 1000)));
        List<HostTenure> tenures = List.of(new HostTenure("pool", null, 0, null),
                new HostTenure("w1", "alice", t("2025-09-11T11:00Z"), null));
        List<Contribution> cs = DEFAULTS.contributions(hs, Map.of(), tenures);
        assertThat(cs).extracting(c -> c.key().scope()).containsExactly(Scope.ADA, Scope.PROJECT, Scope.MACHINE);
        assertMetrics(cs.get(0).metrics(), 100, 1000, 200, 12, 1);
        assertThat(cs.get(0).bucketMeanIntensity()).isEqualTo(200.0);
    }

    @Test
    void piecesOfOneOwnerAreSummedIntoOneContribution() {
        HostSlot hs = new HostSlot("host-a:9100", "IDAaaS", "SANS", t("2025-09-11T10:00Z"), List.of(
                new UsageAtStart(t("2025-09-11T10:00Z"), 1, 2),
                new UsageAtStart(t("2025-09-11T10:10Z"), 3, 4),
                new UsageAtStart(t("2025-09-11T10:20Z"), 5, 6)));
        List<Contribution> cs = DEFAULTS.contributions(hs, Map.of(),
                List.of(new HostTenure("w1", "alice", t("2025-09-11T09:00Z"), null)));
        assertThat(cs).hasSize(4);
        assertThat(cs.get(3).key()).isEqualTo(new FactKey(Scope.USER, t("2025-09-11T10:00Z"), "alice"));
        assertMetrics(cs.get(3).metrics(), 9, 12, 200, 12, 1);
    }

    @Test
    void bucketMeanIncludesTheFallbackForSlotsWithoutUsableReading() {
        AccountingConfig config = AccountingConfig.from(Map.of(AccountingConfig.FALLBACK, "250"));
        HostSlotAccounting acc = new HostSlotAccounting(config);
        long bucket = t("2025-09-11T10:00Z");
        // Only 10:00 has a usable reading; 10:30 has one with neither figure.
        Map<Long, SlotReading> rs = readings(reading("2025-09-11T10:00Z", null, 150.0),
                reading("2025-09-11T10:30Z", null, null));
        assertThat(acc.bucketMeanIntensity(bucket, rs)).isEqualTo(200.0);
        assertThat(acc.bucketMeanIntensity(bucket, Map.of())).isEqualTo(250.0);
        assertThat(acc.intensityOf(t("2025-09-11T10:30Z"), rs)).isEqualTo(new ChosenIntensity(250, IntensitySource.FALLBACK));
        assertThat(acc.intensityOf(t("2025-09-11T10:00Z"), rs)).isEqualTo(new ChosenIntensity(150, IntensitySource.ACTUAL));

        // The host-slot in the fallback slot is priced at the fallback, its bucket mean is still 200.
        HostSlot hs = new HostSlot("h", "P", "M", t("2025-09-11T10:30Z"),
                List.of(new UsageAtStart(t("2025-09-11T10:30Z"), 3600, 0)));
        Contribution ada = acc.contributions(hs, rs, List.of()).get(0);
        assertThat(ada.metrics().busyGrams()).isCloseTo(0.012 * 250, within(1e-12));
        assertThat(ada.bucketMeanIntensity()).isEqualTo(200.0);
    }

    @Test
    void withTheHalfHourGrainTheBucketIsTheSlot() {
        HostSlotAccounting acc = new HostSlotAccounting(AccountingConfig.from(Map.of(AccountingConfig.GRAIN, "1800")));
        Map<Long, SlotReading> rs = readings(reading("2025-09-11T10:00Z", 100.0, null), reading("2025-09-11T10:30Z", 300.0, null));
        HostSlot hs = new HostSlot("h", "P", "M", t("2025-09-11T10:30Z"),
                List.of(new UsageAtStart(t("2025-09-11T10:35Z"), 10, 10)));
        List<Contribution> cs = acc.contributions(hs, rs, List.of());
        assertThat(cs.get(0).key()).isEqualTo(new FactKey(Scope.ADA, t("2025-09-11T10:30Z"), null));
        assertThat(cs.get(0).bucketMeanIntensity()).isEqualTo(300.0);
        assertMetrics(cs.get(0).metrics(), 10, 10, 300, 12, 1);
    }

    @Test
    void perMachinePowerAndPueApply() {
        AccountingConfig config = AccountingConfig.from(Map.of(AccountingConfig.PUE, "1.5",
                AccountingConfig.BUSY_WATTS + ".SANS", "20", AccountingConfig.IDLE_WATTS + ".SANS", "4"));
        HostSlotAccounting acc = new HostSlotAccounting(config);
        HostSlot sans = new HostSlot("h", "P", "SANS", 0, List.of(new UsageAtStart(0, 3600, 3600)));
        HostSlot muon = new HostSlot("h", "P", "Muon", 0, List.of(new UsageAtStart(0, 3600, 3600)));
        assertMetrics(acc.contributions(sans, Map.of(), List.of()).get(0).metrics(), 3600, 3600, 200, 30, 6);
        assertMetrics(acc.contributions(muon, Map.of(), List.of()).get(0).metrics(), 3600, 3600, 200, 18, 1.5);
    }

    @Test
    void emptyUsageContributesNothing() {
        HostSlot hs = new HostSlot("h", "P", "M", 0, List.of());
        assertThat(DEFAULTS.contributions(hs, Map.of(), List.of(new HostTenure("w", "alice", 0, null)))).isEmpty();
    }

    @Test
    void zeroSecondsStillMakeFactsOfZero() {
        HostSlot hs = new HostSlot("h", "P", "M", 0, List.of(new UsageAtStart(0, 0, 0)));
        List<Contribution> cs = DEFAULTS.contributions(hs, Map.of(), List.of(new HostTenure("w", "alice", 0, null)));
        assertThat(cs).hasSize(4);
        assertThat(cs).extracting(Contribution::metrics).containsOnly(Metrics.ZERO);
    }

    @Test
    void theOrderOfContributionsDoesNotDependOnTheOrderOfTheInputs() {
        long slot = t("2025-09-11T10:00Z");
        List<UsageAtStart> usage = new ArrayList<>();
        List<HostTenure> tenures = new ArrayList<>();
        String[] owners = {"zed", "amy", "mia", "bob", "kim"};
        for (int i = 0; i < owners.length; i++) {
            long start = slot + i * 5 * 60_000L;
            usage.add(new UsageAtStart(start, 10 + i, 100 + i));
            tenures.add(new HostTenure("w" + i, owners[i], start, start + 5 * 60_000L));
        }
        Map<Long, SlotReading> rs = readings(reading("2025-09-11T10:00Z", 180.0, null));
        List<Contribution> reference = DEFAULTS.contributions(new HostSlot("h", "P", "M", slot, usage), rs, tenures);
        assertThat(reference).extracting(c -> c.key().entity())
                .containsExactly(null, "P", "M", "amy", "bob", "kim", "mia", "zed");
        for (long seed = 0; seed < 10; seed++) {
            Collections.shuffle(usage, new java.util.Random(seed));
            Collections.shuffle(tenures, new java.util.Random(seed + 100));
            List<Contribution> again = DEFAULTS.contributions(new HostSlot("h", "P", "M", slot, usage), rs, tenures);
            assertThat(again).extracting(Contribution::key)
                    .containsExactlyElementsOf(reference.stream().map(Contribution::key).toList());
            for (int i = 0; i < again.size(); i++) {
                assertThat(again.get(i).metrics().busyGrams())
                        .isCloseTo(reference.get(i).metrics().busyGrams(), within(1e-15));
            }
        }
    }
}

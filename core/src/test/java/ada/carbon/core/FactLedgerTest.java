package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** SPEC 2.4 and 2.5: the facts of each bucket as exact sums of the pieces counted toward them. */
class FactLedgerTest {
    private static final long MIN = 60_000L;
    private static final long T0 = Instant.parse("2025-09-11T10:00:00Z").toEpochMilli();
    private static final long T30 = T0 + 30 * MIN;
    private static final long T60 = T0 + 60 * MIN;
    private static final AccountingConfig HOURLY = AccountingConfig.defaults();
    private static final AccountingConfig HALF_HOURLY = AccountingConfig.from(Map.of("grain.seconds", "1800"));

    private static FactKey ada(long bucket) {
        return new FactKey(Scope.ADA, bucket, null);
    }

    private static FactKey project(long bucket, String name) {
        return new FactKey(Scope.PROJECT, bucket, name);
    }

    private static FactKey machine(long bucket, String name) {
        return new FactKey(Scope.MACHINE, bucket, name);
    }

    private static FactKey user(long bucket, String name) {
        return new FactKey(Scope.USER, bucket, name);
    }

    /** A piece of a 5-minute event at the start of the slot, on host-1 unless another instance is named. */
    private static UsagePiece piece(long slot, String project, String machine, double busy, double idle, String owner) {
        return piece("host-1:9100", slot, project, machine, busy, idle, owner);
    }

    private static UsagePiece piece(
            String instance, long slot, String project, String machine, double busy, double idle, String owner) {
        return new UsagePiece(instance, slot, 300, project, machine, slot, slot, busy, idle, owner);
    }

    /** One hour-long cpu event from T0, split between its two slots as the aggregator does (SPEC 2.2). */
    private static void addHourlyEvent(PieceLedger ledger, double busy, double idle) {
        for (SlotPiece s : Slots.split(T0, 3600, busy, idle)) {
            ledger.add(new UsagePiece(
                    "h",
                    T0,
                    3600,
                    "IDAaaS",
                    "Muon",
                    s.slotStart(),
                    s.pieceStart(),
                    s.busySeconds(),
                    s.idleSeconds(),
                    null));
        }
    }

    private static LongFunction<ChosenIntensity> constant(double gramsPerKwh) {
        return slot -> new ChosenIntensity(gramsPerKwh, IntensitySource.ACTUAL);
    }

    /** Each slot's intensity from the map, the fallback elsewhere. */
    private static LongFunction<ChosenIntensity> bySlot(Map<Long, Double> intensities) {
        return slot -> intensities.containsKey(slot)
                ? new ChosenIntensity(intensities.get(slot), IntensitySource.ACTUAL)
                : new ChosenIntensity(200, IntensitySource.FALLBACK);
    }

    private static FactFigures figures(PieceLedger ledger, FactKey fact, double intensity) {
        return ledger.figures(fact, constant(intensity)).orElseThrow(() -> new AssertionError("no fact " + fact));
    }

    private static double kwh(double cpuSeconds, double watts) {
        return cpuSeconds * watts / 3_600_000;
    }

    // ---- scopes ----

    @Test
    void aPieceCountsTowardAdaItsProjectItsMachineAndItsOwner() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 1000, 5000, "alice"));
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"), user(T0, "alice"));
        assertThat(ledger.factCount()).isEqualTo(4);
        FactFigures reference = figures(ledger, ada(T0), 185);
        for (FactKey fact : ledger.factsOfBucket(T0)) {
            assertThat(figures(ledger, fact, 185)).isEqualTo(reference);
        }
        assertThat(reference.metrics().busyCpuSeconds()).isEqualTo(1000.0);
        assertThat(reference.metrics().idleCpuSeconds()).isEqualTo(5000.0);
    }

    @Test
    void aPieceWithoutAnOwnerCountsTowardNoUserButStaysInTheOtherScopes() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 1000, 5000, null));
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"));
        assertThat(figures(ledger, ada(T0), 185).metrics().busyCpuSeconds()).isEqualTo(1000.0);
    }

    @Test
    void adaIsTheSumOfProjectsAndOfMachinesAndUsersSumToNoMore() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 100, 1000, "alice"));
        ledger.add(piece("h2", T0, "CDAaaS", "Muon", 200, 2000, "bob"));
        ledger.add(piece("h3", T30, "IDAaaS", "SANS", 400, 4000, null));
        ledger.add(piece("h4", T30, "CDAaaS", "SANS", 800, 8000, "alice"));
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(
                        ada(T0),
                        project(T0, "IDAaaS"),
                        project(T0, "CDAaaS"),
                        machine(T0, "Muon"),
                        machine(T0, "SANS"),
                        user(T0, "alice"),
                        user(T0, "bob"));
        assertThat(ledger.factCount()).isEqualTo(7);

        assertThat(figures(ledger, project(T0, "IDAaaS"), 100).metrics().busyCpuSeconds())
                .isEqualTo(500.0);
        assertThat(figures(ledger, project(T0, "CDAaaS"), 100).metrics().busyCpuSeconds())
                .isEqualTo(1000.0);
        assertThat(figures(ledger, machine(T0, "Muon"), 100).metrics().busyCpuSeconds())
                .isEqualTo(300.0);
        assertThat(figures(ledger, machine(T0, "SANS"), 100).metrics().busyCpuSeconds())
                .isEqualTo(1200.0);
        assertThat(figures(ledger, user(T0, "alice"), 100).metrics().busyCpuSeconds())
                .isEqualTo(900.0);
        assertThat(figures(ledger, user(T0, "bob"), 100).metrics().busyCpuSeconds())
                .isEqualTo(200.0);

        Metrics adaRow = figures(ledger, ada(T0), 100).metrics();
        assertThat(adaRow.busyCpuSeconds()).isEqualTo(1500.0);
        assertThat(adaRow.idleCpuSeconds()).isEqualTo(15000.0);
        Metrics projects = figures(ledger, project(T0, "IDAaaS"), 100)
                .metrics()
                .plus(figures(ledger, project(T0, "CDAaaS"), 100).metrics());
        Metrics machines = figures(ledger, machine(T0, "Muon"), 100)
                .metrics()
                .plus(figures(ledger, machine(T0, "SANS"), 100).metrics());
        Metrics users = figures(ledger, user(T0, "alice"), 100)
                .metrics()
                .plus(figures(ledger, user(T0, "bob"), 100).metrics());
        assertClose(projects, adaRow);
        assertClose(machines, adaRow);
        assertThat(users.kwh()).isLessThan(adaRow.kwh());
        assertThat(users.kwh()).isCloseTo(adaRow.kwh() - kwh(400, 12) - kwh(4000, 1), within(1e-15));
    }

    @Test
    void aProjectAndAMachineOfTheSameNameAreDifferentFacts() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece("h1", T0, "Muon", "Muon", 100, 0, null));
        ledger.add(piece("h2", T0, "Other", "Muon", 50, 0, null));
        assertThat(figures(ledger, project(T0, "Muon"), 100).metrics().busyCpuSeconds())
                .isEqualTo(100.0);
        assertThat(figures(ledger, machine(T0, "Muon"), 100).metrics().busyCpuSeconds())
                .isEqualTo(150.0);
    }

    // ---- retraction and reattribution ----

    @Test
    void retractingAPieceRestoresEveryFactToTheBit() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        UsagePiece a = piece("h1", T0, "IDAaaS", "Muon", 0.1, 0.7, "alice");
        UsagePiece b = piece("h2", T0, "IDAaaS", "Muon", 1e9 / 3, 0.2, "alice");
        UsagePiece c = piece("h3", T30, "IDAaaS", "Muon", 1e-7, 1e6 / 7, "alice");
        PieceLedger onlyA = new PieceLedger(HOURLY);
        onlyA.add(a);
        ledger.add(a);
        ledger.add(b);
        ledger.add(c);
        ledger.retract(b);
        ledger.retract(c);
        Map<Long, Double> intensities = Map.of(T0, 123.4, T30, 321.9);
        for (FactKey fact : onlyA.factsOfBucket(T0)) {
            assertThat(ledger.figures(fact, bySlot(intensities))).isEqualTo(onlyA.figures(fact, bySlot(intensities)));
        }
        assertThat(ledger.factsOfBucket(T0)).isEqualTo(onlyA.factsOfBucket(T0));
        assertThat(figures(ledger, ada(T0), 100).metrics().busyCpuSeconds()).isEqualTo(0.1);
        assertThat(figures(ledger, ada(T0), 100).metrics().idleCpuSeconds()).isEqualTo(0.7);
        assertThat(ledger.hasCpu(T30)).isFalse();
    }

    @Test
    void aFactWithNoPiecesLeftIsGone() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        UsagePiece a = piece(T0, "IDAaaS", "Muon", 10, 20, "alice");
        UsagePiece b = piece("h2", T0, "CDAaaS", "Muon", 30, 40, "bob");
        ledger.add(a);
        ledger.add(b);
        ledger.retract(a);
        assertThat(ledger.figures(project(T0, "IDAaaS"), constant(100))).isEmpty();
        assertThat(ledger.figures(user(T0, "alice"), constant(100))).isEmpty();
        assertThat(ledger.figures(machine(T0, "Muon"), constant(100))).isPresent();
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(ada(T0), project(T0, "CDAaaS"), machine(T0, "Muon"), user(T0, "bob"));
        ledger.retract(b);
        assertThat(ledger.factsOfBucket(T0)).isEmpty();
        assertThat(ledger.factCount()).isZero();
        assertThat(ledger.figures(ada(T0), constant(100))).isEmpty();
        assertThat(ledger.hasCpu(T0)).isFalse();
    }

    @Test
    void aFactWhosePiecesSumToZeroSecondsStillExists() {
        // SPEC 2.5: the row exists as soon as any piece falls in it, even one of zero seconds.
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 0, 0, "alice"));
        assertThat(ledger.factsOfBucket(T0)).hasSize(4);
        assertThat(ledger.hasCpu(T0)).isTrue();
        assertThat(figures(ledger, user(T0, "alice"), 100).metrics()).isEqualTo(Metrics.ZERO);
    }

    @Test
    void reattributingMovesOnlyTheUserShare() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        UsagePiece mine = piece("h1", T0, "IDAaaS", "Muon", 100, 1000, "alice");
        ledger.add(mine);
        ledger.add(piece("h2", T0, "IDAaaS", "Muon", 7, 70, "bob"));
        Map<FactKey, FactFigures> before = new HashMap<>();
        for (FactKey f : List.of(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"))) {
            before.put(f, figures(ledger, f, 150));
        }

        ledger.reattribute(mine, "bob");
        before.forEach((f, figures) -> assertThat(figures(ledger, f, 150)).isEqualTo(figures));
        assertThat(ledger.figures(user(T0, "alice"), constant(150))).isEmpty();
        assertThat(figures(ledger, user(T0, "bob"), 150).metrics().busyCpuSeconds())
                .isEqualTo(107.0);

        ledger.reattribute(mine.withOwner("bob"), null);
        before.forEach((f, figures) -> assertThat(figures(ledger, f, 150)).isEqualTo(figures));
        assertThat(figures(ledger, user(T0, "bob"), 150).metrics().busyCpuSeconds())
                .isEqualTo(7.0);

        ledger.reattribute(mine.withOwner(null), "carol");
        assertThat(figures(ledger, user(T0, "carol"), 150).metrics().busyCpuSeconds())
                .isEqualTo(100.0);
        before.forEach((f, figures) -> assertThat(figures(ledger, f, 150)).isEqualTo(figures));
        // Retracting the piece as it is now attributed leaves bob's share alone.
        ledger.retract(mine.withOwner("carol"));
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"), user(T0, "bob"));
    }

    @Test
    void reattributingToTheSameOwnerChangesNothing() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        UsagePiece p = piece(T0, "IDAaaS", "Muon", 100, 1000, "alice");
        ledger.add(p);
        RecordingChanges changes = RecordingChanges.listenTo(ledger);
        ledger.reattribute(p, "alice");
        ledger.reattribute(p.withOwner(null), null);
        assertThat(changes.facts).isEmpty();
        assertThat(changes.slots).isEmpty();
        assertThat(figures(ledger, user(T0, "alice"), 100).metrics().busyCpuSeconds())
                .isEqualTo(100.0);
    }

    // ---- figures (SPEC 2.3, 2.5, 4) ----

    @Test
    void workedFigureThousandBusyFiveThousandIdleAt185() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 1000, 5000, null));
        FactFigures f = figures(ledger, ada(T0), 185);
        assertThat(f.metrics().busyKwh()).isCloseTo(0.003333, within(5e-7));
        assertThat(f.metrics().idleKwh()).isCloseTo(0.001389, within(5e-7));
        assertThat(f.metrics().busyGrams()).isCloseTo(0.6167, within(5e-5));
        assertThat(f.metrics().idleGrams()).isCloseTo(0.2569, within(5e-5));
        assertThat(f.metrics().grams()).isCloseTo(0.8736, within(5e-5));
        assertThat(f.intensity()).isCloseTo(185, within(1e-12));
    }

    @Test
    void workedFigureOfOneHourSplitIntoItsTwoHalves() {
        // 8,313.1 busy s and 28,564,580 idle s in one hour: 0.0277 + 7.9346 kWh; at 185, 1,473.0 g.
        PieceLedger ledger = new PieceLedger(HOURLY);
        addHourlyEvent(ledger, 8313.1, 28_564_580);
        FactFigures f = figures(ledger, ada(T0), 185);
        assertThat(f.metrics().busyCpuSeconds()).isEqualTo(8313.1);
        assertThat(f.metrics().busyKwh()).isCloseTo(0.0277, within(5e-5));
        assertThat(f.metrics().idleKwh()).isCloseTo(7.9346, within(5e-5));
        assertThat(f.metrics().grams()).isCloseTo(1473.0, within(0.05));
    }

    @Test
    void workedFigureOf75WattHoursAt45() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 18_000, 54_000, "alice"));
        FactFigures f = figures(ledger, user(T0, "alice"), 45);
        assertThat(f.metrics().busyKwh()).isCloseTo(0.06, within(1e-15));
        assertThat(f.metrics().idleKwh()).isCloseTo(0.015, within(1e-15));
        assertThat(f.metrics().kwh()).isCloseTo(0.075, within(1e-15));
        assertThat(f.metrics().grams()).isCloseTo(3.375, within(1e-12));
    }

    @Test
    void carbonIsEachSlotsEnergyTimesThatSlotsIntensity() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 1000, 0, null));
        ledger.add(piece("h2", T30, "IDAaaS", "Muon", 3000, 3600, null));
        FactFigures f =
                ledger.figures(ada(T0), bySlot(Map.of(T0, 100.0, T30, 300.0))).orElseThrow();
        double busy0 = kwh(1000, 12), busy30 = kwh(3000, 12), idle30 = kwh(3600, 1);
        assertThat(f.metrics().busyKwh()).isCloseTo(busy0 + busy30, within(1e-15));
        assertThat(f.metrics().busyGrams()).isCloseTo(busy0 * 100 + busy30 * 300, within(1e-12));
        assertThat(f.metrics().idleGrams()).isCloseTo(idle30 * 300, within(1e-12));
        // Not the hour's energy times the mean intensity (200), which would be the wrong answer here.
        double expectedIntensity = (busy0 * 100 + busy30 * 300 + idle30 * 300) / (busy0 + busy30 + idle30);
        assertThat(f.intensity()).isCloseTo(expectedIntensity, within(1e-9));
        assertThat(f.intensity()).isNotCloseTo(200, within(1.0));
    }

    @Test
    void evenHourlyInputGivesTheHoursEnergyTimesTheMeanOfItsTwoIntensities() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        addHourlyEvent(ledger, 7200, 36_000);
        FactFigures f =
                ledger.figures(ada(T0), bySlot(Map.of(T0, 180.0, T30, 190.0))).orElseThrow();
        double hourKwh = kwh(7200, 12) + kwh(36_000, 1);
        assertThat(f.metrics().kwh()).isCloseTo(hourKwh, within(1e-15));
        assertThat(f.metrics().grams()).isCloseTo(hourKwh * 185, within(1e-12));
        assertThat(f.intensity()).isCloseTo(185, within(1e-12));
    }

    @Test
    void withNoEnergyTheIntensityIsTheMeanOverAllTheBucketsSlots() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 0, 0, null)); // only the first slot has a piece
        List<Long> asked = new ArrayList<>();
        FactFigures f = ledger.figures(ada(T0), slot -> {
                    asked.add(slot);
                    return bySlot(Map.of(T0, 100.0, T30, 250.0)).apply(slot);
                })
                .orElseThrow();
        assertThat(f.intensity()).isEqualTo(175.0);
        assertThat(f.metrics()).isEqualTo(Metrics.ZERO);
        assertThat(asked).containsExactlyInAnyOrder(T0, T30);
        // A slot without a reading counts at the fallback.
        assertThat(ledger.figures(ada(T0), bySlot(Map.of(T0, 100.0)))
                        .orElseThrow()
                        .intensity())
                .isEqualTo(150.0);
    }

    @Test
    void withNoEnergyAtHalfHourGrainTheIntensityIsTheSlotsOwn() {
        PieceLedger ledger = new PieceLedger(HALF_HOURLY);
        ledger.add(piece(T30, "IDAaaS", "Muon", 0, 0, null));
        FactFigures f = ledger.figures(ada(T30), bySlot(Map.of(T0, 100.0, T30, 250.0, T60, 400.0)))
                .orElseThrow();
        assertThat(f.intensity()).isEqualTo(250.0);
    }

    @Test
    void zeroWattsMakeZeroEnergyAndTheMeanIntensity() {
        AccountingConfig config =
                AccountingConfig.from(Map.of("power.busy.watts.Dark", "0", "power.idle.watts.Dark", "0"));
        PieceLedger ledger = new PieceLedger(config);
        ledger.add(piece(T0, "IDAaaS", "Dark", 1000, 1000, null));
        FactFigures f = ledger.figures(machine(T0, "Dark"), bySlot(Map.of(T0, 90.0, T30, 110.0)))
                .orElseThrow();
        assertThat(f.metrics().busyCpuSeconds()).isEqualTo(1000.0);
        assertThat(f.metrics().kwh()).isZero();
        assertThat(f.intensity()).isEqualTo(100.0);
    }

    @Test
    void aNewIntensityRestatesTheFactWithoutTouchingItsPieces() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece(T0, "IDAaaS", "Muon", 1000, 5000, null));
        FactFigures forecast = figures(ledger, ada(T0), 185);
        FactFigures actual = figures(ledger, ada(T0), 190);
        assertThat(actual.metrics().kwh()).isEqualTo(forecast.metrics().kwh());
        assertThat(actual.metrics().grams()).isCloseTo(forecast.metrics().kwh() * 190, within(1e-12));
        assertThat(actual.metrics().grams()).isGreaterThan(forecast.metrics().grams());
    }

    // ---- grain ----

    @Test
    void hourlyGrainPutsBothHalvesInOneBucket() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 10, 0, "alice"));
        ledger.add(piece("h1", T30, "IDAaaS", "Muon", 20, 0, "alice"));
        ledger.add(piece("h1", T60, "IDAaaS", "Muon", 40, 0, "alice"));
        assertThat(ledger.factsOfBucket(T0)).hasSize(4);
        assertThat(ledger.factsOfBucket(T30)).isEmpty();
        assertThat(ledger.factsOfBucket(T60)).hasSize(4);
        assertThat(ledger.factCount()).isEqualTo(8);
        assertThat(figures(ledger, user(T0, "alice"), 100).metrics().busyCpuSeconds())
                .isEqualTo(30.0);
        assertThat(figures(ledger, user(T60, "alice"), 100).metrics().busyCpuSeconds())
                .isEqualTo(40.0);
        assertThat(ledger.figures(user(T30, "alice"), constant(100))).isEmpty();
    }

    @Test
    void halfHourGrainMakesABucketOfEachSlot() {
        PieceLedger ledger = new PieceLedger(HALF_HOURLY);
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 10, 0, "alice"));
        ledger.add(piece("h1", T30, "IDAaaS", "Muon", 20, 0, "alice"));
        assertThat(ledger.factsOfBucket(T0))
                .containsExactlyInAnyOrder(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"), user(T0, "alice"));
        assertThat(ledger.factsOfBucket(T30))
                .containsExactlyInAnyOrder(ada(T30), project(T30, "IDAaaS"), machine(T30, "Muon"), user(T30, "alice"));
        assertThat(ledger.factCount()).isEqualTo(8);
        FactFigures first =
                ledger.figures(ada(T0), bySlot(Map.of(T0, 100.0, T30, 300.0))).orElseThrow();
        FactFigures second =
                ledger.figures(ada(T30), bySlot(Map.of(T0, 100.0, T30, 300.0))).orElseThrow();
        assertThat(first.metrics().busyCpuSeconds()).isEqualTo(10.0);
        assertThat(second.metrics().busyCpuSeconds()).isEqualTo(20.0);
        assertThat(first.intensity()).isCloseTo(100, within(1e-12));
        assertThat(second.intensity()).isCloseTo(300, within(1e-12));
        assertThat(first.metrics().busyGrams()).isCloseTo(kwh(10, 12) * 100, within(1e-15));
    }

    @Test
    void theGrainsAgreeOnTheHoursTotals() {
        PieceLedger hourly = new PieceLedger(HOURLY);
        PieceLedger halves = new PieceLedger(HALF_HOURLY);
        for (UsagePiece p : List.of(
                piece("h1", T0, "IDAaaS", "Muon", 10.5, 99, "alice"),
                piece("h2", T30, "IDAaaS", "SANS", 20.25, 7, "bob"))) {
            hourly.add(p);
            halves.add(p);
        }
        LongFunction<ChosenIntensity> intensity = bySlot(Map.of(T0, 100.0, T30, 300.0));
        Metrics sumOfHalves = halves.figures(ada(T0), intensity)
                .orElseThrow()
                .metrics()
                .plus(halves.figures(ada(T30), intensity).orElseThrow().metrics());
        assertClose(hourly.figures(ada(T0), intensity).orElseThrow().metrics(), sumOfHalves);
    }

    // ---- power ----

    @Test
    void perMachinePowerOverridesApplyToThatMachineOnly() {
        AccountingConfig config = AccountingConfig.from(
                Map.of("power.busy.watts.SANS", "100", "power.idle.watts.SANS", "5", "pue", "1.5"));
        PieceLedger ledger = new PieceLedger(config);
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 3600, 3600, "alice"));
        ledger.add(piece("h2", T0, "IDAaaS", "SANS", 3600, 3600, "alice"));
        Metrics muon = figures(ledger, machine(T0, "Muon"), 100).metrics();
        Metrics sans = figures(ledger, machine(T0, "SANS"), 100).metrics();
        assertThat(muon.busyKwh()).isCloseTo(0.012 * 1.5, within(1e-15));
        assertThat(muon.idleKwh()).isCloseTo(0.001 * 1.5, within(1e-15));
        assertThat(sans.busyKwh()).isCloseTo(0.1 * 1.5, within(1e-15));
        assertThat(sans.idleKwh()).isCloseTo(0.005 * 1.5, within(1e-15));
        assertClose(figures(ledger, ada(T0), 100).metrics(), muon.plus(sans));
        assertClose(figures(ledger, user(T0, "alice"), 100).metrics(), muon.plus(sans));
    }

    // ---- change notices ----

    /** Records what the ledger says it touched, in order. */
    private static final class RecordingChanges implements FactLedger.Changes {
        final List<FactKey> facts = new ArrayList<>();
        final List<Long> slots = new ArrayList<>();

        static RecordingChanges listenTo(PieceLedger ledger) {
            RecordingChanges changes = new RecordingChanges();
            ledger.listen(changes);
            return changes;
        }

        @Override
        public void factChanged(FactKey fact) {
            facts.add(fact);
        }

        @Override
        public void slotCpuChanged(long slotStart) {
            slots.add(slotStart);
        }

        /** As the aggregator does once it has written what it was told. */
        void clear() {
            facts.clear();
            slots.clear();
        }
    }

    @Test
    void theListenerIsToldEachFactAChangeTouches() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        RecordingChanges changes = RecordingChanges.listenTo(ledger);
        UsagePiece owned = piece("h1", T0, "IDAaaS", "Muon", 1, 2, "alice");
        ledger.add(owned);
        assertThat(changes.facts).containsOnly(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"), user(T0, "alice"));

        changes.clear();
        ledger.add(piece("h2", T30, "CDAaaS", "SANS", 1, 2, null));
        assertThat(changes.facts).containsOnly(ada(T0), project(T0, "CDAaaS"), machine(T0, "SANS"));

        changes.clear();
        ledger.reattribute(owned, "bob");
        // Both cells changed: the facts of each are told (ada, project and machine keep their figures).
        assertThat(changes.facts)
                .contains(user(T0, "alice"), user(T0, "bob"))
                .doesNotContain(project(T0, "CDAaaS"), machine(T0, "SANS"));
        assertThat(changes.slots).isEmpty();

        changes.clear();
        ledger.retract(owned.withOwner("bob"));
        assertThat(changes.facts).containsOnly(ada(T0), project(T0, "IDAaaS"), machine(T0, "Muon"), user(T0, "bob"));
    }

    @Test
    void theListenerIsToldWhenASlotGainsItsFirstPieceOrLosesItsLast() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        RecordingChanges changes = RecordingChanges.listenTo(ledger);
        UsagePiece a = piece("h1", T0, "IDAaaS", "Muon", 1, 2, "alice");
        UsagePiece b = piece("h2", T0, "CDAaaS", "SANS", 3, 4, "bob");
        UsagePiece c = piece("h1", T30, "IDAaaS", "Muon", 5, 6, "alice");

        ledger.add(a);
        assertThat(changes.slots).containsExactly(T0);
        assertThat(ledger.hasCpu(T0)).isTrue();
        assertThat(ledger.hasCpu(T30)).isFalse();
        ledger.add(b);
        assertThat(changes.slots).containsExactly(T0);
        ledger.add(c);
        assertThat(changes.slots).containsExactly(T0, T30);
        assertThat(ledger.hasCpu(T30)).isTrue();

        changes.clear();
        ledger.retract(a);
        assertThat(changes.slots).isEmpty();
        assertThat(ledger.hasCpu(T0)).isTrue();
        ledger.retract(b);
        assertThat(changes.slots).containsExactly(T0);
        assertThat(ledger.hasCpu(T0)).isFalse();
        assertThat(ledger.hasCpu(T30)).isTrue();
        ledger.retract(c);
        assertThat(changes.slots).containsExactly(T0, T30);
        assertThat(ledger.hasCpu(T30)).isFalse();
    }

    @Test
    void hasCpuAtHalfHourGrain() {
        PieceLedger ledger = new PieceLedger(HALF_HOURLY);
        RecordingChanges changes = RecordingChanges.listenTo(ledger);
        ledger.add(piece(T30, "IDAaaS", "Muon", 1, 1, null));
        assertThat(ledger.hasCpu(T0)).isFalse();
        assertThat(ledger.hasCpu(T30)).isTrue();
        assertThat(changes.slots).containsExactly(T30);
    }

    // ---- dropping final buckets ----

    @Test
    void droppingBucketsBeforeABoundaryForgetsThemSilentlyAndKeepsTheRest() {
        PieceLedger ledger = new PieceLedger(HOURLY);
        long t120 = T0 + 120 * MIN;
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 1, 1, "alice"));
        ledger.add(piece("h1", T30, "IDAaaS", "Muon", 1, 1, "alice"));
        ledger.add(piece("h1", T60, "IDAaaS", "Muon", 2, 2, null));
        ledger.add(piece("h1", t120, "IDAaaS", "Muon", 3, 3, "bob"));
        assertThat(ledger.factCount()).isEqualTo(4 + 3 + 4);
        RecordingChanges changes = RecordingChanges.listenTo(ledger);

        ledger.dropBucketsBefore(T60);
        assertThat(changes.facts).isEmpty();
        assertThat(changes.slots).isEmpty();
        assertThat(ledger.factsOfBucket(T0)).isEmpty();
        assertThat(ledger.figures(ada(T0), constant(100))).isEmpty();
        assertThat(ledger.hasCpu(T0)).isFalse();
        assertThat(ledger.hasCpu(T30)).isFalse();
        assertThat(ledger.factsOfBucket(T60)).hasSize(3);
        assertThat(ledger.factsOfBucket(t120)).hasSize(4);
        assertThat(ledger.factCount()).isEqualTo(7);
        assertThat(figures(ledger, ada(T60), 100).metrics().busyCpuSeconds()).isEqualTo(2.0);

        ledger.dropBucketsBefore(T60 + 1);
        assertThat(ledger.factCount()).isEqualTo(4);
        assertThat(ledger.hasCpu(t120)).isTrue();
        assertThat(changes.facts).isEmpty();
    }

    // ---- order ----

    @Test
    void theFiguresDependOnTheSetOfPiecesNotTheOrderNorHowTheHostsAreSpreadOverPartitions() {
        Random random = new Random(20250911);
        String[] projects = {"IDAaaS", "CDAaaS"};
        String[] machines = {"Muon", "SANS", "Laser"};
        String[] owners = {"alice", "bob", null};
        List<UsagePiece> pieces = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long slot = T0 + random.nextInt(4) * 30 * MIN;
            pieces.add(piece(
                    "h" + i,
                    slot,
                    projects[random.nextInt(2)],
                    machines[random.nextInt(3)],
                    random.nextDouble() * Math.pow(10, random.nextInt(8)),
                    random.nextDouble() * 1e6,
                    owners[random.nextInt(3)]));
        }
        AccountingConfig config = AccountingConfig.from(Map.of("power.busy.watts.SANS", "37.3", "pue", "1.17"));
        Map<Long, Double> intensities = Map.of(T0, 181.7, T30, 190.3, T60, 43.1, T60 + 30 * MIN, 250.9);
        PieceLedger reference = new PieceLedger(config);
        pieces.forEach(reference::add);
        Set<FactKey> facts = new java.util.HashSet<>(reference.factsOfBucket(T0));
        facts.addAll(reference.factsOfBucket(T60));

        for (int round = 0; round < 5; round++) {
            PieceLedger other = new PieceLedger(config, 1 + round); // 1 to 5 host partitions
            List<UsagePiece> shuffled = new ArrayList<>(pieces);
            Collections.shuffle(shuffled, random);
            // Extra pieces added and taken back again on the way.
            List<UsagePiece> extras = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                other.add(shuffled.get(i));
                if (i % 7 == 0) {
                    UsagePiece extra = piece(
                            "x" + i,
                            shuffled.get(i).slotStart(),
                            "IDAaaS",
                            "Muon",
                            random.nextDouble() * 1e5,
                            random.nextDouble(),
                            "alice");
                    other.add(extra);
                    extras.add(extra);
                }
            }
            Collections.shuffle(extras, random);
            extras.forEach(other::retract);
            assertThat(other.factCount()).isEqualTo(reference.factCount());
            for (FactKey fact : facts) {
                assertThat(other.figures(fact, bySlot(intensities)))
                        .as("fact %s in round %d", fact, round)
                        .isEqualTo(reference.figures(fact, bySlot(intensities)));
            }
        }
    }

    // ---- SPEC 2.9 and 2.10: embodied carbon, energy by source, coverage ----

    @Test
    void aFactCarriesItsEmbodiedCarbonItsEnergyBySourceAndItsCoverage() {
        AccountingConfig config = AccountingConfig.from(Map.of(
                "embodied.server.kgco2eq.SANS",
                "2400",
                "embodied.server.cores.SANS",
                "16",
                "embodied.lifetime.years",
                "5"));
        PieceLedger ledger = new PieceLedger(config, 2);
        // h1: a 4-vCPU host, 300 s in each half hour (1,200 CPU-seconds each); h2: SANS, the first half hour only.
        ledger.add(piece("h1", T0, "IDAaaS", "Muon", 200, 1_000, "alice"));
        ledger.add(piece("h1", T30, "IDAaaS", "Muon", 300, 900, "alice"));
        ledger.add(piece("h2", T0, "IDAaaS", "SANS", 600, 600, null));
        // First slot's intensity an actual, the second a fallback.
        LongFunction<ChosenIntensity> sources = slot -> slot == T0
                ? new ChosenIntensity(150, IntensitySource.ACTUAL)
                : new ChosenIntensity(200, IntensitySource.FALLBACK);

        double muonPerCoreHour = 1_000_000.0 / (5 * 8_760) / 48;
        double sansPerCoreHour = 2_400_000.0 / (5 * 8_760) / 16;
        FactFigures ada = ledger.figures(ada(T0), sources).orElseThrow();
        assertThat(ada.embodiedGrams())
                .isCloseTo(2_400 / 3_600.0 * muonPerCoreHour + 1_200 / 3_600.0 * sansPerCoreHour, within(1e-12));
        assertThat(ada.embodiedGrams())
                .as("embodied is never in the operational carbon")
                .isNotEqualTo(ada.metrics().busyGrams() + ada.metrics().idleGrams());
        assertThat(ada.energyBySource().actual()).isCloseTo(kwh(200 + 600, 12) + kwh(1_000 + 600, 1), within(1e-15));
        assertThat(ada.energyBySource().fallback()).isCloseTo(kwh(300, 12) + kwh(900, 1), within(1e-15));
        assertThat(ada.energyBySource().forecast()).isZero();
        assertThat(ada.energyBySource().regional()).isZero();
        assertThat(ada.energyBySource().actual() + ada.energyBySource().fallback())
                .isCloseTo(ada.metrics().kwh(), within(1e-15));
        assertThat(ada.hostSeconds()).as("three 5-minute pieces").isEqualTo(900.0);
        assertThat(ada.hosts()).isEqualTo(2);

        FactFigures alice = ledger.figures(user(T0, "alice"), sources).orElseThrow();
        assertThat(alice.embodiedGrams()).isCloseTo(2_400 / 3_600.0 * muonPerCoreHour, within(1e-12));
        assertThat(alice.hosts()).isEqualTo(1);
        assertThat(alice.hostSeconds()).isEqualTo(600.0);

        ledger.retract(piece("h2", T0, "IDAaaS", "SANS", 600, 600, null));
        assertThat(ledger.figures(ada(T0), sources).orElseThrow().hosts()).isEqualTo(1);
        assertThat(ledger.figures(machine(T0, "SANS"), sources)).isEmpty();
    }

    private static void assertClose(Metrics actual, Metrics expected) {
        double[] a = {
            actual.busyCpuSeconds(),
            actual.idleCpuSeconds(),
            actual.busyKwh(),
            actual.idleKwh(),
            actual.busyGrams(),
            actual.idleGrams()
        };
        double[] e = {
            expected.busyCpuSeconds(),
            expected.idleCpuSeconds(),
            expected.busyKwh(),
            expected.idleKwh(),
            expected.busyGrams(),
            expected.idleGrams()
        };
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i])
                    .as("figure %d of %s vs %s", i, actual, expected)
                    .isCloseTo(e[i], within(1e-9 * Math.max(Math.abs(e[i]), 1e-300)));
        }
    }
}

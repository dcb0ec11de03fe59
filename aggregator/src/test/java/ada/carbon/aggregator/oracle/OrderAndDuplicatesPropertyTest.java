package ada.carbon.aggregator.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.oracle.Scenario.EndWorkspace;
import ada.carbon.aggregator.oracle.Scenario.FixCpu;
import ada.carbon.aggregator.oracle.Scenario.NewCpu;
import ada.carbon.aggregator.oracle.Scenario.NewIntensity;
import ada.carbon.aggregator.oracle.Scenario.NewUser;
import ada.carbon.aggregator.oracle.Scenario.NewWorkspace;
import ada.carbon.aggregator.oracle.Scenario.Op;
import ada.carbon.aggregator.oracle.Scenario.TwinWorkspaces;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * SPEC 2.6: for any set of events, the facts are the same whatever the order and however many duplicates.
 * Each generated history goes through the topology twice (in generation order, then shuffled with exact
 * duplicates) and both results must equal what {@link SpecOracle} computes from SPEC section 2.
 */
class OrderAndDuplicatesPropertyTest {

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void factsAreAFunctionOfTheSetOfEvents(@ForAll("scenarios") Scenario scenario) {
        check(scenario);
    }

    private static void check(Scenario scenario) {
        AccountingConfig config = scenario.config();
        SpecOracle oracle = new SpecOracle(config);
        List<Object> inOrder = scenario.events();
        List<Object> shuffled = scenario.permuted();

        SpecOracle.Expected expected = oracle.compute(inOrder);
        SpecOracle.Expected expectedShuffled = oracle.compute(shuffled);
        // The shuffle keeps the final version of each identity last, so the oracle must not see a difference.
        assertThat(Agreement.factDifferences(expected.facts(), expectedShuffled.facts()))
                .isEmpty();
        assertThat(Agreement.slotDifferences(expected.slots(), expectedShuffled.slots()))
                .isEmpty();
        collectStatistics(inOrder, expected, config);

        try (TopologyRun run = new TopologyRun(config)) {
            run.send(inOrder);
            assertThat(run.deadLetters()).as("generated events are all valid").isZero();
            Agreement.assertAgree("in generation order", expected, run.facts(), run.slots());
        }
        try (TopologyRun run = new TopologyRun(config)) {
            run.send(shuffled);
            assertThat(run.deadLetters()).as("generated events are all valid").isZero();
            Agreement.assertAgree("shuffled with duplicates", expectedShuffled, run.facts(), run.slots());
        }
    }

    private static void collectStatistics(List<Object> events, SpecOracle.Expected expected, AccountingConfig config) {
        long multiSlot = events.stream()
                .filter(e -> e instanceof CpuEvent c
                        && Math.floorDiv(c.getTs().toEpochMilli(), 1_800_000L)
                                != Math.floorDiv(
                                        c.getTs().toEpochMilli() + c.getPeriodSeconds() * 1000 - 1, 1_800_000L))
                .count();
        Statistics.label("cpu events spanning slots").collect(multiSlot > 0);
        Statistics.label("user facts")
                .collect(expected.facts().keySet().stream()
                        .anyMatch(k -> k.scope().equals("user")));
        Statistics.label("facts with zero energy")
                .collect(expected.facts().values().stream().anyMatch(f -> f.busyKwh() + f.idleKwh() == 0));
        Statistics.label("fallback slots with cpu")
                .collect(expected.slots().values().stream()
                        .anyMatch(s -> s.hasCpu() && s.source().equals("fallback")));
        Statistics.label("grain").collect(config.grain().seconds());
        Set<Object> identities = events.stream().map(Scenario::identity).collect(Collectors.toSet());
        Statistics.label("cpu events replaced")
                .collect(events.stream()
                                .filter(e -> e instanceof CpuEvent)
                                .map(Scenario::identity)
                                .distinct()
                                .count()
                        < events.stream().filter(e -> e instanceof CpuEvent).count());
        Statistics.label("workspaces replaced")
                .collect(events.stream()
                                .filter(e -> e instanceof WorkspaceEvent)
                                .map(Scenario::identity)
                                .distinct()
                                .count()
                        < events.stream()
                                .filter(e -> e instanceof WorkspaceEvent)
                                .count());
        Statistics.label("events per history")
                .collect(events.size() <= 10 ? "1-10" : events.size() <= 25 ? "11-25" : "26+");
        Statistics.label("identities per history")
                .collect(identities.size() <= 10 ? "1-10" : identities.size() <= 25 ? "11-25" : "26+");
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> configChoice =
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(1, 3));
        Arbitrary<Integer> hosts = ints(1, 4);
        Arbitrary<Integer> projects = ints(1, 3);
        Arbitrary<Integer> machines = ints(1, 3);
        Arbitrary<Integer> spanHours = Arbitraries.frequency(Tuple.of(2, 2), Tuple.of(2, 6), Tuple.of(1, 24));
        Arbitrary<List<Op>> ops =
                op().list().ofMinSize(1).ofMaxSize(35).withSizeDistribution(RandomDistribution.uniform());
        Arbitrary<Long> seed = Arbitraries.longs();
        Arbitrary<Integer> duplicates = ints(0, 12);
        return Combinators.combine(configChoice, spanHours, hosts, projects, machines, ops, seed, duplicates)
                .as(Scenario::new);
    }

    private static Arbitrary<Op> op() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, newCpu()),
                Tuple.of(3, fixCpu()),
                Tuple.of(4, newIntensity()),
                Tuple.of(4, newWorkspace()),
                Tuple.of(1, twinWorkspaces()),
                Tuple.of(2, endWorkspace()),
                Tuple.of(1, ints(0, Scenario.USERS.length - 1).map(u -> (Op) new NewUser(u))));
    }

    /** Uniform, not biased towards small values as jqwik's default is: times and hosts spread over their ranges. */
    private static Arbitrary<Integer> ints(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    private static Arbitrary<Double> seconds(double max) {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        9,
                        Arbitraries.doubles()
                                .between(0, max)
                                .ofScale(2)
                                .withDistribution(RandomDistribution.uniform())),
                Tuple.of(1, Arbitraries.just(0.0)));
    }

    private static Arbitrary<Op> newCpu() {
        Arbitrary<Integer> start = Arbitraries.frequencyOf(
                Tuple.of(5, ints(0, 287).map(i -> i * 300)), // on the 5-minute grid
                Tuple.of(3, ints(0, 1439).map(i -> i * 60)), // any minute
                Tuple.of(1, ints(0, 86_399))); // any second
        Arbitrary<Integer> period = Arbitraries.frequency(
                Tuple.of(4, 300), Tuple.of(3, 600), Tuple.of(2, 1800), Tuple.of(2, 3600), Tuple.of(1, 7200));
        return Combinators.combine(
                        ints(0, 3),
                        ints(0, 3),
                        ints(0, 2),
                        ints(0, 2),
                        start,
                        period,
                        seconds(20_000),
                        seconds(120_000))
                .as(
                        (Integer host,
                                Integer variant,
                                Integer project,
                                Integer machine,
                                Integer s,
                                Integer p,
                                Double busy,
                                Double idle) -> (Op) new NewCpu(host, variant, project, machine, s, p, busy, idle));
    }

    private static Arbitrary<Op> fixCpu() {
        Arbitrary<Integer> keepOrPick =
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1)), Tuple.of(1, ints(0, 2)));
        // Some corrections take a host-slot's energy to zero (a bad scrape withdrawn).
        Arbitrary<Op> toZero = Combinators.combine(ints(0, 40), keepOrPick, keepOrPick)
                .as((t, p, m) -> (Op) new FixCpu(t, p, m, 0.0, 0.0));
        Arbitrary<Op> newFigures = Combinators.combine(
                        ints(0, 40), keepOrPick, keepOrPick, seconds(20_000), seconds(120_000))
                .as((t, p, m, busy, idle) -> (Op) new FixCpu(t, p, m, busy, idle));
        return Arbitraries.frequencyOf(Tuple.of(4, newFigures), Tuple.of(1, toZero));
    }

    private static Arbitrary<Op> newIntensity() {
        // Slots from two hours before the day to one after it; most slots of the day get no reading.
        Arbitrary<Double> value =
                Arbitraries.doubles().between(0, 450).ofScale(1).withDistribution(RandomDistribution.uniform());
        // Most readings national; some of the configured region and some of another (SPEC 2.3).
        Arbitrary<Integer> series = Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 2));
        return Combinators.combine(ints(0, 51), series, value.injectNull(0.25), value.injectNull(0.5))
                .as((slot, s, forecast, actual) -> (Op) new NewIntensity(slot, s, forecast, actual));
    }

    private static Arbitrary<Op> newWorkspace() {
        Arbitrary<Integer> created = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(-60, 0, 30)), // shared times: ties on created_time
                Tuple.of(2, ints(-36, 0).map(i -> i * 5)),
                Tuple.of(4, ints(0, 288).map(i -> i * 5)),
                Tuple.of(1, ints(-180, 1440)));
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(-1)),
                Tuple.of(3, ints(0, 180).map(i -> i * 5)),
                Tuple.of(1, ints(0, 900)));
        Arbitrary<Integer> owner = Arbitraries.frequencyOf(
                Tuple.of(4, ints(0, Scenario.USERS.length - 1)), Tuple.of(1, Arbitraries.just(-1)));
        return Combinators.combine(
                        ints(0, Scenario.KEYS.length - 1), ints(0, 9), ints(0, 3), owner, created, length, ints(0, 2))
                .as((k, h, v, o, c, l, p) -> (Op) new NewWorkspace(k, h, v, o, c, l, p));
    }

    private static Arbitrary<Op> twinWorkspaces() {
        Arbitrary<Integer> key = ints(0, Scenario.KEYS.length - 1);
        Arbitrary<Integer> owner = ints(0, Scenario.USERS.length - 1);
        return Combinators.combine(
                        key,
                        key,
                        ints(0, 8),
                        ints(0, 3),
                        ints(0, 3),
                        owner,
                        owner,
                        Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.of(-60, 0)),
                                Tuple.of(1, ints(0, 288).map(i -> i * 5))))
                .as((k, k2, h, v, v2, o, o2, c) -> (Op) new TwinWorkspaces(k, k2, h, v, v2, o, o2, c));
    }

    private static Arbitrary<Op> endWorkspace() {
        Arbitrary<Integer> after =
                Arbitraries.frequencyOf(Tuple.of(3, ints(0, 180).map(i -> i * 5)), Tuple.of(1, ints(0, 900)));
        return Combinators.combine(ints(0, 10), after).as((t, a) -> (Op) new EndWorkspace(t, a));
    }
}

package ada.carbon.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.EventRules;
import ada.carbon.schemas.InstanceLabel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlatformSimulatorTest {
    static final SimulatorConfig SMALL =
            SimulatorConfig.defaults().withHosts(60).withDays(4);
    static PlatformSimulator sim;
    static List<SpecificRecord> events;
    static SimulatorCounts counts;

    @BeforeAll
    static void runOnce() {
        sim = new PlatformSimulator(SMALL);
        events = new ArrayList<>();
        counts = sim.run(events::add);
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedDoesNot() {
        Iterator<SpecificRecord> again = new PlatformSimulator(SMALL).iterator();
        for (SpecificRecord e : events) {
            assertThat(again.next()).isEqualTo(e);
        }
        assertThat(again.hasNext()).isFalse();

        Iterator<SpecificRecord> other = new PlatformSimulator(SMALL.withSeed(SMALL.seed() + 1)).iterator();
        boolean differs = false;
        for (int i = 0; i < 5000 && !differs; i++) {
            differs = !other.next().equals(events.get(i));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void eachIteratorIsAFreshRunAndCountsWhatItEmitted() {
        SimulationRun run = sim.iterator();
        assertThat(run.counts().total()).isZero();
        assertThat(run.next()).isEqualTo(events.get(0));
        assertThat(run.counts().total()).isGreaterThanOrEqualTo(1);
        assertThat(counts.total()).isEqualTo(events.size());
        assertThat(counts.cpu())
                .isEqualTo(events.stream().filter(CpuEvent.class::isInstance).count());
        assertThat(counts.intensity())
                .isEqualTo(
                        events.stream().filter(IntensityEvent.class::isInstance).count());
        assertThat(counts.workspaces())
                .isEqualTo(
                        events.stream().filter(WorkspaceEvent.class::isInstance).count());
        assertThat(counts.users())
                .isEqualTo(events.stream().filter(UserEvent.class::isInstance).count());
        assertThat(counts.regionalIntensity())
                .isEqualTo(events.stream()
                        .filter(e -> e instanceof IntensityEvent i && i.getRegion() != null)
                        .count())
                .isPositive();
    }

    @Test
    void usersComeFirst() {
        long registered = sim.users().stream().filter(SimUser::registered).count();
        assertThat(registered).isEqualTo(SMALL.hosts() / 2);
        assertThat(events.subList(0, (int) registered)).allMatch(UserEvent.class::isInstance);
        assertThat(events.get((int) registered)).isNotInstanceOf(UserEvent.class);
        Set<String> ids = new HashSet<>();
        events.subList(0, (int) registered).forEach(e -> ids.add(((UserEvent) e).getUserId()));
        assertThat(ids).hasSize((int) registered);
    }

    @Test
    void everyEventKeepsTheRules() {
        for (SpecificRecord e : events) {
            assertThat(EventKind.of(e).violation(e)).as("%s", e).isEmpty();
        }
    }

    @Test
    void everyEventSurvivesItsJsonForm() {
        for (SpecificRecord e : events.subList(0, 20_000)) {
            ParseResult back = JsonEvents.parse(JsonEvents.toJson(e));
            assertThat(back).isEqualTo(new ParseResult.Event(EventKind.of(e), e));
        }
    }

    @Test
    void cpuSecondsFitTheHostsCoresAndStepAndFollowTheClock() {
        Map<String, SimHost> hosts = new HashMap<>();
        sim.hosts().forEach(h -> hosts.put(h.instance(), h));
        long stepSeconds = SMALL.stepSeconds();
        Instant last = Instant.MIN;
        for (SpecificRecord e : events) {
            if (e instanceof CpuEvent c) {
                SimHost h = hosts.get(c.getInstance());
                assertThat(h).as(c.getInstance()).isNotNull();
                assertThat(c.getCloudProjectName()).isEqualTo(h.project());
                assertThat(c.getMachineName()).isEqualTo(h.machine());
                assertThat(c.getPeriodSeconds()).isEqualTo(stepSeconds);
                assertThat(c.getBusyCpuSeconds()).isGreaterThanOrEqualTo(0);
                assertThat(c.getIdleCpuSeconds()).isGreaterThanOrEqualTo(0);
                assertThat(c.getBusyCpuSeconds() + c.getIdleCpuSeconds())
                        .isLessThanOrEqualTo(h.cores() * stepSeconds + 1e-9)
                        .isGreaterThan(h.cores() * stepSeconds * 0.99);
                assertThat(c.getTs()).isAfterOrEqualTo(last).isBefore(SMALL.end());
                last = c.getTs();
            }
        }
        assertThat(last).isEqualTo(SMALL.end().minus(SMALL.step()));
    }

    @Test
    void someHostsMissSomeIntervals() {
        long intervals = (long) SMALL.hosts() * (Duration.ofDays(SMALL.days()).toSeconds() / SMALL.stepSeconds());
        assertThat(counts.missingCpuIntervals()).isPositive().isLessThan(intervals / 100);
        assertThat(counts.cpu() + counts.missingCpuIntervals()).isEqualTo(intervals);
    }

    @Test
    void busyTimeFollowsTheWorkingDay() {
        double day = 0;
        double night = 0;
        for (SpecificRecord e : events) {
            if (e instanceof CpuEvent c) {
                int hour = c.getTs().atZone(ZoneOffset.UTC).getHour();
                if (hour >= 10 && hour < 15) {
                    day += c.getBusyCpuSeconds();
                } else if (hour >= 1 && hour < 6) {
                    night += c.getBusyCpuSeconds();
                }
            }
        }
        assertThat(day).isGreaterThan(1.5 * night);
    }

    /** The national series' events by slot, in stream order. */
    private static Map<Instant, List<IntensityEvent>> nationalBySlot() {
        Map<Instant, List<IntensityEvent>> bySlot = new TreeMap<>();
        for (SpecificRecord e : events) {
            if (e instanceof IntensityEvent i && i.getRegion() == null) {
                bySlot.computeIfAbsent(i.getFrom(), k -> new ArrayList<>()).add(i);
            }
        }
        return bySlot;
    }

    @Test
    void forecastsComeBeforeTheActualsThatReplaceThem() {
        Instant pending = SMALL.end().minus(SimulatorConfig.ACTUALS_PENDING);
        int replaced = 0;
        int actualNull = 0;
        int actualOnly = 0;
        int inPeriod = 0;
        for (Map.Entry<Instant, List<IntensityEvent>> slot : nationalBySlot().entrySet()) {
            List<IntensityEvent> readings = slot.getValue();
            IntensityEvent first = readings.get(0);
            if (!slot.getKey().isBefore(pending)) {
                // Its actual has not arrived when the period ends, or it lies beyond: a forecast alone.
                assertThat(readings).as("%s", slot.getKey()).singleElement().satisfies(f -> {
                    assertThat(f.getForecast()).isNotNull();
                    assertThat(f.getActual()).isNull();
                });
            } else if (readings.size() == 2) {
                assertThat(first.getActual()).isNull();
                assertThat(first.getForecast()).isNotNull();
                if (readings.get(1).getActual() != null) {
                    replaced++;
                } else {
                    actualNull++;
                }
            } else {
                assertThat(readings).singleElement();
                assertThat(first.getForecast()).isNull();
                assertThat(first.getActual()).isNotNull();
                actualOnly++;
            }
            inPeriod += slot.getKey().isBefore(SMALL.end()) ? 1 : 0;
        }
        long slots = Duration.ofDays(SMALL.days()).toMinutes() / 30;
        assertThat(inPeriod).isEqualTo((int) (slots - counts.missingIntensitySlots()));
        // One slot a day gets nothing; an actual-only slot of the last day gets nothing either, its actual pending.
        assertThat(counts.missingIntensitySlots()).isBetween((long) SMALL.days(), SMALL.days() + 1L);
        assertThat(actualNull).isEqualTo(SMALL.days() - 1);
        assertThat(actualOnly).isPositive();
        assertThat(replaced).isGreaterThan((int) (slots - 48) * 9 / 10);
        assertThat(counts.intensityActuals()).isEqualTo(replaced + actualNull + actualOnly);
    }

    @Test
    void theLastDayAndTheDayAfterAreForecastBeyondTheNewestActualWithinSevenDaysOfItsEnd() {
        Map<Instant, List<IntensityEvent>> national = nationalBySlot();
        Instant newestActual = national.values().stream()
                .flatMap(List::stream)
                .filter(i -> i.getActual() != null)
                .map(IntensityEvent::getFrom)
                .max(Instant::compareTo)
                .orElseThrow();
        assertThat(newestActual)
                .isBefore(SMALL.end().minus(SimulatorConfig.ACTUALS_PENDING))
                .isAfter(SMALL.end().minus(SimulatorConfig.ACTUALS_PENDING).minus(Duration.ofHours(3)));
        List<Instant> forecastOnly =
                national.keySet().stream().filter(t -> t.isAfter(newestActual)).toList();
        // The last day's 48 half hours and the next day's, but for the one of each day that gets nothing.
        assertThat(forecastOnly).hasSizeBetween(48 * 2 - 3, 48 * 2 + 6);
        Instant last = national.keySet().stream().max(Instant::compareTo).orElseThrow();
        assertThat(last)
                .isAfterOrEqualTo(
                        SMALL.end().plus(SimulatorConfig.FORECAST_AHEAD).minus(Duration.ofHours(1)))
                .isBefore(SMALL.end().plus(SimulatorConfig.FORECAST_AHEAD));
        // A period that ends now passes SPEC 2.7's seven days ahead of the wall clock, the region's forecasts too.
        long endsNow = SMALL.end().toEpochMilli();
        for (SpecificRecord e : events) {
            if (e instanceof IntensityEvent i) {
                assertThat(EventRules.check(i, endsNow)).as("%s", i).isEmpty();
            }
        }
        // They come after the period's last cpu event, in time order.
        int lastCpu = 0;
        for (int k = 0; k < events.size(); k++) {
            lastCpu = events.get(k) instanceof CpuEvent ? k : lastCpu;
        }
        List<Instant> after = events.subList(lastCpu + 1, events.size()).stream()
                .map(e -> ((IntensityEvent) e).getFrom())
                .toList();
        assertThat(after).isSorted().first().isEqualTo(SMALL.end());
    }

    @Test
    void aRegionsForecastOfEveryHalfHourBesideTheNationalOneAndLowerAtMidday() {
        Map<Instant, IntensityEvent> regional = new TreeMap<>();
        for (SpecificRecord e : events) {
            if (e instanceof IntensityEvent i && i.getRegion() != null) {
                assertThat(i.getRegion()).isEqualTo(SimulatorConfig.REGION).isEqualTo(12);
                assertThat(i.getActual())
                        .as("regional series have forecasts only")
                        .isNull();
                assertThat(i.getForecast()).isNotNull();
                assertThat(regional.put(i.getFrom(), i))
                        .as("one forecast of %s", i.getFrom())
                        .isNull();
            }
        }
        assertThat(counts.regionalIntensity()).isEqualTo(regional.size());
        long slots = Duration.ofDays(SMALL.days()).toMinutes() / 30;
        long inPeriod =
                regional.keySet().stream().filter(t -> t.isBefore(SMALL.end())).count();
        assertThat(counts.missingRegionalSlots()).isEqualTo(SMALL.days());
        assertThat(inPeriod).isEqualTo(slots - counts.missingRegionalSlots());
        assertThat(regional.keySet()).anyMatch(t -> !t.isBefore(SMALL.end()));

        // Plausibly its own: different from the national forecast in most slots, lower around noon (solar).
        Map<Instant, List<IntensityEvent>> national = nationalBySlot();
        int compared = 0;
        int differ = 0;
        double regionalNoon = 0;
        double nationalNoon = 0;
        for (IntensityEvent r : regional.values()) {
            Double f = national.getOrDefault(r.getFrom(), List.of()).stream()
                    .map(IntensityEvent::getForecast)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (f == null) {
                continue;
            }
            compared++;
            differ += f.equals(r.getForecast()) ? 0 : 1;
            int hour = r.getFrom().atZone(ZoneOffset.UTC).getHour();
            if (hour >= 10 && hour < 14) {
                regionalNoon += r.getForecast();
                nationalNoon += f;
            }
        }
        assertThat(differ).isGreaterThan(compared * 8 / 10);
        assertThat(regionalNoon).isLessThan(nationalNoon * 0.9);
    }

    @Test
    void actualsArriveHoursAfterTheirForecasts() {
        // The stream's clock: the end of the latest cpu interval emitted.
        Instant clock = SMALL.start();
        Map<Instant, Instant> forecastSeen = new HashMap<>();
        int checked = 0;
        for (SpecificRecord e : events) {
            if (e instanceof CpuEvent c) {
                clock = c.getTs().plusSeconds(c.getPeriodSeconds());
            } else if (e instanceof IntensityEvent i && i.getRegion() == null) {
                Instant seen = forecastSeen.putIfAbsent(i.getFrom(), clock);
                if (seen != null) {
                    // Forecasts of the first hour's slots come out when the stream begins, less far ahead.
                    Duration minimum = i.getFrom().isBefore(SMALL.start().plus(Duration.ofHours(1)))
                            ? Duration.ofHours(1)
                            : Duration.ofHours(2);
                    assertThat(clock)
                            .as("every actual arrives within the period")
                            .isBefore(SMALL.end());
                    assertThat(Duration.between(seen, clock))
                            .isGreaterThanOrEqualTo(minimum)
                            .isLessThan(Duration.ofHours(7));
                    assertThat(clock).isAfterOrEqualTo(i.getTo());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan((SMALL.days() - 1) * 40);
    }

    @Test
    void intensityLooksLikeTheUkGrid() {
        Set<String> bands = new HashSet<>();
        for (SpecificRecord e : events) {
            if (e instanceof IntensityEvent i) {
                for (Double v : new Double[] {i.getForecast(), i.getActual()}) {
                    if (v != null) {
                        assertThat(v).isBetween(50.0, 300.0);
                        assertThat(v).isEqualTo(Math.rint(v));
                    }
                }
                assertThat(Duration.between(i.getFrom(), i.getTo())).isEqualTo(Duration.ofMinutes(30));
                bands.add(i.getIndex());
            }
        }
        assertThat(bands).contains("low", "moderate");
    }

    @Test
    void hostsChangeHandsWithinADay() {
        Map<String, List<WorkspaceEvent>> createdByHost = new HashMap<>();
        for (SpecificRecord e : events) {
            if (e instanceof WorkspaceEvent w && w.getDeletedTime() == null) {
                createdByHost
                        .computeIfAbsent(InstanceLabel.hostKey(w.getInstance()), k -> new ArrayList<>())
                        .add(w);
            }
        }
        int changes = 0;
        for (List<WorkspaceEvent> ws : createdByHost.values()) {
            for (int i = 1; i < ws.size(); i++) {
                WorkspaceEvent before = ws.get(i - 1);
                WorkspaceEvent after = ws.get(i);
                if (day(before.getCreatedTime()).equals(day(after.getCreatedTime()))
                        && !Objects.equals(before.getOwner(), after.getOwner())) {
                    changes++;
                }
            }
        }
        assertThat(changes).isGreaterThan(5);
    }

    @Test
    void theRegistryHasPoolWorkspacesGapsOverlapsAndStrangers() {
        Map<String, WorkspaceEvent> created = new HashMap<>();
        Set<String> registered = new HashSet<>();
        sim.users().stream().filter(SimUser::registered).forEach(u -> registered.add(u.userId()));
        int pool = 0;
        int unregisteredOwners = 0;
        int deletions = 0;
        for (SpecificRecord e : events) {
            if (e instanceof WorkspaceEvent w) {
                if (w.getDeletedTime() == null) {
                    assertThat(created.put(w.getWorkspaceKey(), w))
                            .as("keys are unique")
                            .isNull();
                    pool += w.getOwner() == null ? 1 : 0;
                    unregisteredOwners += w.getOwner() != null && !registered.contains(w.getOwner()) ? 1 : 0;
                } else {
                    WorkspaceEvent original = created.get(w.getWorkspaceKey());
                    assertThat(original).as("deleted after created").isNotNull();
                    assertThat(WorkspaceEvent.newBuilder(w).setDeletedTime(null).build())
                            .isEqualTo(original);
                    assertThat(w.getDeletedTime()).isAfter(w.getCreatedTime()).isBefore(SMALL.end());
                    deletions++;
                }
            }
        }
        assertThat(pool).isPositive();
        assertThat(unregisteredOwners).isPositive();
        assertThat(deletions).isGreaterThan(SMALL.hosts());
        assertThat(created.values()).anyMatch(w -> w.getCreatedTime().isBefore(SMALL.start()));
        assertThat(sim.hosts()).anyMatch(SimHost::spare);
        assertThat(sim.hosts()).anyMatch(h -> !h.registryInstance().equals(h.instance()));
        assertThat(sim.users()).anyMatch(u -> u.displayName() == null);
        assertThat(sim.users()).anyMatch(u -> u.groupName() == null);
        assertThat(sim.users())
                .allMatch(u -> u.groupName() == null || u.groupName().matches("RB\\d{7}"));
    }

    @Test
    void registryEventsFollowTheClock() {
        Instant last = SMALL.start();
        for (SpecificRecord e : events) {
            if (e instanceof WorkspaceEvent w) {
                Instant at = w.getDeletedTime() != null ? w.getDeletedTime() : w.getCreatedTime();
                if (!at.isBefore(SMALL.start())) {
                    assertThat(at).isAfterOrEqualTo(last);
                    last = at;
                }
            }
        }
        assertThat(last).isAfter(SMALL.start().plus(Duration.ofDays(SMALL.days() - 1)));
    }

    @Test
    void streamsWithoutHoldingTheRunInMemory() {
        // A year of 100,000 hosts could not be held in memory; the first events still come at once.
        PlatformSimulator huge = new PlatformSimulator(
                SimulatorConfig.defaults().withHosts(100_000).withDays(365));
        long t0 = System.nanoTime();
        assertThat(huge.stream()
                        .limit(300_000)
                        .filter(CpuEvent.class::isInstance)
                        .count())
                .isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void honoursAnyStepAndStart() {
        SimulatorConfig odd = SimulatorConfig.defaults()
                .withHosts(3)
                .withDays(1)
                .withStep(Duration.ofMinutes(7))
                .withStart(Instant.parse("2025-03-30T00:10:00Z"));
        List<SpecificRecord> all = new ArrayList<>();
        SimulatorCounts c = new PlatformSimulator(odd).run(all::add);
        assertThat(c.cpu() + c.missingCpuIntervals()).isEqualTo(3L * (24 * 60 / 7));
        assertThat(all).allSatisfy(e -> assertThat(EventKind.of(e).violation(e)).isEmpty());
    }

    private static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }
}

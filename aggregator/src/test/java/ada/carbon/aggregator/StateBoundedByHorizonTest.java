package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static ada.carbon.aggregator.TopologyHarness.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.bucket.BucketStage;
import ada.carbon.aggregator.host.HostStage;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.core.AccountingConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * SPEC 2.6 and issue #3: streamed for many times the horizon, the aggregator's state stops growing once
 * the horizon is behind it, and dropping what is final takes nothing from the facts already written.
 */
class StateBoundedByHorizonTest {
    private static final int DAYS = 60;
    private static final int HOSTS = 4;
    private static final Instant START = Instant.parse("2025-07-01T00:00:00Z");
    private static final List<String> STORES = List.of(
            HostStage.PIECES_STORE,
            HostStage.WORKSPACES_STORE,
            HostStage.UNSENT_CELLS_STORE,
            HostStage.CPU_LABELS_STORE,
            HostStage.CLOCK_STORE,
            BucketStage.PARTS_STORE,
            BucketStage.READINGS_STORE,
            BucketStage.CLOCKS_STORE,
            BucketStage.UNSENT_FACTS_STORE,
            BucketStage.UNSENT_SLOTS_STORE);

    @Test
    void sixtyDaysWithASevenDayHorizonKeepTheStoresFlatAfterTheHorizon() {
        List<Map<String, Long>> sizesByDay = new ArrayList<>();
        Map<FactId, Fact> firstWeek;
        try (var h = new TopologyHarness(AccountingConfig.from(Map.of("horizon.days", "7")))) {
            for (int day = 0; day < DAYS; day++) {
                h.send(dayOfEvents(day));
                h.writeChanges();
                sizesByDay.add(entries(h));
                if (day == 7) {
                    assertThat(h.facts()).isNotEmpty();
                }
            }
            firstWeek = firstWeekOf(h.facts());
            assertThat(firstWeek).hasSize(7 * 24 * (1 + 1 + 1 + HOSTS));
            for (Fact f : firstWeek.values()) {
                // dropping the pieces of final buckets retracted nothing: every fact is whole
                assertThat(f.getBusyCpuSecondsTotal() + f.getIdleCpuSecondsTotal())
                        .as("%s", f)
                        .isGreaterThan(0);
            }
        }
        Map<String, Long> atHorizon = sizesByDay.get(9);
        for (String store : List.of(
                HostStage.PIECES_STORE,
                HostStage.WORKSPACES_STORE,
                BucketStage.PARTS_STORE,
                BucketStage.READINGS_STORE)) {
            assertThat(atHorizon.get(store))
                    .as("%s grows until the horizon", store)
                    .isGreaterThan(sizesByDay.get(2).get(store));
        }
        for (int day = 10; day < DAYS; day++) {
            for (String store : STORES) {
                assertThat(sizesByDay.get(day).get(store))
                        .as("%s on day %d (day 9: %s)", store, day, atHorizon)
                        .isLessThanOrEqualTo(atHorizon.get(store));
            }
        }
    }

    /** A day of a small platform: cpu every 5 minutes, intensity each half hour, a new workspace a day. */
    private static List<Object> dayOfEvents(int day) {
        List<Object> events = new ArrayList<>();
        Instant dayStart = START.plusSeconds(day * 86_400L);
        for (int h = 0; h < HOSTS; h++) {
            events.add(workspace(
                    "ws-" + day + "-" + h,
                    "host-" + h + ":9100",
                    "user" + h,
                    dayStart.toString(),
                    dayStart.plusSeconds(86_400).toString()));
        }
        for (int slot = 0; slot < 48; slot++) {
            Instant from = dayStart.plusSeconds(slot * 1800L);
            events.add(intensity(from.toString(), 150.0 + slot, null));
            for (int step = 0; step < 6; step++) {
                String ts = from.plusSeconds(step * 300L).toString();
                for (int h = 0; h < HOSTS; h++) {
                    events.add(cpu("host-" + h + ":9100", "IDAaaS", "Muon", ts, 300, 30 + h, 270 - h));
                }
            }
        }
        return events;
    }

    private static Map<String, Long> entries(TopologyHarness h) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String name : STORES) {
            KeyValueStore<Object, Object> store = h.driver.getKeyValueStore(name);
            long n = 0;
            try (var all = store.all()) {
                while (all.hasNext()) {
                    all.next();
                    n++;
                }
            }
            sizes.put(name, n);
        }
        return sizes;
    }

    private static Map<FactId, Fact> firstWeekOf(Map<FactId, Fact> facts) {
        Map<FactId, Fact> out = new LinkedHashMap<>();
        facts.forEach((id, f) -> {
            if (id.getTs().isBefore(START.plusSeconds(7 * 86_400L))) {
                out.put(id, f);
            }
        });
        return out;
    }
}

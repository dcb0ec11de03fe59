package ada.carbon.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRulesTest {
    private static final Instant T = Instant.parse("2025-09-11T10:00:00Z");

    @Test
    void cpu() {
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, 1.0, 2.0)))
                .isEmpty();
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 0L, 1.0, 2.0)))
                .get()
                .asString()
                .contains("period_seconds");
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, -1.0, 2.0)))
                .get()
                .asString()
                .contains("busy");
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, 1.0, Double.NaN)))
                .get()
                .asString()
                .contains("idle");
        assertThat(EventRules.check(new CpuEvent("h:99999", "P", "M", T, 300L, 1.0, 2.0)))
                .get()
                .asString()
                .contains("port");
        assertThat(EventRules.check(new CpuEvent("h:9100", " ", "M", T, 300L, 1.0, 2.0)))
                .get()
                .asString()
                .contains("cloud_project_name");
    }

    @Test
    void intensity() {
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 185.0, null, "moderate", null)))
                .isEmpty();
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(3600), 185.0, null, null, null)))
                .get()
                .asString()
                .contains("30 minutes");
        assertThat(EventRules.check(
                        new IntensityEvent(T.plusSeconds(60), T.plusSeconds(1860), 185.0, null, null, null)))
                .get()
                .asString()
                .contains("start of a half hour");
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), -1.0, null, null, null)))
                .get()
                .asString()
                .contains("forecast");
    }

    @Test
    void aRegionIsOneOfTheApisRegionids() {
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 150.0, null, "moderate", 1)))
                .isEmpty();
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 150.0, null, "moderate", 17)))
                .isEmpty();
        for (int region : new int[] {0, 18, -12, Integer.MAX_VALUE}) {
            assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 150.0, null, null, region)))
                    .as("region %d", region)
                    .get()
                    .asString()
                    .contains("region")
                    .contains("from 1 to 17")
                    .endsWith("not " + region);
        }
    }

    @Test
    void workspaceAndUser() {
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", null, "P", "M", T, null)))
                .isEmpty();
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", "u", "P", "M", T, T.minusSeconds(1))))
                .get()
                .asString()
                .contains("before created_time");
        assertThat(EventRules.check(new UserEvent("u", null, null, List.of()))).isEmpty();
        assertThat(EventRules.check(new UserEvent("", null, null, List.of())))
                .get()
                .asString()
                .contains("user_id");
        assertThat(EventRules.check(new UserEvent("u", null, null, List.of(""))))
                .get()
                .asString()
                .contains("projects");
    }

    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Test
    void physicalBoundsOfACpuEvent() {
        Instant t = Instant.parse("2025-12-31T00:00:00Z");
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", t, 86_400L, 86_400.0 * 16_384, 0.0), NOW))
                .isEmpty();
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", t, 86_401L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("period_seconds")
                .contains("86400");
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", t, 300L, 1e308, 2.0), NOW))
                .get()
                .asString()
                .contains("busy_cpu_seconds");
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", t, 300L, 1.0, 300.0 * 16_384 + 1), NOW))
                .get()
                .asString()
                .contains("idle_cpu_seconds");
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", t, 300L, Double.POSITIVE_INFINITY, 1.0), NOW))
                .get()
                .asString()
                .contains("busy_cpu_seconds");
    }

    @Test
    void eventTimesFrom2000ToADayAheadOfTheWallClockSevenForForecasts() {
        Instant dayAhead = Instant.ofEpochMilli(NOW).plusSeconds(86_400);
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", dayAhead, 300L, 1.0, 2.0), NOW))
                .isEmpty();
        assertThat(EventRules.check(new CpuEvent("h", "P", "M", dayAhead.plusSeconds(1), 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("ts")
                .contains("wall clock");
        assertThat(EventRules.check(
                        new CpuEvent("h", "P", "M", Instant.parse("1999-12-31T23:59:59Z"), 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("before 2000-01-01");
        assertThat(EventRules.check(
                        new CpuEvent("h", "P", "M", Instant.parse("+999999999-12-31T00:00:00Z"), 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("ts");
        Instant weekAhead = Instant.ofEpochMilli(NOW).plusSeconds(7 * 86_400);
        assertThat(EventRules.check(
                        new IntensityEvent(weekAhead, weekAhead.plusSeconds(1800), 185.0, null, null, null), NOW))
                .isEmpty();
        Instant beyond = weekAhead.plusSeconds(1800);
        assertThat(EventRules.check(new IntensityEvent(beyond, beyond.plusSeconds(1800), 185.0, null, null, null), NOW))
                .get()
                .asString()
                .contains("from");
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", "u", "P", "M", T, dayAhead.plusSeconds(60)), NOW))
                .get()
                .asString()
                .contains("deleted_time");
        assertThat(EventRules.check(
                        new WorkspaceEvent("k", "h", "u", "P", "M", Instant.parse("1990-01-01T00:00:00Z"), null), NOW))
                .get()
                .asString()
                .contains("created_time");
    }

    @Test
    void intensityAboveTenThousandIsRefused() {
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 10_000.0, 10_000.0, null, null), NOW))
                .isEmpty();
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 10_000.5, null, null, null), NOW))
                .get()
                .asString()
                .contains("forecast");
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), null, 1e300, null, null), NOW))
                .get()
                .asString()
                .contains("actual");
    }

    @Test
    void namesAtMost255CharactersWithoutControlCharacters() {
        String longest = "x".repeat(255);
        assertThat(EventRules.check(new CpuEvent(longest, longest, longest, T, 300L, 1.0, 2.0), NOW))
                .isEmpty();
        assertThat(EventRules.check(new CpuEvent("h", "x".repeat(256), "M", T, 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("cloud_project_name")
                .contains("255");
        assertThat(EventRules.check(new CpuEvent("h", "P", "M\u001b[2J", T, 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("machine_name")
                .contains("control character");
        assertThat(EventRules.check(new CpuEvent("h\n:9100", "P", "M", T, 300L, 1.0, 2.0), NOW))
                .get()
                .asString()
                .contains("instance");
        // 255 characters outside the BMP are 510 UTF-16 units: still 255 characters.
        assertThat(EventRules.check(new UserEvent("\uD83C\uDF0D".repeat(255), null, null, List.of())))
                .isEmpty();
        assertThat(EventRules.check(new UserEvent("u", "Andrew\u0007", null, List.of())))
                .get()
                .asString()
                .contains("display_name");
        assertThat(EventRules.check(new UserEvent("u", null, "g".repeat(256), List.of())))
                .get()
                .asString()
                .contains("group_name");
        assertThat(EventRules.check(new UserEvent("u", null, null, List.of("P", "p".repeat(300)))))
                .get()
                .asString()
                .contains("projects");
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", "o\r", "P", "M", T, null), NOW))
                .get()
                .asString()
                .contains("owner");
        assertThat(EventRules.check(new WorkspaceEvent("k".repeat(256), "h", null, "P", "M", T, null), NOW))
                .get()
                .asString()
                .contains("workspace_key");
    }
}

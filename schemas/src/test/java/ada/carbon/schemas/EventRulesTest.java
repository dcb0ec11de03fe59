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
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, 1.0, 2.0))).isEmpty();
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 0L, 1.0, 2.0))).get().asString().contains("period_seconds");
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, -1.0, 2.0))).get().asString().contains("busy");
        assertThat(EventRules.check(new CpuEvent("h:9100", "P", "M", T, 300L, 1.0, Double.NaN))).get().asString().contains("idle");
        assertThat(EventRules.check(new CpuEvent("h:99999", "P", "M", T, 300L, 1.0, 2.0))).get().asString().contains("port");
        assertThat(EventRules.check(new CpuEvent("h:9100", " ", "M", T, 300L, 1.0, 2.0))).get().asString().contains("cloud_project_name");
    }

    @Test
    void intensity() {
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), 185.0, null, "moderate"))).isEmpty();
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(3600), 185.0, null, null))).get().asString()
                .contains("30 minutes");
        assertThat(EventRules.check(new IntensityEvent(T.plusSeconds(60), T.plusSeconds(1860), 185.0, null, null)))
                .get().asString().contains("start of a half hour");
        assertThat(EventRules.check(new IntensityEvent(T, T.plusSeconds(1800), -1.0, null, null))).get().asString()
                .contains("forecast");
    }

    @Test
    void workspaceAndUser() {
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", null, "P", "M", T, null))).isEmpty();
        assertThat(EventRules.check(new WorkspaceEvent("k", "h", "u", "P", "M", T, T.minusSeconds(1)))).get().asString()
                .contains("before created_time");
        assertThat(EventRules.check(new UserEvent("u", null, null, List.of()))).isEmpty();
        assertThat(EventRules.check(new UserEvent("", null, null, List.of()))).get().asString().contains("user_id");
        assertThat(EventRules.check(new UserEvent("u", null, null, List.of("")))).get().asString().contains("projects");
    }
}

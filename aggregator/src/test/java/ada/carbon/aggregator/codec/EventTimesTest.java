package ada.carbon.aggregator.codec;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The time each raw event is about, which orders the aggregator's reading of its topics. */
class EventTimesTest {
    private static final Instant T = Instant.parse("2025-09-11T10:00:00Z");

    @Property(tries = 300)
    void aCpuEventsTimeIsItsTs(@ForAll String instance, @ForAll long ts, @ForAll long period) {
        byte[] bytes = AdaSerdes.CPU_EVENT.serialize(
                Topics.RAW_CPU, new CpuEvent(instance, "IDAaaS", "Muon", Instant.ofEpochMilli(ts), period, 1.0, 2.0));
        assertThat(EventTimes.of(Topics.RAW_CPU, bytes)).isEqualTo(ts);
    }

    @Test
    void anIntensityEventsTimeIsItsFrom() {
        byte[] bytes = AdaSerdes.INTENSITY_EVENT.serialize(
                Topics.RAW_INTENSITY, new IntensityEvent(T, T.plusSeconds(1800), 185.0, null, "moderate", null));
        assertThat(EventTimes.of(Topics.RAW_INTENSITY, bytes)).isEqualTo(T.toEpochMilli());
    }

    @Test
    void aWorkspaceEventsTimeIsItsStartEvenWhenItAlsoEndsIt() {
        WorkspaceEvent open =
                new WorkspaceEvent("ws-1", "host-a:9100", "aa123456", "IDAaaS", "Muon", T.minusSeconds(86_400), null);
        WorkspaceEvent ended = WorkspaceEvent.newBuilder(open).setDeletedTime(T).build();
        assertThat(EventTimes.of(Topics.RAW_WORKSPACE, AdaSerdes.WORKSPACE_EVENT.serialize("t", open)))
                .isEqualTo(T.minusSeconds(86_400).toEpochMilli());
        assertThat(EventTimes.of(Topics.RAW_WORKSPACE, AdaSerdes.WORKSPACE_EVENT.serialize("t", ended)))
                .isEqualTo(T.minusSeconds(86_400).toEpochMilli());
    }

    @Test
    void aUserEventBrokenBytesAndOtherTopicsHaveNone() {
        byte[] user = AdaSerdes.USER_EVENT.serialize("t", new UserEvent("aa123456", "A", "G", List.of()));
        byte[] cpu = AdaSerdes.CPU_EVENT.serialize("t", new CpuEvent("h", "p", "m", T, 300L, 1.0, 2.0));
        assertThat(EventTimes.of(Topics.RAW_USER, user)).isEqualTo(EventTimes.UNKNOWN);
        assertThat(EventTimes.of(Topics.RAW_CPU, "not avro".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(EventTimes.UNKNOWN);
        assertThat(EventTimes.of(Topics.RAW_CPU, Arrays.copyOf(cpu, 14)))
                .as("cut short")
                .isEqualTo(EventTimes.UNKNOWN);
        assertThat(EventTimes.of(Topics.RAW_INTENSITY, cpu))
                .as("a cpu event on the intensity topic")
                .isEqualTo(EventTimes.UNKNOWN);
        assertThat(EventTimes.of(Topics.RAW_CPU, null)).isEqualTo(EventTimes.UNKNOWN);
        assertThat(EventTimes.of(Topics.FACTS, cpu)).isEqualTo(EventTimes.UNKNOWN);
    }
}

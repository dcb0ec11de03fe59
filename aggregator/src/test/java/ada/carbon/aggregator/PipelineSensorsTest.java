package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The aggregator's own counters, as the services' /metrics export them. */
class PipelineSensorsTest {

    @Test
    void rejectsAreCountedByReasonAndRestatementsAsTheyHappen() {
        try (var h = new TopologyHarness()) {
            h.sendRaw(Topics.RAW_CPU, "not avro".getBytes(StandardCharsets.UTF_8));
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, -1, 200),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:05Z", 0, 1, 200));
            assertThat(total(h, "rejected-malformed-total")).isEqualTo(1.0);
            assertThat(total(h, "rejected-invalid-total")).isEqualTo(2.0);

            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 30, 270));
            h.writeChanges(); // the bucket has its facts
            double before = total(h, "restatement-total");
            h.send(intensity("2025-09-11T10:00Z", 150.0, null));
            assertThat(total(h, "restatement-total"))
                    .as("the forecast restates the bucket")
                    .isEqualTo(before + 1);
        }
    }

    private static double total(TopologyHarness h, String name) {
        return h.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(PipelineSensors.GROUP)
                        && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }
}

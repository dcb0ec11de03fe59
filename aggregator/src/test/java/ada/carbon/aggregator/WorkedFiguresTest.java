package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.Fact;
import org.junit.jupiter.api.Test;

/** SPEC section 4: the worked figures of the original method, through the whole topology. */
class WorkedFiguresTest {

    @Test
    void thousandBusyAndFiveThousandIdleSecondsAt185() {
        try (var h = new TopologyHarness()) {
            h.send(intensity("2025-09-11T10:00Z", 185.0, null), intensity("2025-09-11T10:30Z", 185.0, null),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 1000, 5000));
            Fact ada = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(ada.getBusyKwh()).isCloseTo(0.003333, within(5e-7));
            assertThat(ada.getIdleKwh()).isCloseTo(0.001389, within(5e-7));
            assertThat(ada.getBusyGCo2eq()).isCloseTo(0.6167, within(5e-5));
            assertThat(ada.getIdleGCo2eq()).isCloseTo(0.2569, within(5e-5));
            assertThat(ada.getBusyGCo2eq() + ada.getIdleGCo2eq()).isCloseTo(0.8736, within(5e-5));
            assertThat(ada.getIntensityGCo2eqKwh()).isCloseTo(185.0, within(1e-9));
        }
    }

    @Test
    void aLargeIdleHourAt185() {
        try (var h = new TopologyHarness()) {
            h.send(intensity("2025-09-11T10:00Z", 185.0, null), intensity("2025-09-11T10:30Z", null, 185.0),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 8313.1, 28_564_580));
            Fact ada = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(ada.getBusyKwh()).isCloseTo(0.0277, within(5e-5));
            assertThat(ada.getIdleKwh()).isCloseTo(7.9346, within(5e-5));
            assertThat(ada.getBusyGCo2eq() + ada.getIdleGCo2eq()).isCloseTo(1473.0, within(0.05));
        }
    }

    @Test
    void eighteenThousandBusySecondsAt45() {
        try (var h = new TopologyHarness()) {
            h.send(intensity("2025-09-11T10:00Z", null, 45.0), intensity("2025-09-11T10:30Z", null, 45.0),
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 18_000, 54_000));
            Fact ada = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(ada.getBusyKwh()).isCloseTo(0.06, within(1e-12));
            assertThat(ada.getIdleKwh()).isCloseTo(0.015, within(1e-12));
            assertThat(ada.getBusyGCo2eq() + ada.getIdleGCo2eq()).isCloseTo(3.375, within(1e-9));
        }
    }

    @Test
    void oneCoreBusyForAnHourAndOneCoreIdleForADay() {
        try (var h = new TopologyHarness()) {
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 3600, 0));
            for (int hour = 0; hour < 24; hour++) {
                h.send(cpu("host-b:9100", "IDAaaS", "SANS", String.format("2025-09-12T%02d:00Z", hour), 3600, 0, 3600));
            }
            assertThat(h.fact("ada", "2025-09-11T10:00Z", null).getBusyKwh()).isCloseTo(0.012, within(1e-12));
            double idleDay = h.facts().values().stream()
                    .filter(f -> f.getScope().equals("machine") && "SANS".equals(f.getEntity()))
                    .mapToDouble(Fact::getIdleKwh).sum();
            assertThat(idleDay).isCloseTo(0.024, within(1e-12));
        }
    }
}

package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static ada.carbon.aggregator.TopologyHarness.regional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.avro.Fact;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.core.AccountingConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC section 4: the worked figures of the original method, through the whole topology. */
class WorkedFiguresTest {

    @Test
    void thousandBusyAndFiveThousandIdleSecondsAt185() {
        try (var h = new TopologyHarness()) {
            h.send(
                    intensity("2025-09-11T10:00Z", 185.0, null),
                    intensity("2025-09-11T10:30Z", 185.0, null),
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
            h.send(
                    intensity("2025-09-11T10:00Z", 185.0, null),
                    intensity("2025-09-11T10:30Z", null, 185.0),
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
            h.send(
                    intensity("2025-09-11T10:00Z", null, 45.0),
                    intensity("2025-09-11T10:30Z", null, 45.0),
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
                    .mapToDouble(Fact::getIdleKwh)
                    .sum();
            assertThat(idleDay).isCloseTo(0.024, within(1e-12));
        }
    }

    @Test
    void aFourCpuHostReportingFiveMinutesCarriesItsShareOfTheServersEmbodiedCarbon() {
        try (var h = new TopologyHarness()) {
            h.send(cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 200, 1000));
            Fact ada = h.fact("ada", "2025-09-11T10:00Z", null);
            assertThat(ada.getEmbodiedGCo2eq()).isCloseTo(0.1982, within(5e-5));
            // SPEC 2.9: its own figure, never in the operational carbon
            assertThat(ada.getBusyGCo2eq() + ada.getIdleGCo2eq())
                    .isCloseTo((200 * 12 + 1000 * 1.0) / 3_600_000 * 200, within(1e-12));
            // SPEC 2.10: 300 s of one host in the hour, all of it under the fallback
            assertThat(ada.getHostSeconds()).isEqualTo(300.0);
            assertThat(ada.getHosts()).isEqualTo(1L);
            assertThat(ada.getKwhFallback()).isCloseTo(ada.getBusyKwh() + ada.getIdleKwh(), within(1e-15));
        }
    }

    @Test
    void aMachineTypeWithItsOwnServerAndTheSitesRegionalGrid() {
        AccountingConfig config = AccountingConfig.from(Map.of(
                AccountingConfig.REGION,
                "12",
                AccountingConfig.EMBODIED_KG + ".Muon",
                "2400",
                AccountingConfig.EMBODIED_CORES + ".Muon",
                "16",
                AccountingConfig.LIFETIME,
                "5"));
        try (var h = new TopologyHarness(config)) {
            // One core for the hour: 3,600 CPU-seconds at 3.4247 g per core-hour.
            h.send(
                    cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 3600, 3600, 0),
                    intensity("2025-09-11T10:00Z", 185.0, 190.0),
                    intensity("2025-09-11T10:30Z", 185.0, null),
                    regional(12, "2025-09-11T10:00Z", 120.0),
                    regional(13, "2025-09-11T10:30Z", 50.0));
            Fact muon = h.fact("machine", "2025-09-11T10:00Z", "Muon");
            assertThat(muon.getEmbodiedGCo2eq()).isCloseTo(3.4247, within(5e-5));
            // The first half hour from the site's region, the second (no reading of region 12) national.
            assertThat(muon.getBusyGCo2eq()).isCloseTo(0.006 * 120 + 0.006 * 185, within(1e-12));
            assertThat(muon.getKwhRegional()).isCloseTo(0.006, within(1e-15));
            assertThat(muon.getKwhForecast()).isCloseTo(0.006, within(1e-15));
            assertThat(muon.getKwhActual()).isZero();
            SlotIntensity first = h.slot("2025-09-11T10:00Z");
            assertThat(first.getSource()).isEqualTo("regional");
            assertThat(first.getRegion()).isEqualTo(12);
            assertThat(first.getRegionalForecast()).isEqualTo(120.0);
            assertThat(first.getActual()).isEqualTo(190.0);
            SlotIntensity second = h.slot("2025-09-11T10:30Z");
            assertThat(second.getSource()).isEqualTo("forecast");
            assertThat(second.getRegionalForecast()).isNull();
        }
    }
}

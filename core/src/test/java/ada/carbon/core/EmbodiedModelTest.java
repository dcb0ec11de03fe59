package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 2.9 and the worked figures of SPEC 4. */
class EmbodiedModelTest {

    @Test
    void theDefaultsAreCloudCarbonFootprintsBaseServerOverFourYears() {
        EmbodiedModel m = EmbodiedModel.defaults();
        // 1,000 kgCO2eq / 35,040 h / 48 cores
        assertThat(m.gramsPerCoreHour("any")).isCloseTo(0.5946, within(5e-5));
        // A 4-vCPU host reporting 300 s: 1,200 CPU-seconds, busy and idle together.
        assertThat(1_200 * m.gramsPerCoreSecond("any")).isCloseTo(0.1982, within(5e-5));
    }

    @Test
    void aMachineTypeMayHaveItsOwnServer() {
        EmbodiedModel m = new EmbodiedModel(1_000, 48, 5, Map.of("Muon", 2_400.0), Map.of("Muon", 16.0));
        // 2,400 kg, 16 cores, 5 years
        assertThat(m.gramsPerCoreHour("Muon")).isCloseTo(3.4247, within(5e-5));
        assertThat(m.gramsPerCoreHour("SANS")).isCloseTo(1_000_000.0 / (5 * 8_760) / 48, within(1e-12));
    }

    @Test
    void zeroKilogramsTurnItOff() {
        assertThat(new EmbodiedModel(0, 48, 4, Map.of(), Map.of()).gramsPerCoreHour("any"))
                .isZero();
    }
}

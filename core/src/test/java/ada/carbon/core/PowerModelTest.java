package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC 2.1 and the SPEC 4 worked figures. */
class PowerModelTest {
    private static final PowerModel DEFAULTS = PowerModel.defaults();

    @Test
    void defaultsAreTwelveAndOneWattsPerCoreAndPueOne() {
        assertThat(DEFAULTS.busyWatts()).isEqualTo(12.0);
        assertThat(DEFAULTS.idleWatts()).isEqualTo(1.0);
        assertThat(DEFAULTS.pue()).isEqualTo(1.0);
        assertThat(DEFAULTS.busyWattsByMachine()).isEmpty();
        assertThat(DEFAULTS.idleWattsByMachine()).isEmpty();
    }

    @Test
    void formulaOfSpec21() {
        Energy e = DEFAULTS.energy("Muon", 123.4, 3456.7);
        assertThat(e.busyKwh()).isCloseTo(123.4 * 12 * 1.0 / 3_600_000, within(1e-18));
        assertThat(e.idleKwh()).isCloseTo(3456.7 * 1 * 1.0 / 3_600_000, within(1e-18));
    }

    @Test
    void workedFigureOneCoreBusyForAnHourAndIdleForADay() {
        assertThat(DEFAULTS.energy("Muon", 3600, 0).busyKwh()).isCloseTo(0.012, within(1e-15));
        assertThat(DEFAULTS.energy("Muon", 0, 24 * 3600).idleKwh()).isCloseTo(0.024, within(1e-15));
    }

    @Test
    void workedFigureThousandBusyFiveThousandIdleAt185() {
        Energy e = DEFAULTS.energy("Muon", 1000, 5000);
        assertThat(e.busyKwh()).isCloseTo(0.003333, within(5e-7));
        assertThat(e.idleKwh()).isCloseTo(0.001389, within(5e-7));
        assertThat(e.busyKwh() * 185).isCloseTo(0.6167, within(5e-5));
        assertThat(e.idleKwh() * 185).isCloseTo(0.2569, within(5e-5));
        assertThat((e.busyKwh() + e.idleKwh()) * 185).isCloseTo(0.8736, within(5e-5));
    }

    @Test
    void workedFigureOfOneBigHourAt185() {
        Energy e = DEFAULTS.energy("Muon", 8313.1, 28_564_580);
        assertThat(e.busyKwh()).isCloseTo(0.0277, within(5e-5));
        assertThat(e.idleKwh()).isCloseTo(7.9346, within(5e-5));
        assertThat((e.busyKwh() + e.idleKwh()) * 185).isCloseTo(1473.0, within(0.05));
    }

    @Test
    void workedFigureAt45() {
        Energy e = DEFAULTS.energy("SANS", 18_000, 54_000);
        assertThat(e.busyKwh()).isCloseTo(0.06, within(1e-15));
        assertThat(e.idleKwh()).isCloseTo(0.015, within(1e-15));
        assertThat((e.busyKwh() + e.idleKwh()) * 45).isCloseTo(3.375, within(1e-12));
    }

    @Test
    void perMachineOverridesApplyOnlyToThatMachine() {
        PowerModel m = new PowerModel(12, 1, 1, Map.of("Muon", 20.0), Map.of("SANS", 3.0));
        assertThat(m.energy("Muon", 3600, 3600).busyKwh()).isCloseTo(0.020, within(1e-15));
        assertThat(m.energy("Muon", 3600, 3600).idleKwh()).isCloseTo(0.001, within(1e-15));
        assertThat(m.energy("SANS", 3600, 3600).busyKwh()).isCloseTo(0.012, within(1e-15));
        assertThat(m.energy("SANS", 3600, 3600).idleKwh()).isCloseTo(0.003, within(1e-15));
        assertThat(m.energy("Other", 3600, 3600)).isEqualTo(DEFAULTS.energy("Other", 3600, 3600));
        // Machine names are matched exactly, as the events name them.
        assertThat(m.energy("muon", 3600, 0).busyKwh()).isCloseTo(0.012, within(1e-15));
    }

    @Test
    void pueMultipliesBusyAndIdleAlike() {
        PowerModel m = new PowerModel(12, 1, 1.5, Map.of("Muon", 20.0), Map.of());
        assertThat(m.energy("SANS", 3600, 3600).busyKwh()).isCloseTo(0.018, within(1e-15));
        assertThat(m.energy("SANS", 3600, 3600).idleKwh()).isCloseTo(0.0015, within(1e-15));
        assertThat(m.energy("Muon", 3600, 0).busyKwh()).isCloseTo(0.030, within(1e-15));
    }

    @Test
    void zeroSecondsAreZeroEnergy() {
        assertThat(DEFAULTS.energy("Muon", 0, 0)).isEqualTo(new Energy(0, 0));
    }

    @Test
    void theOverrideMapsAreCopied() {
        Map<String, Double> busy = new HashMap<>(Map.of("Muon", 20.0));
        PowerModel m = new PowerModel(12, 1, 1, busy, Map.of());
        busy.put("Muon", 99.0);
        busy.put("SANS", 99.0);
        assertThat(m.busyWattsByMachine()).containsExactly(Map.entry("Muon", 20.0));
    }
}

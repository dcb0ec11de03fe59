package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SPEC 2.3: actual if not null, else forecast if not null, else the fallback; the source is recorded. */
class ChosenIntensityTest {
    private static final long SLOT = 1_757_584_800_000L;

    @Test
    void actualWinsOverForecast() {
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, 185.0, 190.0, "moderate"), 200))
                .isEqualTo(new ChosenIntensity(190.0, IntensitySource.ACTUAL));
    }

    @Test
    void actualAloneIsUsed() {
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, null, 42.0, null), 200))
                .isEqualTo(new ChosenIntensity(42.0, IntensitySource.ACTUAL));
    }

    @Test
    void forecastWhenThereIsNoActual() {
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, 185.0, null, "moderate"), 200))
                .isEqualTo(new ChosenIntensity(185.0, IntensitySource.FORECAST));
    }

    @Test
    void fallbackWhenBothAreNullOrThereIsNoReading() {
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, null, null, "moderate"), 200))
                .isEqualTo(new ChosenIntensity(200.0, IntensitySource.FALLBACK));
        assertThat(ChosenIntensity.choose(null, 250)).isEqualTo(new ChosenIntensity(250.0, IntensitySource.FALLBACK));
    }

    @Test
    void zeroIsAReadingNotAMissingOne() {
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, 100.0, 0.0, null), 200))
                .isEqualTo(new ChosenIntensity(0.0, IntensitySource.ACTUAL));
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, 0.0, null, null), 200))
                .isEqualTo(new ChosenIntensity(0.0, IntensitySource.FORECAST));
    }

    @Test
    void sourceLabelsAreTheFactIntensityValues() {
        assertThat(IntensitySource.ACTUAL.label()).isEqualTo("actual");
        assertThat(IntensitySource.FORECAST.label()).isEqualTo("forecast");
        assertThat(IntensitySource.REGIONAL.label()).isEqualTo("regional");
        assertThat(IntensitySource.FALLBACK.label()).isEqualTo("fallback");
        assertThat(IntensitySource.values()).hasSize(4);
    }

    @Test
    void withARegionTheSitesOwnGridComesFirstThenTheNationalRule() {
        SlotReading national = new SlotReading(SLOT, 185.0, 190.0, "moderate");
        assertThat(ChosenIntensity.choose(national, new SlotReading(SLOT, 120.0, null, "low"), 200))
                .as("the regional forecast beats even a national actual")
                .isEqualTo(new ChosenIntensity(120.0, IntensitySource.REGIONAL));
        assertThat(ChosenIntensity.choose(national, new SlotReading(SLOT, null, null, null), 200))
                .as("a regional reading without a forecast")
                .isEqualTo(new ChosenIntensity(190.0, IntensitySource.ACTUAL));
        assertThat(ChosenIntensity.choose(new SlotReading(SLOT, 185.0, null, null), null, 200))
                .isEqualTo(new ChosenIntensity(185.0, IntensitySource.FORECAST));
        assertThat(ChosenIntensity.choose(null, null, 200))
                .isEqualTo(new ChosenIntensity(200.0, IntensitySource.FALLBACK));
        assertThat(ChosenIntensity.choose(null, new SlotReading(SLOT, 0.0, null, null), 200))
                .isEqualTo(new ChosenIntensity(0.0, IntensitySource.REGIONAL));
    }
}

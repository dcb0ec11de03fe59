package ada.carbon.ingest.source.intensity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntensitySeriesTest {

    @Test
    void neitherOptionOrAnEmptyOneIsTheNationalSeries() {
        assertThat(IntensitySeries.of(null, null)).isEqualTo(IntensitySeries.NATIONAL);
        assertThat(IntensitySeries.of("", " ")).isEqualTo(IntensitySeries.NATIONAL);
        assertThat(IntensitySeries.NATIONAL.national()).isTrue();
        assertThat(IntensitySeries.NATIONAL.sourceName()).isEqualTo("intensity");
        assertThat(IntensitySeries.NATIONAL.path("2025-09-01T00:00Z", "2025-09-02T00:00Z"))
                .isEqualTo("/intensity/2025-09-01T00:00Z/2025-09-02T00:00Z");
    }

    @Test
    void aRegionOrAPostcodeNamesItsRoute() {
        IntensitySeries region = IntensitySeries.of(" 12 ", null);
        assertThat(region.regionId()).isEqualTo(12);
        assertThat(region.sourceName()).isEqualTo("intensity-region-12");
        assertThat(region.path("A", "B")).isEqualTo("/regional/intensity/A/B/regionid/12");
        IntensitySeries postcode = IntensitySeries.of(null, "ox11");
        assertThat(postcode.postcode()).isEqualTo("OX11");
        assertThat(postcode.path("A", "B")).isEqualTo("/regional/intensity/A/B/postcode/OX11");
        assertThat(IntensitySeries.of("", "SW1A").postcode()).isEqualTo("SW1A");
        assertThat(IntensitySeries.of("", "E1").postcode()).isEqualTo("E1");
    }

    @Test
    void aRegionOutsideTheApisOrAWholePostcodeIsRefusedSayingWhatIsExpected() {
        for (String bad : new String[] {"0", "18", "-1", "twelve", "12.0"}) {
            assertThatThrownBy(() -> IntensitySeries.of(bad, null))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--region must be a regionid from 1 to 17 (12 is South England; empty for the national"
                            + " series), not '" + bad + "'");
        }
        for (String bad : new String[] {"OX11 0QX", "OX", "11", "OX11/../x"}) {
            assertThatThrownBy(() -> IntensitySeries.of(null, bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--postcode must be the outward part of a UK postcode, e.g. OX11");
        }
        assertThatThrownBy(() -> IntensitySeries.of("12", "OX11")).hasMessageContaining("do not go together");
    }
}

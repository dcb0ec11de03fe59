package ada.carbon.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1: ISO-8601 UTC times, with or without seconds; SPEC 2.5: facts' ts as YYYY-MM-DDTHH:MM:SSZ. */
class TimesTest {
    private static final Instant TEN = Instant.parse("2025-09-11T10:00:00Z");

    @Test
    void bothSpecFormsParseToTheSameInstant() {
        assertThat(Times.parse("2025-09-11T10:00:00Z")).isEqualTo(TEN);
        assertThat(Times.parse("2025-09-11T10:00Z")).isEqualTo(TEN);
    }

    @Test
    void explicitOffsetsAreConvertedToUtc() {
        assertThat(Times.parse("2025-09-11T11:00:00+01:00")).isEqualTo(TEN);
        assertThat(Times.parse("2025-09-11T05:30-04:30")).isEqualTo(TEN);
        assertThat(Times.parse("2025-09-11T10:00:00+00:00")).isEqualTo(TEN);
    }

    @Test
    void fractionsOfSecondsAndSurroundingSpaceAreKept() {
        assertThat(Times.parse("2025-09-11T10:00:00.250Z")).isEqualTo(TEN.plusMillis(250));
        assertThat(Times.parse("  2025-09-11T10:00Z \n")).isEqualTo(TEN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yesterday",
                "2025-09-11",
                "2025-09-11T10:00:00",
                "2025-09-11 10:00:00Z",
                "2025-13-11T10:00:00Z",
                "2025-09-11T25:00Z",
                "1757584800",
                "",
                "   "
            })
    void garbageIsRefusedWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> Times.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unparseable time")
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void aMissingTimeIsRefused() {
        assertThatThrownBy(() -> Times.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void formatWritesTheFactForm() {
        assertThat(Times.format(TEN.toEpochMilli())).isEqualTo("2025-09-11T10:00:00Z");
        assertThat(Times.format(TEN)).isEqualTo("2025-09-11T10:00:00Z");
        assertThat(Times.format(Instant.parse("2025-09-11T10:30:45.999Z"))).isEqualTo("2025-09-11T10:30:45Z");
        assertThat(Times.format(0L)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(Times.format(-1_800_000L)).isEqualTo("1969-12-31T23:30:00Z");
    }

    @Test
    void formatThenParseIsTheIdentityOnWholeSeconds() {
        for (long t = -86_400_000L; t < 3 * 86_400_000L; t += 7_777_000L) {
            assertThat(Times.parse(Times.format(t)).toEpochMilli()).isEqualTo(t);
        }
    }
}

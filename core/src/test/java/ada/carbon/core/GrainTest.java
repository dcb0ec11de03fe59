package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 2.5: facts per bucket of one hour (default) or 30 minutes. */
class GrainTest {
    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void hourBuckets() {
        assertThat(Grain.HOUR.seconds()).isEqualTo(3600);
        assertThat(Grain.HOUR.millis()).isEqualTo(3_600_000L);
        assertThat(Grain.HOUR.slotsPerBucket()).isEqualTo(2);
        assertThat(Grain.HOUR.bucketStart(t("2025-09-11T10:00:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Grain.HOUR.bucketStart(t("2025-09-11T10:45:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Grain.HOUR.bucketStart(t("2025-09-11T10:59:59.999Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Grain.HOUR.bucketStart(-1)).isEqualTo(-3_600_000L);
    }

    @Test
    void halfHourBuckets() {
        assertThat(Grain.HALF_HOUR.millis()).isEqualTo(1_800_000L);
        assertThat(Grain.HALF_HOUR.slotsPerBucket()).isEqualTo(1);
        assertThat(Grain.HALF_HOUR.bucketStart(t("2025-09-11T10:45:00Z"))).isEqualTo(t("2025-09-11T10:30:00Z"));
        assertThat(Grain.HALF_HOUR.bucketStart(t("2025-09-11T10:15:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Grain.HALF_HOUR.bucketStart(-1)).isEqualTo(-1_800_000L);
    }

    @Test
    void theConstantsAreTheOnlyGrains() {
        assertThat(new Grain(3600)).isEqualTo(Grain.HOUR);
        assertThat(new Grain(1800)).isEqualTo(Grain.HALF_HOUR);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -3600, 900, 2700, 7200, 86400, 3599})
    void otherSizesAreRefused(long seconds) {
        assertThatThrownBy(() -> new Grain(seconds))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(seconds));
    }
}

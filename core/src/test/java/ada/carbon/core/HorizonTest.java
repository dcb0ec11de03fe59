package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** SPEC 2.6: what is late, and which buckets are final. */
class HorizonTest {
    private static final long DAY = 24 * 3600_000L;
    private static final Horizon WEEK_HOURLY = new Horizon(Duration.ofDays(7), Grain.HOUR);
    private static final Horizon WEEK_HALF_HOURLY = new Horizon(Duration.ofDays(7), Grain.HALF_HOUR);

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void exactlyTheHorizonBehindIsNotLateAndAMillisecondMoreIs() {
        long newest = t("2025-09-18T10:20:00Z");
        assertThat(WEEK_HOURLY.isLate(newest - 7 * DAY, newest)).isFalse();
        assertThat(WEEK_HOURLY.isLate(newest - 7 * DAY - 1, newest)).isTrue();
        assertThat(WEEK_HOURLY.isLate(t("2025-09-11T10:19:59Z"), newest)).isTrue();
        assertThat(WEEK_HOURLY.isLate(t("2025-09-11T10:20:00Z"), newest)).isFalse();
    }

    @Test
    void theNewestAndAnythingLaterAreNotLate() {
        long newest = t("2025-09-18T10:20:00Z");
        assertThat(WEEK_HOURLY.isLate(newest, newest)).isFalse();
        assertThat(WEEK_HOURLY.isLate(newest + 365 * DAY, newest)).isFalse();
        assertThat(WEEK_HOURLY.isLate(newest - 3 * DAY, newest)).isFalse();
    }

    @Test
    void theLengthIsTheConfiguredOne() {
        Horizon oneDay = new Horizon(Duration.ofDays(1), Grain.HOUR);
        long newest = t("2025-09-18T10:20:00Z");
        assertThat(oneDay.isLate(newest - DAY, newest)).isFalse();
        assertThat(oneDay.isLate(newest - DAY - 1, newest)).isTrue();
        assertThat(WEEK_HOURLY.isLate(newest - DAY - 1, newest)).isFalse();
    }

    @Test
    void theFirstOpenBucketAtHourlyGrain() {
        assertThat(WEEK_HOURLY.firstOpenBucket(t("2025-09-18T10:20:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(WEEK_HOURLY.firstOpenBucket(t("2025-09-18T10:40:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(WEEK_HOURLY.firstOpenBucket(t("2025-09-18T10:00:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(WEEK_HOURLY.firstOpenBucket(t("2025-09-18T09:59:59.999Z"))).isEqualTo(t("2025-09-11T09:00:00Z"));
    }

    @Test
    void theFirstOpenBucketAtHalfHourGrain() {
        assertThat(WEEK_HALF_HOURLY.firstOpenBucket(t("2025-09-18T10:20:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(WEEK_HALF_HOURLY.firstOpenBucket(t("2025-09-18T10:40:00Z"))).isEqualTo(t("2025-09-11T10:30:00Z"));
        assertThat(WEEK_HALF_HOURLY.firstOpenBucket(t("2025-09-18T10:30:00Z"))).isEqualTo(t("2025-09-11T10:30:00Z"));
        assertThat(WEEK_HALF_HOURLY.firstOpenBucket(t("2025-09-18T10:29:59.999Z")))
                .isEqualTo(t("2025-09-11T10:00:00Z"));
    }

    @Test
    void theConfigurationMakesItsHorizon() {
        Horizon h = AccountingConfig.from(Map.of("horizon.days", "2", "grain.seconds", "1800"))
                .restatementHorizon();
        assertThat(h).isEqualTo(new Horizon(Duration.ofDays(2), Grain.HALF_HOUR));
        assertThat(AccountingConfig.defaults().restatementHorizon()).isEqualTo(WEEK_HOURLY);
    }

    /** Every event that is not late falls in an open bucket, and the first open bucket holds the cut-off. */
    @Property(tries = 500)
    void noEventThatIsNotLateFallsInAFinalBucket(
            @ForAll @LongRange(min = -100_000_000_000L, max = 4_000_000_000_000L) long newest,
            @ForAll @LongRange(min = 0, max = 10 * 24 * 3600_000L) long behind,
            @ForAll @IntRange(min = 1, max = 30) int days,
            @ForAll boolean hourly) {
        Grain grain = hourly ? Grain.HOUR : Grain.HALF_HOUR;
        Horizon horizon = new Horizon(Duration.ofDays(days), grain);
        long event = newest - behind;
        long open = horizon.firstOpenBucket(newest);
        long cutoff = newest - days * DAY;
        assertThat(open).isEqualTo(grain.bucketStart(open));
        assertThat(open).isLessThanOrEqualTo(cutoff);
        assertThat(open + grain.millis()).isGreaterThan(cutoff);
        assertThat(horizon.isLate(event, newest)).isEqualTo(behind > days * DAY);
        if (!horizon.isLate(event, newest)) {
            assertThat(grain.bucketStart(Slots.slotStart(event))).isGreaterThanOrEqualTo(open);
        }
    }
}

package ada.carbon.schemas;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of SPEC section 1 that a readable event can still break, and the physical bounds of SPEC 2.7.
 * Each check returns the reason the event is refused, or empty when it may be applied. Ingest checks
 * before publishing and the aggregator checks again (other producers write to the raw topics): both call
 * these, so the two never disagree. The horizon is checked elsewhere: it depends on what else has been seen.
 *
 * <p>The bounds keep every sum finite and every loop short: a period of at most a day is at most 49
 * slot pieces, and seconds within {@link #MAX_CPUS} CPUs of it keep kWh many orders of magnitude from
 * overflowing. A time is judged against the wall clock when the event is read ({@code nowMillis}), so an
 * event from the future is refused before it can move the horizon's clock.
 */
public final class EventRules {
    /** SPEC 2.7: no cpu interval is longer than a day. */
    public static final long MAX_PERIOD_SECONDS = 86_400;
    /** SPEC 2.7: more logical CPUs than any one host has. */
    public static final long MAX_CPUS = 16_384;
    /** SPEC 2.7: gCO2eq/kWh; the dirtiest grid is about a tenth of it. */
    public static final double MAX_INTENSITY = 10_000;
    /** SPEC 2.7: the earliest event time accepted. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** SPEC 2.7: how far ahead of the wall clock an event time may be; intensity forecasts look further. */
    public static final Duration AHEAD = Duration.ofDays(1);

    public static final Duration FORECAST_AHEAD = Duration.ofDays(7);
    /** SPEC 2.7: the longest name, in characters (code points). */
    public static final int MAX_NAME = 255;
    /** SPEC 1.2: the API's regionids, 1 (North Scotland) to 17 (Wales). */
    public static final int MIN_REGION = 1;

    public static final int MAX_REGION = 17;

    private static final long HALF_HOUR = Duration.ofMinutes(30).toMillis();

    private EventRules() {}

    public static Optional<String> check(CpuEvent e) {
        return check(e, System.currentTimeMillis());
    }

    public static Optional<String> check(CpuEvent e, long nowMillis) {
        long period = e.getPeriodSeconds();
        if (period <= 0 || period > MAX_PERIOD_SECONDS) {
            return Optional.of(
                    "period_seconds must be > 0 and at most " + MAX_PERIOD_SECONDS + " (one day), not " + period);
        }
        double maxSeconds = (double) period * MAX_CPUS;
        return firstOf(
                cpuSeconds("busy_cpu_seconds", e.getBusyCpuSeconds(), maxSeconds),
                cpuSeconds("idle_cpu_seconds", e.getIdleCpuSeconds(), maxSeconds),
                time("ts", e.getTs(), nowMillis, AHEAD),
                instance(e.getInstance()),
                name("cloud_project_name", e.getCloudProjectName()),
                name("machine_name", e.getMachineName()));
    }

    public static Optional<String> check(IntensityEvent e) {
        return check(e, System.currentTimeMillis());
    }

    public static Optional<String> check(IntensityEvent e, long nowMillis) {
        Optional<String> from = time("from", e.getFrom(), nowMillis, FORECAST_AHEAD);
        if (from.isPresent()) {
            return from;
        }
        long fromMillis = e.getFrom().toEpochMilli();
        if (Math.floorMod(fromMillis, HALF_HOUR) != 0) {
            return Optional.of("from must be the start of a half hour (:00 or :30), not " + e.getFrom());
        }
        if (!e.getTo().equals(e.getFrom().plusMillis(HALF_HOUR))) {
            return Optional.of("to must be 30 minutes after from, not " + e.getTo());
        }
        return firstOf(
                intensity("forecast", e.getForecast()), intensity("actual", e.getActual()), region(e.getRegion()));
    }

    public static Optional<String> check(WorkspaceEvent e) {
        return check(e, System.currentTimeMillis());
    }

    public static Optional<String> check(WorkspaceEvent e, long nowMillis) {
        Optional<String> times = firstOf(
                time("created_time", e.getCreatedTime(), nowMillis, AHEAD),
                e.getDeletedTime() == null
                        ? Optional.empty()
                        : time("deleted_time", e.getDeletedTime(), nowMillis, AHEAD));
        if (times.isPresent()) {
            return times;
        }
        if (e.getDeletedTime() != null && e.getDeletedTime().isBefore(e.getCreatedTime())) {
            return Optional.of("deleted_time " + e.getDeletedTime() + " is before created_time " + e.getCreatedTime());
        }
        return firstOf(
                name("workspace_key", e.getWorkspaceKey()),
                instance(e.getInstance()),
                optionalName("owner", e.getOwner()),
                name("cloud_project_name", e.getCloudProjectName()),
                name("machine_name", e.getMachineName()));
    }

    public static Optional<String> check(UserEvent e) {
        Optional<String> broken = firstOf(
                name("user_id", e.getUserId()),
                optionalName("display_name", e.getDisplayName()),
                optionalName("group_name", e.getGroupName()));
        if (broken.isPresent()) {
            return broken;
        }
        for (String p : e.getProjects()) {
            Optional<String> project = name("a project of projects", p);
            if (project.isPresent()) {
                return project;
            }
        }
        return Optional.empty();
    }

    /**
     * A name as SPEC 2.7 bounds it: not empty, at most {@link #MAX_NAME} characters, no control character.
     * Also for names that are not events' (the sink's output records).
     */
    public static Optional<String> name(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(field + " must not be empty");
        }
        return optionalName(field, value);
    }

    /** As {@link #name}, for a field that may be null. */
    public static Optional<String> optionalName(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > MAX_NAME && value.codePointCount(0, value.length()) > MAX_NAME) {
            return Optional.of(field + " is longer than " + MAX_NAME + " characters ("
                    + value.codePointCount(0, value.length()) + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return Optional.of(field + " holds a control character (U+"
                        + String.format("%04X", (int) value.charAt(i)) + ") at " + i);
            }
        }
        return Optional.empty();
    }

    /** SPEC 2.7: an event time from {@link #EARLIEST} to {@code ahead} after the wall clock. */
    public static Optional<String> time(String field, Instant t, long nowMillis, Duration ahead) {
        if (t == null) {
            return Optional.of(field + " is missing");
        }
        if (t.isBefore(EARLIEST)) {
            return Optional.of(field + " " + t + " is before " + EARLIEST);
        }
        Instant latest = Instant.ofEpochMilli(nowMillis).plus(ahead);
        if (t.isAfter(latest)) {
            return Optional.of(field + " " + t + " is more than " + ahead.toDays() + " day(s) after the wall clock ("
                    + Instant.ofEpochMilli(nowMillis) + ")");
        }
        return Optional.empty();
    }

    @SafeVarargs
    private static Optional<String> firstOf(Optional<String>... checks) {
        for (Optional<String> c : checks) {
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> instance(String value) {
        Optional<String> named = name("instance", value);
        if (named.isPresent()) {
            return named;
        }
        try {
            InstanceLabel.parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> cpuSeconds(String field, double value, double max) {
        if (!(value >= 0) || value > max) {
            return Optional.of(field + " must be a number from 0 to period_seconds x " + MAX_CPUS + " (" + max
                    + "), not " + value);
        }
        return Optional.empty();
    }

    private static Optional<String> region(Integer value) {
        if (value != null && (value < MIN_REGION || value > MAX_REGION)) {
            return Optional.of("region must be a regionid from " + MIN_REGION + " to " + MAX_REGION
                    + " (or null for the national series), not " + value);
        }
        return Optional.empty();
    }

    private static Optional<String> intensity(String field, Double value) {
        if (value != null && !(value >= 0 && value <= MAX_INTENSITY)) {
            return Optional.of(
                    field + " must be a number from 0 to " + (long) MAX_INTENSITY + " gCO2eq/kWh, not " + value);
        }
        return Optional.empty();
    }
}

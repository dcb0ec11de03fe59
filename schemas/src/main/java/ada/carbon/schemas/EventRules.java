package ada.carbon.schemas;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.InstanceLabel;
import ada.carbon.core.Slots;
import java.time.Duration;
import java.util.Optional;

/**
 * The rules of SPEC section 1 that a readable event can still break (SPEC 2.7). Each check returns the
 * reason the event is refused, or empty when it may be applied. The horizon is checked elsewhere: it
 * depends on what else has been seen.
 */
public final class EventRules {
    private static final long HALF_HOUR = Duration.ofMinutes(30).toMillis();

    private EventRules() {}

    public static Optional<String> check(CpuEvent e) {
        if (e.getPeriodSeconds() <= 0) {
            return Optional.of("period_seconds must be > 0, not " + e.getPeriodSeconds());
        }
        if (!(e.getBusyCpuSeconds() >= 0) || Double.isInfinite(e.getBusyCpuSeconds())) {
            return Optional.of("busy_cpu_seconds must be a finite number >= 0, not " + e.getBusyCpuSeconds());
        }
        if (!(e.getIdleCpuSeconds() >= 0) || Double.isInfinite(e.getIdleCpuSeconds())) {
            return Optional.of("idle_cpu_seconds must be a finite number >= 0, not " + e.getIdleCpuSeconds());
        }
        return firstOf(instance(e.getInstance()), named("cloud_project_name", e.getCloudProjectName()),
                named("machine_name", e.getMachineName()));
    }

    public static Optional<String> check(IntensityEvent e) {
        long from = e.getFrom().toEpochMilli();
        if (from != Slots.slotStart(from)) {
            return Optional.of("from must be the start of a half hour (:00 or :30), not " + e.getFrom());
        }
        if (e.getTo().toEpochMilli() - from != HALF_HOUR) {
            return Optional.of("to must be 30 minutes after from, not " + e.getTo());
        }
        return firstOf(intensity("forecast", e.getForecast()), intensity("actual", e.getActual()));
    }

    public static Optional<String> check(WorkspaceEvent e) {
        if (e.getDeletedTime() != null && e.getDeletedTime().isBefore(e.getCreatedTime())) {
            return Optional.of("deleted_time " + e.getDeletedTime() + " is before created_time " + e.getCreatedTime());
        }
        return firstOf(named("workspace_key", e.getWorkspaceKey()), instance(e.getInstance()),
                named("cloud_project_name", e.getCloudProjectName()), named("machine_name", e.getMachineName()));
    }

    public static Optional<String> check(UserEvent e) {
        Optional<String> id = named("user_id", e.getUserId());
        if (id.isPresent()) {
            return id;
        }
        for (String p : e.getProjects()) {
            if (p == null || p.isBlank()) {
                return Optional.of("projects must not hold an empty name");
            }
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

    private static Optional<String> named(String field, String value) {
        return value == null || value.isBlank() ? Optional.of(field + " must not be empty") : Optional.empty();
    }

    private static Optional<String> instance(String value) {
        try {
            InstanceLabel.parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> intensity(String field, Double value) {
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            return Optional.of(field + " must be a finite number >= 0, not " + value);
        }
        return Optional.empty();
    }
}

package ada.carbon.report;

import ada.carbon.schemas.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * "When to run": the lowest-carbon contiguous window (by default three hours: six consecutive half-hour slots) of
 * the latest forecast, that is among the fact_intensity slots after the newest slot with a national actual whose
 * intensity is a forecast: the national one (source {@code forecast}) or, with intensity.region set, the region's
 * (source {@code regional}). Lowest means the least sum (so the least mean) of the slots' intensities; of equal
 * windows, the earliest.
 */
public final class WhenToRun {
    public static final int WINDOW_SLOTS = 6;
    private static final Duration SLOT = Duration.ofMinutes(30);

    private WhenToRun() {}

    /** A forecast slot: its start, the intensity the database uses for it, and the forecast's index (or null). */
    public record ForecastSlot(String ts, double intensity, String index) {
        public ForecastSlot(String ts, double intensity) {
            this(ts, intensity, null);
        }
    }

    /** The window: {@code [start, end)}, its mean intensity and its slots. */
    public record Window(String start, String end, double meanIntensity, List<ForecastSlot> slots) {}

    /**
     * @param newestActual the newest slot with an actual, or null if there is none
     * @param forecastSlots how many forecast slots the latest forecast has
     * @param forecastUntil the end of the last of them, or null
     * @param best the window, or null when there is none
     * @param note why there is no window, or null
     * @param windowSlots the window's length in half hours
     * @param slots the forecast slots, in time order
     */
    public record Result(
            String newestActual,
            int forecastSlots,
            String forecastUntil,
            Window best,
            String note,
            int windowSlots,
            List<ForecastSlot> slots) {}

    public static Result read(Connection c) throws SQLException {
        return read(c, WINDOW_SLOTS, null);
    }

    /**
     * @param windowSlots the window's length in half hours
     * @param hours how much of the forecast to consider, from its first slot on; null for all of it
     */
    public static Result read(Connection c, int windowSlots, Integer hours) throws SQLException {
        String newestActual;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(ts) FROM fact_intensity WHERE actual IS NOT NULL")) {
            newestActual = r.next() ? r.getString(1) : null;
        }
        List<ForecastSlot> slots = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT ts, intensity_gCo2eq_kwh, \"index\" FROM fact_intensity"
                + " WHERE source IN ('forecast', 'regional') AND ts > ? ORDER BY ts")) {
            p.setString(1, newestActual == null ? "" : newestActual);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    slots.add(new ForecastSlot(r.getString(1), r.getDouble(2), r.getString(3)));
                }
            }
        }
        if (hours != null && !slots.isEmpty()) {
            String end = Times.format(start(slots.get(0)).plus(Duration.ofHours(hours)));
            slots.removeIf(s -> s.ts().compareTo(end) >= 0);
        }
        return find(newestActual, slots, windowSlots);
    }

    public static Result find(String newestActual, List<ForecastSlot> slots) {
        return find(newestActual, slots, WINDOW_SLOTS);
    }

    /** The window of {@code windowSlots} half hours among {@code slots} (forecast slots at or after {@code newestActual}, in time order). */
    public static Result find(String newestActual, List<ForecastSlot> slots, int windowSlots) {
        if (windowSlots < 1) {
            throw new IllegalArgumentException("a window needs at least one slot");
        }
        if (slots.isEmpty()) {
            return new Result(
                    newestActual,
                    0,
                    null,
                    null,
                    newestActual == null
                            ? "The database has no forecast slots, so there is no forecast to choose from."
                            : "No slot after the newest actual (" + newestActual + ") is forecast only, so there is no"
                                    + " forecast to choose from.",
                    windowSlots,
                    List.of());
        }
        String until =
                Times.format(Times.parse(slots.get(slots.size() - 1).ts()).plus(SLOT));
        Window best = null;
        double bestSum = Double.POSITIVE_INFINITY;
        int runStart = 0;
        for (int i = 0; i < slots.size(); i++) {
            if (i > 0 && !start(slots.get(i)).equals(start(slots.get(i - 1)).plus(SLOT))) {
                runStart = i; // a gap: a window may not span it
            }
            if (i - runStart + 1 >= windowSlots) {
                List<ForecastSlot> window = slots.subList(i - windowSlots + 1, i + 1);
                double sum = 0;
                for (ForecastSlot s : window) {
                    sum += s.intensity();
                }
                if (sum < bestSum) {
                    bestSum = sum;
                    best = new Window(
                            window.get(0).ts(),
                            Times.format(start(window.get(windowSlots - 1)).plus(SLOT)),
                            sum / windowSlots,
                            List.copyOf(window));
                }
            }
        }
        String note = best != null
                ? null
                : "The latest forecast has " + slots.size() + " slot(s) but no " + windowSlots
                        + " consecutive ones, so there is no window of " + hoursOf(windowSlots) + " in it.";
        return new Result(newestActual, slots.size(), until, best, note, windowSlots, List.copyOf(slots));
    }

    /** "3 hours", "30 minutes", "1.5 hours". */
    static String hoursOf(int slots) {
        return slots == 1
                ? "30 minutes"
                : slots == 2 ? "1 hour" : (slots % 2 == 0 ? String.valueOf(slots / 2) : slots / 2 + ".5") + " hours";
    }

    private static Instant start(ForecastSlot s) {
        return Times.parse(s.ts());
    }
}

package ada.carbon.app.report;

import ada.carbon.core.Times;
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
 * "When to run": the lowest-carbon contiguous three hours (six consecutive half-hour slots) of the latest
 * forecast, that is among the fact_intensity slots whose source is {@code forecast} at or after the newest slot
 * with an actual. Lowest means the least sum (so the least mean) of the slots' intensities; of equal windows,
 * the earliest.
 */
public final class WhenToRun {
    public static final int WINDOW_SLOTS = 6;
    private static final Duration SLOT = Duration.ofMinutes(30);

    private WhenToRun() {}

    /** A forecast slot: its start and the intensity the database uses for it. */
    public record ForecastSlot(String ts, double intensity) {}

    /** The window: {@code [start, end)}, its mean intensity and its slots. */
    public record Window(String start, String end, double meanIntensity, List<ForecastSlot> slots) {}

    /**
     * @param newestActual the newest slot with an actual, or null if there is none
     * @param forecastSlots how many forecast slots the latest forecast has
     * @param forecastUntil the end of the last of them, or null
     * @param best the window, or null when there is none
     * @param note why there is no window, or null
     */
    public record Result(String newestActual, int forecastSlots, String forecastUntil, Window best, String note) {}

    public static Result read(Connection c) throws SQLException {
        String newestActual;
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(ts) FROM fact_intensity WHERE source = 'actual'")) {
            newestActual = r.next() ? r.getString(1) : null;
        }
        List<ForecastSlot> slots = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT ts, intensity_gCo2eq_kwh FROM fact_intensity"
                + " WHERE source = 'forecast' AND ts >= ? ORDER BY ts")) {
            p.setString(1, newestActual == null ? "" : newestActual);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    slots.add(new ForecastSlot(r.getString(1), r.getDouble(2)));
                }
            }
        }
        return find(newestActual, slots);
    }

    /** The window among {@code slots} (forecast slots at or after {@code newestActual}, in time order). */
    public static Result find(String newestActual, List<ForecastSlot> slots) {
        if (slots.isEmpty()) {
            return new Result(newestActual, 0, null, null, newestActual == null
                    ? "The database has no forecast slots, so there is no forecast to choose from."
                    : "No slot after the newest actual (" + newestActual + ") is forecast only, so there is no"
                            + " forecast to choose from.");
        }
        String until = Times.format(Times.parse(slots.get(slots.size() - 1).ts()).plus(SLOT));
        Window best = null;
        double bestSum = Double.POSITIVE_INFINITY;
        int runStart = 0;
        for (int i = 0; i < slots.size(); i++) {
            if (i > 0 && !start(slots.get(i)).equals(start(slots.get(i - 1)).plus(SLOT))) {
                runStart = i; // a gap: a window may not span it
            }
            if (i - runStart + 1 >= WINDOW_SLOTS) {
                List<ForecastSlot> window = slots.subList(i - WINDOW_SLOTS + 1, i + 1);
                double sum = 0;
                for (ForecastSlot s : window) {
                    sum += s.intensity();
                }
                if (sum < bestSum) {
                    bestSum = sum;
                    best = new Window(window.get(0).ts(), Times.format(start(window.get(WINDOW_SLOTS - 1)).plus(SLOT)),
                            sum / WINDOW_SLOTS, List.copyOf(window));
                }
            }
        }
        String note = best != null ? null
                : "The latest forecast has " + slots.size() + " slot(s) but no " + WINDOW_SLOTS
                        + " consecutive ones, so there is no three-hour window in it.";
        return new Result(newestActual, slots.size(), until, best, note);
    }

    private static Instant start(ForecastSlot s) {
        return Times.parse(s.ts());
    }
}

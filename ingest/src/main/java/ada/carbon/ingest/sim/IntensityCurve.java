package ada.carbon.ingest.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

/**
 * A UK-like grid carbon intensity, 50-300 gCO2/kWh: morning and evening peaks, a night trough and a
 * midday solar dip, on a level that drifts from day to day with the weather; and one region's forecast
 * beside the national one. Each slot's figures depend only on the seed and the slot, so a run can ask
 * for them in any order.
 */
final class IntensityCurve {
    static final double MIN = 50;
    static final double MAX = 300;
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final long DAY_MILLIS = 86_400_000L;
    private static final long SLOT_MILLIS = 1_800_000L;
    private static final int SLOTS_A_DAY = 48;

    private final long seed;

    IntensityCurve(long seed) {
        this.seed = seed;
    }

    /** What the simulated API says about a slot. */
    enum SlotFate {
        /** A forecast, replaced hours later by the actual reading. */
        NORMAL,
        /** No event at all: the pipeline must fall back. */
        MISSING,
        /** A forecast, then a late event whose actual is still null. */
        ACTUAL_NULL,
        /** No forecast; only the late event, with its actual and a null forecast. */
        ACTUAL_ONLY
    }

    /** One missing and one actual-null slot a day, and an actual-only slot every third day. */
    SlotFate fate(long slotStart) {
        long day = Math.floorDiv(slotStart, DAY_MILLIS);
        int slot = (int) (Math.floorMod(slotStart, DAY_MILLIS) / SLOT_MILLIS);
        SplittableRandom r = new SplittableRandom(Mix.of(seed, 0x51075L, day));
        int missing = r.nextInt(SLOTS_A_DAY);
        int actualNull = (missing + 1 + r.nextInt(SLOTS_A_DAY - 1)) % SLOTS_A_DAY;
        int actualOnly = r.nextInt(SLOTS_A_DAY);
        if (slot == missing) {
            return SlotFate.MISSING;
        }
        if (slot == actualNull) {
            return SlotFate.ACTUAL_NULL;
        }
        if (slot == actualOnly && Math.floorMod(day, 3) == 1) {
            return SlotFate.ACTUAL_ONLY;
        }
        return SlotFate.NORMAL;
    }

    /** One slot a day has no regional forecast (the pipeline falls back to the national series there). */
    boolean regionalMissing(long slotStart) {
        long day = Math.floorDiv(slotStart, DAY_MILLIS);
        int slot = (int) (Math.floorMod(slotStart, DAY_MILLIS) / SLOT_MILLIS);
        return slot == new SplittableRandom(Mix.of(seed, 0x12E61L, day)).nextInt(SLOTS_A_DAY);
    }

    /**
     * The region's forecast for the slot (South England's, say): the same weather as the national grid, but
     * more solar at midday and a cleaner mix overall, with a forecast error of its own. A whole number.
     */
    double regionalForecast(long slotStart) {
        double hour = localHour(slotStart + SLOT_MILLIS / 2);
        double error = new SplittableRandom(Mix.of(seed, 0x12F0CL, slotStart)).nextGaussian() * 0.06;
        double share = 0.92 - 0.20 * bump(hour, 13, 2.5);
        return clamp(Math.round(actual(slotStart) * share * (1 + error)));
    }

    /** The measured intensity of the slot, a whole number as the API gives. */
    double actual(long slotStart) {
        double hour = localHour(slotStart + SLOT_MILLIS / 2);
        double level = dayLevel(slotStart);
        double noise = new SplittableRandom(Mix.of(seed, 0xAC7L, slotStart)).nextGaussian() * 6;
        return clamp(Math.round(level * shape(hour) + noise));
    }

    /** The forecast made before the slot: the actual, off by a few per cent. */
    double forecast(long slotStart) {
        double error = new SplittableRandom(Mix.of(seed, 0xF0CL, slotStart)).nextGaussian() * 0.07;
        return clamp(Math.round(actual(slotStart) * (1 + error)));
    }

    /** The API's index bands for a value. */
    static String index(double value) {
        if (value < 40) {
            return "very low";
        }
        if (value < 120) {
            return "low";
        }
        if (value < 200) {
            return "moderate";
        }
        if (value < 290) {
            return "high";
        }
        return "very high";
    }

    /** Peaks near 08:00 and 18:30, a trough before dawn and a dip at midday (solar). Around 1. */
    private static double shape(double hour) {
        return 0.85
                + 0.20 * bump(hour, 8, 2)
                + 0.35 * bump(hour, 18.5, 2.5)
                - 0.15 * bump(hour, 13, 2.5)
                - 0.15 * bump(hour, 4, 3);
    }

    private static double bump(double x, double centre, double width) {
        double z = (x - centre) / width;
        return Math.exp(-z * z);
    }

    /** The day's level, interpolated between day-start levels so it never jumps at midnight. */
    private double dayLevel(long t) {
        long day = Math.floorDiv(t, DAY_MILLIS);
        double f = (double) Math.floorMod(t, DAY_MILLIS) / DAY_MILLIS;
        return levelAt(day) * (1 - f) + levelAt(day + 1) * f;
    }

    /** Windy days are clean, still ones dirty. */
    private double levelAt(long day) {
        SplittableRandom r = new SplittableRandom(Mix.of(seed, 0xDA7L, day));
        return 90 + r.nextDouble() * 140;
    }

    private static double localHour(long t) {
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(UK);
        return local.getHour() + local.getMinute() / 60.0;
    }

    private static double clamp(double v) {
        return Math.max(MIN, Math.min(MAX, v));
    }
}

package ada.carbon.bench;

import java.util.Locale;

/** A count achieved in a measured time. */
record Rate(long count, long nanos) {
    static Rate between(long count, long startNanos, long endNanos) {
        return new Rate(count, Math.max(1, endNanos - startNanos));
    }

    double seconds() {
        return nanos / 1e9;
    }

    double perSecond() {
        return count / seconds();
    }

    /** e.g. {@code 123,456/s (1,000,000 in 8.10 s)}. */
    String describe(String unit) {
        return String.format(Locale.ROOT, "%,.0f %s/s  (%,d in %.2f s)", perSecond(), unit, count, seconds());
    }
}

package ada.carbon.report;

import ada.carbon.schemas.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The half-open period {@code [from, to)} a report covers, as fact timestamps ({@code YYYY-MM-DDTHH:MM:SSZ},
 * which sort as text). Either end may be open (null).
 */
public record ReportPeriod(String from, String to) {
    /** Every fact. */
    public static final ReportPeriod ALL = new ReportPeriod(null, null);
    /** Four-digit years, so that timestamps sort as text. */
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public ReportPeriod {
        if (from != null && to != null && from.compareTo(to) >= 0) {
            throw new IllegalArgumentException("from " + from + " is not before to " + to);
        }
    }

    /**
     * Parses the command line's {@code --from}/{@code --to}: a date ({@code 2025-09-01}, midnight UTC) or an
     * ISO-8601 time with an offset ({@code 2025-09-01T10:00Z}, {@code 2025-09-01T10:00:00+01:00}); null for open.
     */
    public static ReportPeriod parse(String from, String to) {
        return parse("--from", from, "--to", to);
    }

    /** As {@link #parse(String, String)}, each message naming the bound as the caller calls it. */
    public static ReportPeriod parse(String fromName, String from, String toName, String to) {
        String f = bound(fromName, from);
        String t = bound(toName, to);
        if (f != null && t != null && f.compareTo(t) >= 0) {
            throw new IllegalArgumentException(fromName + " " + f + " is not before " + toName + " " + t);
        }
        return new ReportPeriod(f, t);
    }

    private static String bound(String option, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant t;
        try {
            t = LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                t = Times.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": '" + text + "' is neither a date (2025-09-01) nor an"
                        + " ISO-8601 time (2025-09-01T10:00Z)");
            }
        }
        if (t.getNano() != 0) {
            throw new IllegalArgumentException(option + ": '" + text + "' has a fraction of a second");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new IllegalArgumentException(option + ": '" + text + "' is outside the years 1000 to 9999");
        }
        return Times.format(t);
    }

    public boolean isAll() {
        return from == null && to == null;
    }

    /** The lower bound for {@code ts >= ?}: the empty string sorts before every timestamp. */
    public String lower() {
        return from == null ? "" : from;
    }

    /** The upper bound for {@code ts < ?}: a string after every timestamp. */
    public String upper() {
        return to == null ? "\uFFFF" : to;
    }

    public String describe() {
        if (isAll()) {
            return "all facts in the database";
        }
        if (to == null) {
            return "from " + from + " on";
        }
        return (from == null ? "" : "from " + from + " ") + "up to (not including) " + to;
    }
}

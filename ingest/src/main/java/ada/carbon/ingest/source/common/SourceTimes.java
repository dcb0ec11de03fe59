package ada.carbon.ingest.source.common;

import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Times as sources and command lines write them. Anything else is refused, never guessed. */
public final class SourceTimes {
    private static final Pattern RELATIVE = Pattern.compile("now(?:\\s*-\\s*(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");

    private SourceTimes() {}

    /**
     * A time in a registry document: ISO-8601 with an offset or {@code Z}; ISO-8601 without a zone,
     * with {@code T} or a space (read as UTC, as Python writes naive UTC times); RFC 1123
     * ({@code Tue, 01 Jun 2025 10:00:00 GMT}, Eve's default); a number of epoch milliseconds;
     * MongoDB extended JSON ({@code {"$date": …}}, {@code {"$numberLong": "…"}}).
     *
     * @return null for a JSON null or a missing node
     * @throws IllegalArgumentException for any other form
     */
    public static Instant fromJson(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isObject()) {
            if (v.has("$date")) {
                return fromJson(v.get("$date"));
            }
            if (v.has("$numberLong")) {
                return fromJson(v.get("$numberLong"));
            }
            throw new IllegalArgumentException("not a time: " + v);
        }
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.longValue());
        }
        if (v.isTextual()) {
            String s = v.textValue().trim();
            if (s.isEmpty()) {
                return null;
            }
            if (s.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(s));
            }
            return parseText(s);
        }
        throw new IllegalArgumentException("not a time: " + v);
    }

    static Instant parseText(String s) {
        try {
            return Times.parse(s);
        } catch (IllegalArgumentException notOffset) {
            // fall through
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // fall through
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(s, Instant::from);
        } catch (DateTimeParseException notRfc) {
            throw new IllegalArgumentException("unparseable time '" + s + "'");
        }
    }

    /**
     * A time on the command line: ISO-8601 UTC ({@code 2025-09-11T10:00:00Z}, {@code 2025-09-11T10:00Z},
     * an offset), a date ({@code 2025-09-11}, midnight UTC), {@code now} or {@code now-7d}.
     */
    public static Instant argument(String text, Instant now) {
        String s = text.trim();
        Matcher rel = RELATIVE.matcher(s);
        if (rel.matches()) {
            return rel.group(1) == null ? now : now.minus(duration(rel.group(1)));
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            // fall through
        }
        return Times.parse(s);
    }

    /**
     * A duration: Prometheus style ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, {@code 1w}) or
     * ISO-8601 ({@code PT5M}, {@code P14D}).
     */
    public static Duration duration(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("unparseable duration '" + text + "'");
            }
        }
        Matcher m = DURATION.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double n = Double.parseDouble(m.group(1));
            long unitMs = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> 7 * 86_400_000L;
            };
            total = total.plusMillis(Math.round(n * unitMs));
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new IllegalArgumentException("unparseable duration '" + text + "' (e.g. 30s, 5m, 1h, 14d, PT5M)");
        }
        return total;
    }

    /** {@code t} rounded down to a multiple of {@code unit} since the epoch. */
    public static Instant floor(Instant t, Duration unit) {
        long u = unit.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), u) * u);
    }

    /** {@code t} rounded up to a multiple of {@code unit} since the epoch. */
    public static Instant ceil(Instant t, Duration unit) {
        Instant f = floor(t, unit);
        return f.equals(t) ? t : f.plus(unit);
    }
}

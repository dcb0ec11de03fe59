package ada.carbon.schemas;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The SPEC's time forms: ISO-8601 UTC in, {@code YYYY-MM-DDTHH:MM:SSZ} out. */
public final class Times {
    private static final DateTimeFormatter FACT_TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    /**
     * Parses {@code 2025-09-11T10:00:00Z}, {@code 2025-09-11T10:00Z} and explicit offsets.
     * Any other form is refused rather than guessed.
     */
    public static Instant parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("time is missing");
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unparseable time '" + text + "'");
        }
    }

    public static String format(long epochMillis) {
        return FACT_TS.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String format(Instant instant) {
        return FACT_TS.format(instant);
    }
}

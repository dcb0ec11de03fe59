package ada.carbon.ingest.json;

import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of one JSON object's fields, failing with the message a person needs to fix the line.
 * Absent and null are told apart only for required fields; an optional field may be either.
 */
final class JsonFields {
    private final JsonNode object;

    JsonFields(JsonNode object) {
        this.object = object;
    }

    String requiredString(String name) {
        JsonNode v = required(name);
        if (!v.isTextual()) {
            throw new Malformed("field '" + name + "' must be a string");
        }
        return v.textValue();
    }

    String optionalString(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Malformed("field '" + name + "' must be a string or null");
        }
        return v.textValue();
    }

    Instant requiredTime(String name) {
        JsonNode v = required(name);
        return time(name, v);
    }

    Instant optionalTime(String name) {
        JsonNode v = object.get(name);
        return v == null || v.isNull() ? null : time(name, v);
    }

    double requiredNumber(String name) {
        JsonNode v = required(name);
        if (!v.isNumber()) {
            throw new Malformed("field '" + name + "' must be a number");
        }
        return v.doubleValue();
    }

    Double optionalNumber(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new Malformed("field '" + name + "' must be a number or null");
        }
        return v.doubleValue();
    }

    /** A whole number that fits an int, or null (absent or null). */
    Integer optionalInt(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        long whole = wholeNumber(name, v);
        if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
            throw new Malformed("field '" + name + "' is out of range");
        }
        return (int) whole;
    }

    /** A whole number, written as an integer or as a decimal with no fraction ({@code 300.0}). */
    long requiredWholeNumber(String name) {
        return wholeNumber(name, required(name));
    }

    private static long wholeNumber(String name, JsonNode v) {
        if (!v.isNumber()) {
            throw new Malformed("field '" + name + "' must be a number");
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new Malformed("field '" + name + "' is out of range");
            }
            return v.longValue();
        }
        double d = v.doubleValue();
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new Malformed("field '" + name + "' must be a whole number, not " + v.asText());
        }
        if (d < Long.MIN_VALUE || d > Long.MAX_VALUE) {
            throw new Malformed("field '" + name + "' is out of range");
        }
        return (long) d;
    }

    /** Missing or null reads as empty: SPEC 1.4 lets {@code projects} be empty. */
    List<String> stringList(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return new ArrayList<>(0);
        }
        if (!v.isArray()) {
            throw new Malformed("field '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new Malformed("field '" + name + "' must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private JsonNode required(String name) {
        JsonNode v = object.get(name);
        if (v == null) {
            throw new Malformed("missing field '" + name + "'");
        }
        if (v.isNull()) {
            throw new Malformed("field '" + name + "' must not be null");
        }
        return v;
    }

    private static Instant time(String name, JsonNode v) {
        if (!v.isTextual()) {
            throw new Malformed("field '" + name + "' must be an ISO-8601 time string");
        }
        try {
            // Avro keeps milliseconds; truncating here makes the parsed record equal its Kafka round trip.
            return Times.parse(v.textValue()).truncatedTo(ChronoUnit.MILLIS);
        } catch (IllegalArgumentException e) {
            throw new Malformed("unparseable time '" + v.textValue() + "' in field '" + name + "'");
        }
    }

    /** A line that cannot be read as its kind. Carries no stack trace: it is an answer, not a bug. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}

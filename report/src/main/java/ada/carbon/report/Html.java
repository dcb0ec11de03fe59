package ada.carbon.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Locale;

/** Escaping for the report: text and attributes of HTML, and JSON that is safe inside a {@code <script>}. */
public final class Html {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
        // The API's field names (busy_kwh, top_equivalencies), as the original Ada API writes them.
        JSON.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    private Html() {}

    /** Text or a quoted attribute value: {@code & < > " '} become entities; null becomes the empty string. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** The mapper behind {@link #json}: snake-case names, script-safe escapes. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * JSON for {@code <script type="application/json">}: {@code < > &} and the line separators U+2028/U+2029 are
     * written as {@code \\u} escapes, so no value can close the element or open a comment, whatever it holds.
     */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report's data as JSON", e);
        }
    }

    /** A figure for {@code data-v}: the exact double (Java's round-tripping form), empty for null. */
    public static String raw(Double d) {
        return d == null ? "" : Double.toString(d);
    }

    /** A figure for people: grouped thousands, {@code decimals} places, an em dash for null. */
    public static String number(Double d, int decimals) {
        if (d == null) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", d);
    }

    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private final int[] table;

        ScriptSafeEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    }
}

package ada.carbon.kafka.logging;

/**
 * Text that came from input (a record's fields, a header, a line of a file), made safe to print to a terminal
 * or a log: every character a terminal or a log reader would act on rather than show is written as a visible
 * escape instead. So an ESC cannot start a terminal escape sequence (colours, a window title, clearing the
 * screen), and a CR or LF cannot start a forged log line. Used by {@code dlq} and by every log line (the
 * converters of {@code logback.xml}, in {@code ada.carbon.app.logging}).
 *
 * <p>Escaped: the C0 controls, DEL and the C1 controls (U+0080 to U+009F, where CSI U+009B starts a sequence
 * as ESC [ does), the line and paragraph separators U+2028 and U+2029, and the bidirectional embedding,
 * override and isolate controls that can reorder what a reader sees (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069). Backslashes are left as they are.
 */
public final class Printable {
    private Printable() {}

    /**
     * {@code text} with {@code \t}, {@code \n} and {@code \r} for TAB, LF and CR, {@code \xHH} for the other
     * controls up to U+009F, and a backslash, {@code u} and four hex digits for those above; {@code text} itself
     * when it has none of them, and null for null.
     */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int first = 0;
        while (first < text.length() && !escaped(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!escaped(c)) {
                b.append(c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c <= 0x9F) {
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean escaped(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u061C'
                || c == '\u200E'
                || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}

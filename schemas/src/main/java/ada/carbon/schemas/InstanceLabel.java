package ada.carbon.schemas;

import java.util.Locale;

/**
 * A Prometheus {@code instance} label split as SPEC 1.1 says: {@code host:port}, {@code [v6]:port},
 * or all host when there is no port or the label is an unbracketed IPv6 address.
 *
 * @param port null when the label names none
 */
public record InstanceLabel(String raw, String host, Integer port) {

    public static InstanceLabel parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("instance is empty");
        }
        if (raw.startsWith("[")) {
            int close = raw.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("instance '" + raw + "' has '[' without ']'");
            }
            String host = raw.substring(1, close);
            String rest = raw.substring(close + 1);
            if (rest.isEmpty()) {
                return new InstanceLabel(raw, host, null);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("instance '" + raw + "' has text after ']' that is no port");
            }
            return new InstanceLabel(raw, host, parsePort(raw, rest.substring(1)));
        }
        int first = raw.indexOf(':');
        if (first < 0 || first != raw.lastIndexOf(':')) {
            // No colon, or several: a bare host or an unbracketed IPv6 address.
            return new InstanceLabel(raw, raw, null);
        }
        return new InstanceLabel(raw, raw.substring(0, first), parsePort(raw, raw.substring(first + 1)));
    }

    /** The host as tenure matching compares it: without regard to case. */
    public static String hostKey(String raw) {
        return parse(raw).host().toLowerCase(Locale.ROOT);
    }

    private static Integer parsePort(String raw, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("instance '" + raw + "' has an invalid port '" + port + "'");
        }
    }
}

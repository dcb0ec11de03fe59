package ada.carbon.app.metrics;

/** What /health answers: up or not, and the service's state in a word or two. */
public record Health(boolean up, String state) {
    public static Health up(String state) {
        return new Health(true, state);
    }

    public static Health down(String state) {
        return new Health(false, state);
    }

    String toJson(String service) {
        return "{\"service\":\"" + escape(service) + "\",\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\""
                + escape(state) + "\"}\n";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : String.valueOf(s).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

package ada.carbon.report.serve;

/**
 * What a token may see: {@code operator} everything; {@code group:<group_name>} its group, its members and the
 * platform; {@code user:<user_id>} that user and the platform.
 */
public record Role(Kind kind, String name) {
    public enum Kind {
        OPERATOR,
        GROUP,
        USER
    }

    /** Everything, as serve without tokens treats every caller (it then listens on loopback only). */
    public static final Role OPERATOR = new Role(Kind.OPERATOR, null);

    public Role {
        if ((kind == Kind.OPERATOR) != (name == null)) {
            throw new IllegalArgumentException(
                    kind == Kind.OPERATOR ? "operator takes no name" : "a " + kind + " role needs a name");
        }
    }

    /** @throws IllegalArgumentException for anything but {@code operator}, {@code group:NAME} or {@code user:ID} */
    public static Role parse(String text) {
        if ("operator".equals(text)) {
            return OPERATOR;
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? "" : text.substring(colon + 1);
        if (colon > 0 && !name.isEmpty()) {
            switch (text.substring(0, colon)) {
                case "group":
                    return new Role(Kind.GROUP, name);
                case "user":
                    return new Role(Kind.USER, name);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("role '" + text + "' is not operator, group:<group_name> or user:<user_id>");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case OPERATOR -> "operator";
            case GROUP -> "group:" + name;
            case USER -> "user:" + name;
        };
    }
}

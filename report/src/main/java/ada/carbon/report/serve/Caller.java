package ada.carbon.report.serve;

/** Who made a request: the role of their token and its label (for logs; the token itself is never kept). */
public record Caller(Role role, String label) {
    /** Every caller of a server started without tokens (on loopback only). */
    public static final Caller LOCAL = new Caller(Role.OPERATOR, "local (no tokens)");
}

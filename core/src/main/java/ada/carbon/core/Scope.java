package ada.carbon.core;

import java.util.Locale;

/**
 * The scopes a piece of CPU time counts toward (SPEC 2.4). A new scope starts here: give it a name and
 * have {@link FactLedger} count pieces toward its fact keys; the sink gives it a key column.
 */
public enum Scope {
    ADA,
    PROJECT,
    MACHINE,
    USER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

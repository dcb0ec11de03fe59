package ada.carbon.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** SPEC 2.4: who a piece of CPU time counts toward in the {@code user} scope. */
public final class Attribution {
    /** Later {@code created} wins; on a tie, the greater workspace key. */
    private static final Comparator<HostTenure> PRECEDENCE =
            Comparator.comparingLong(HostTenure::created).thenComparing(HostTenure::workspaceKey);

    private Attribution() {}

    /**
     * The owner of the owned workspace holding the host at {@code pieceStart}, or empty: a piece no owned
     * workspace holds counts toward no user (never guessed).
     */
    public static Optional<String> ownerAt(Collection<HostTenure> tenuresOfHost, long pieceStart) {
        HostTenure best = null;
        for (HostTenure t : tenuresOfHost) {
            if (t.owner() != null && t.holdsAt(pieceStart) && (best == null || PRECEDENCE.compare(t, best) > 0)) {
                best = t;
            }
        }
        return Optional.ofNullable(best).map(HostTenure::owner);
    }
}

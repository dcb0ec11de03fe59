package ada.carbon.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which workspace holds which host when (SPEC 1.3): the latest record of every workspace, by host key
 * ({@code InstanceLabel.hostKey}: callers fold the case), for attribution (SPEC 2.4).
 */
public final class TenureRegistry {
    private final Map<String, HostTenures> byHost = new HashMap<>();
    private final Map<String, String> hostOfWorkspace = new HashMap<>();

    /**
     * One host's tenures, and the owner over the last stretch of time asked about in which none of them
     * starts or ends: every cpu piece asks, a backfill asks in time order, and the answer only changes
     * at a tenure's start or end.
     */
    private static final class HostTenures {
        // Linked: a linked map walks only its entries.
        final Map<String, HostTenure> tenures = new LinkedHashMap<>();
        long stretchFrom = Long.MAX_VALUE;
        long stretchUntil = Long.MIN_VALUE; // empty until first asked
        String stretchOwner;

        void changed() {
            stretchFrom = Long.MAX_VALUE;
            stretchUntil = Long.MIN_VALUE;
        }

        String ownerAt(long t) {
            if (stretchFrom <= t && t < stretchUntil) {
                return stretchOwner;
            }
            long from = Long.MIN_VALUE;
            long until = Long.MAX_VALUE;
            for (HostTenure x : tenures.values()) {
                long created = x.created();
                if (created <= t) {
                    from = Math.max(from, created);
                } else {
                    until = Math.min(until, created);
                }
                if (x.deleted() != null) {
                    long deleted = x.deleted();
                    if (deleted <= t) {
                        from = Math.max(from, deleted);
                    } else {
                        until = Math.min(until, deleted);
                    }
                }
            }
            stretchOwner = Attribution.ownerAt(tenures.values(), t).orElse(null);
            stretchFrom = from;
            stretchUntil = until;
            return stretchOwner;
        }
    }

    /**
     * Records the workspace's latest tenure, replacing its earlier one.
     *
     * @return the earlier tenure, if any, and the host it was on
     */
    public Optional<Placed> put(String host, HostTenure tenure) {
        Optional<Placed> before = remove(tenure.workspaceKey());
        HostTenures held = byHost.computeIfAbsent(host, h -> new HostTenures());
        held.tenures.put(tenure.workspaceKey(), tenure);
        held.changed();
        hostOfWorkspace.put(tenure.workspaceKey(), host);
        return before;
    }

    public Optional<Placed> remove(String workspaceKey) {
        String host = hostOfWorkspace.remove(workspaceKey);
        if (host == null) {
            return Optional.empty();
        }
        HostTenures held = byHost.get(host);
        HostTenure before = held.tenures.remove(workspaceKey);
        held.changed();
        if (held.tenures.isEmpty()) {
            byHost.remove(host);
        }
        return Optional.of(new Placed(host, before));
    }

    /** The owner the piece of the host starting at {@code pieceStart} counts toward, or null. */
    public String ownerAt(String host, long pieceStart) {
        HostTenures held = byHost.get(host);
        return held == null ? null : held.ownerAt(pieceStart);
    }

    /** The workspaces whose tenure ended at or before {@code time}: they can attribute nothing after it. */
    public List<String> endedBy(long time) {
        List<String> out = new ArrayList<>();
        for (HostTenures held : byHost.values()) {
            for (HostTenure t : held.tenures.values()) {
                if (t.deleted() != null && t.deleted() <= time) {
                    out.add(t.workspaceKey());
                }
            }
        }
        return out;
    }

    public int size() {
        return hostOfWorkspace.size();
    }

    /** A tenure and the host it is on. */
    public record Placed(String host, HostTenure tenure) {}
}

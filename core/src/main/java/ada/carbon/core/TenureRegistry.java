package ada.carbon.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which workspace holds which host when (SPEC 1.3): the latest record of every workspace, by host key
 * ({@link InstanceLabel#hostKey}: callers fold the case), for attribution (SPEC 2.4).
 */
public final class TenureRegistry {
    private final Map<String, Map<String, HostTenure>> byHost = new HashMap<>();
    private final Map<String, String> hostOfWorkspace = new HashMap<>();

    /**
     * Records the workspace's latest tenure, replacing its earlier one.
     *
     * @return the earlier tenure, if any, and the host it was on
     */
    public Optional<Placed> put(String host, HostTenure tenure) {
        Optional<Placed> before = remove(tenure.workspaceKey());
        // Linked: every cpu piece walks its host's tenures, and a linked map walks only its entries.
        byHost.computeIfAbsent(host, h -> new LinkedHashMap<>()).put(tenure.workspaceKey(), tenure);
        hostOfWorkspace.put(tenure.workspaceKey(), host);
        return before;
    }

    public Optional<Placed> remove(String workspaceKey) {
        String host = hostOfWorkspace.remove(workspaceKey);
        if (host == null) {
            return Optional.empty();
        }
        Map<String, HostTenure> tenures = byHost.get(host);
        HostTenure before = tenures.remove(workspaceKey);
        if (tenures.isEmpty()) {
            byHost.remove(host);
        }
        return Optional.of(new Placed(host, before));
    }

    /** The owner the piece of the host starting at {@code pieceStart} counts toward, or null. */
    public String ownerAt(String host, long pieceStart) {
        Map<String, HostTenure> tenures = byHost.get(host);
        return tenures == null ? null : Attribution.ownerAt(tenures.values(), pieceStart).orElse(null);
    }

    /** The workspaces whose tenure ended at or before {@code time}: they can attribute nothing after it. */
    public List<String> endedBy(long time) {
        List<String> out = new ArrayList<>();
        for (Map<String, HostTenure> tenures : byHost.values()) {
            for (HostTenure t : tenures.values()) {
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

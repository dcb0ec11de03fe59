package ada.carbon.core;

/**
 * One workspace's hold on a host: {@code [created, deleted)}; {@code deleted} null means it still holds it.
 * {@code owner} is null for a pool workspace nobody claimed.
 */
public record HostTenure(String workspaceKey, String owner, long created, Long deleted) {

    public boolean holdsAt(long t) {
        return created <= t && (deleted == null || t < deleted);
    }
}

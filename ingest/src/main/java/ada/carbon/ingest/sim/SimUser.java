package ada.carbon.ingest.sim;

import java.util.List;

/**
 * One simulated platform user.
 *
 * @param displayName null for some users, as in the real registry
 * @param groupName   null for some users
 * @param registered  false for the few workspace owners the user registry never describes
 */
public record SimUser(String userId, String displayName, String groupName, List<String> projects, boolean registered) {

    public SimUser {
        projects = List.copyOf(projects);
    }
}

package ada.carbon.sink;

import ada.carbon.schemas.InstanceLabel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.Set;

/** The dimension tables and map_project_machine: they only grow, so every write is "add if new". */
final class Dimensions implements AutoCloseable {
    final NameDimension projects;
    final NameDimension machines;
    final NameDimension groups;
    private final PreparedStatement insertUser;
    private final PreparedStatement upsertDescribedUser;
    private final PreparedStatement selectInstance;
    private final PreparedStatement insertInstance;
    private final PreparedStatement insertProjectMachine;
    // Per transaction, to spare repeated statements for the same names within a batch.
    private final Set<String> knownUsers = new HashSet<>();

    Dimensions(Connection c) throws SQLException {
        projects = new NameDimension(c, "dim_project", "project_id", "cloud_project_name");
        machines = new NameDimension(c, "dim_machine", "machine_id", "machine_name");
        groups = new NameDimension(c, "dim_group", "group_id", "group_name");
        insertUser = c.prepareStatement("INSERT INTO dim_user (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING");
        upsertDescribedUser = c.prepareStatement(
                "INSERT INTO dim_user (user_id, display_name, group_id) VALUES (?, ?, ?) "
                        + "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, group_id = excluded.group_id");
        selectInstance = c.prepareStatement("SELECT instance_id FROM dim_instance WHERE raw_label = ?");
        insertInstance = c.prepareStatement(
                "INSERT INTO dim_instance (host, port, raw_label) VALUES (?, ?, ?) RETURNING instance_id");
        insertProjectMachine = c.prepareStatement(
                "INSERT INTO map_project_machine (project_id, machine_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
    }

    void beginTransaction() {
        projects.beginTransaction();
        machines.beginTransaction();
        groups.beginTransaction();
        knownUsers.clear();
    }

    /** Makes sure {@code userId} has a row; an existing description is left alone. */
    void ensureUser(String userId) throws SQLException {
        if (knownUsers.add(userId)) {
            insertUser.setString(1, userId);
            insertUser.executeUpdate();
        }
    }

    /** Sets the user's description to that of their latest user event. */
    void describeUser(String userId, String displayName, String groupName) throws SQLException {
        upsertDescribedUser.setString(1, userId);
        upsertDescribedUser.setString(2, displayName);
        if (groupName == null) {
            upsertDescribedUser.setNull(3, Types.INTEGER);
        } else {
            upsertDescribedUser.setLong(3, groups.ensure(groupName));
        }
        upsertDescribedUser.executeUpdate();
        knownUsers.add(userId);
    }

    /** The id of an instance label, adding it (host and port parsed) if new. */
    long ensureInstance(InstanceLabel label) throws SQLException {
        selectInstance.setString(1, label.raw());
        try (ResultSet rs = selectInstance.executeQuery()) {
            if (rs.next()) {
                return rs.getLong(1);
            }
        }
        insertInstance.setString(1, label.host());
        if (label.port() == null) {
            insertInstance.setNull(2, Types.INTEGER);
        } else {
            insertInstance.setInt(2, label.port());
        }
        insertInstance.setString(3, label.raw());
        try (ResultSet rs = insertInstance.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void ensureProjectMachine(long projectId, long machineId) throws SQLException {
        insertProjectMachine.setLong(1, projectId);
        insertProjectMachine.setLong(2, machineId);
        insertProjectMachine.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        projects.close();
        machines.close();
        groups.close();
        insertUser.close();
        upsertDescribedUser.close();
        selectInstance.close();
        insertInstance.close();
        insertProjectMachine.close();
    }
}

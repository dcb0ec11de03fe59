package ada.carbon.sink;

import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.EventRules;
import ada.carbon.schemas.InstanceLabel;
import ada.carbon.schemas.Times;
import ada.carbon.sink.SinkChange.CpuLabelChange;
import ada.carbon.sink.SinkChange.UserChange;
import ada.carbon.sink.SinkChange.WorkspaceChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The platform registry's side of the schema: dimensions named by workspaces, users and cpu labels,
 * active_workspace, and map_user_project, which is recomputed once per touched user at the end of
 * the transaction from the latest user event's projects and every workspace's (owner, project).
 */
final class RegistryWriter implements AutoCloseable {
    private final Dimensions dims;
    private final PreparedStatement selectWorkspaceOwner;
    private final PreparedStatement upsertWorkspace;
    private final PreparedStatement deleteWorkspace;
    private final PreparedStatement upsertActive;
    private final PreparedStatement deleteActive;
    private final PreparedStatement deleteUserProjects;
    private final PreparedStatement insertUserProject;
    private final PreparedStatement deleteUserMap;
    private final PreparedStatement rebuildUserMap;
    private final Set<String> usersToRemap = new LinkedHashSet<>();

    RegistryWriter(Connection c, Dimensions dims) throws SQLException {
        this.dims = dims;
        selectWorkspaceOwner = c.prepareStatement("SELECT owner FROM sink_workspace WHERE workspace_key = ?");
        upsertWorkspace = c.prepareStatement(
                "INSERT INTO sink_workspace "
                        + "(workspace_key, instance_id, owner, project_id, machine_id, created_time, deleted_time) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_key) DO UPDATE SET "
                        + "instance_id = excluded.instance_id, owner = excluded.owner, project_id = excluded.project_id, "
                        + "machine_id = excluded.machine_id, created_time = excluded.created_time, deleted_time = excluded.deleted_time");
        deleteWorkspace = c.prepareStatement("DELETE FROM sink_workspace WHERE workspace_key = ?");
        // Updating in place keeps workspace_id stable while the workspace stays active.
        upsertActive = c.prepareStatement("INSERT INTO active_workspace "
                + "(instance_id, machine_id, user_id, project_id, started_at, workspace_key) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (workspace_key) DO UPDATE SET instance_id = excluded.instance_id, "
                + "machine_id = excluded.machine_id, user_id = excluded.user_id, project_id = excluded.project_id, "
                + "started_at = excluded.started_at");
        deleteActive = c.prepareStatement("DELETE FROM active_workspace WHERE workspace_key = ?");
        deleteUserProjects = c.prepareStatement("DELETE FROM sink_user_project WHERE user_id = ?");
        insertUserProject = c.prepareStatement(
                "INSERT INTO sink_user_project (user_id, project_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
        deleteUserMap = c.prepareStatement("DELETE FROM map_user_project WHERE user_id = ?");
        rebuildUserMap = c.prepareStatement("INSERT INTO map_user_project (user_id, project_id) "
                + "SELECT user_id, project_id FROM sink_user_project WHERE user_id = ?1 "
                + "UNION SELECT owner, project_id FROM sink_workspace WHERE owner = ?1");
    }

    void beginTransaction() {
        usersToRemap.clear();
    }

    void write(WorkspaceChange change) throws InvalidChangeException, SQLException {
        WorkspaceEvent w = change.workspace();
        String key = change.workspaceKey() != null ? change.workspaceKey() : w == null ? null : w.getWorkspaceKey();
        if (key == null || key.isBlank()) {
            throw new InvalidChangeException("workspace record names no workspace_key");
        }
        if (w == null) {
            forgetWorkspace(key);
            return;
        }
        InvalidChangeException.unless(EventRules.check(w));
        InstanceLabel instance = instanceOf(w.getInstance());
        requireName("cloud_project_name", w.getCloudProjectName());
        requireName("machine_name", w.getMachineName());
        if (w.getCreatedTime() == null) {
            throw new InvalidChangeException("workspace " + key + " has no created_time");
        }

        long instanceId = dims.ensureInstance(instance);
        long projectId = dims.projects.ensure(w.getCloudProjectName());
        long machineId = dims.machines.ensure(w.getMachineName());
        dims.ensureProjectMachine(projectId, machineId);
        String owner = w.getOwner();
        if (owner != null) {
            dims.ensureUser(owner);
            usersToRemap.add(owner);
        }
        remapPreviousOwner(key);

        String created = Times.format(w.getCreatedTime());
        upsertWorkspace.setString(1, key);
        upsertWorkspace.setLong(2, instanceId);
        upsertWorkspace.setString(3, owner);
        upsertWorkspace.setLong(4, projectId);
        upsertWorkspace.setLong(5, machineId);
        upsertWorkspace.setString(6, created);
        upsertWorkspace.setString(7, w.getDeletedTime() == null ? null : Times.format(w.getDeletedTime()));
        upsertWorkspace.executeUpdate();

        if (w.getDeletedTime() == null) {
            upsertActive.setLong(1, instanceId);
            upsertActive.setLong(2, machineId);
            upsertActive.setString(3, owner);
            upsertActive.setLong(4, projectId);
            upsertActive.setString(5, created);
            upsertActive.setString(6, key);
            upsertActive.executeUpdate();
        } else {
            deleteActive.setString(1, key);
            deleteActive.executeUpdate();
        }
    }

    void write(UserChange change) throws InvalidChangeException, SQLException {
        UserEvent u = change.user();
        String userId = change.userId() != null ? change.userId() : u == null ? null : u.getUserId();
        if (userId == null || userId.isBlank()) {
            throw new InvalidChangeException("user record names no user_id");
        }
        if (u != null) {
            InvalidChangeException.unless(EventRules.check(u));
        }
        usersToRemap.add(userId);
        deleteUserProjects.setString(1, userId);
        deleteUserProjects.executeUpdate();
        if (u == null) {
            // The user is forgotten by the registry; dimensions only grow, so dim_user keeps the row.
            return;
        }
        dims.describeUser(userId, u.getDisplayName(), u.getGroupName());
        for (String project : u.getProjects()) {
            insertUserProject.setString(1, userId);
            insertUserProject.setLong(2, dims.projects.ensure(project));
            insertUserProject.executeUpdate();
        }
    }

    void write(CpuLabelChange change) throws InvalidChangeException, SQLException {
        CpuLabel label = change.label();
        if (label == null) {
            return; // a tombstone: dimensions only grow
        }
        InstanceLabel instance = instanceOf(label.getInstance());
        requireName("cloud_project_name", label.getCloudProjectName());
        requireName("machine_name", label.getMachineName());
        dims.ensureInstance(instance);
        long projectId = dims.projects.ensure(label.getCloudProjectName());
        long machineId = dims.machines.ensure(label.getMachineName());
        dims.ensureProjectMachine(projectId, machineId);
    }

    /** Recomputes map_user_project for every user this transaction touched. */
    void finishTransaction() throws SQLException {
        for (String userId : usersToRemap) {
            deleteUserMap.setString(1, userId);
            deleteUserMap.executeUpdate();
            rebuildUserMap.setString(1, userId);
            rebuildUserMap.executeUpdate();
        }
        usersToRemap.clear();
    }

    private void forgetWorkspace(String key) throws SQLException {
        remapPreviousOwner(key);
        deleteWorkspace.setString(1, key);
        deleteWorkspace.executeUpdate();
        deleteActive.setString(1, key);
        deleteActive.executeUpdate();
    }

    /** A workspace that changes owner or disappears may take a pair out of its former owner's map. */
    private void remapPreviousOwner(String key) throws SQLException {
        selectWorkspaceOwner.setString(1, key);
        try (ResultSet rs = selectWorkspaceOwner.executeQuery()) {
            if (rs.next() && rs.getString(1) != null) {
                usersToRemap.add(rs.getString(1));
            }
        }
    }

    private static InstanceLabel instanceOf(String raw) throws InvalidChangeException {
        try {
            return InstanceLabel.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidChangeException(e.getMessage());
        }
    }

    private static void requireName(String field, String value) throws InvalidChangeException {
        InvalidChangeException.unless(EventRules.name(field, value));
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {
            selectWorkspaceOwner,
            upsertWorkspace,
            deleteWorkspace,
            upsertActive,
            deleteActive,
            deleteUserProjects,
            insertUserProject,
            deleteUserMap,
            rebuildUserMap
        }) {
            ps.close();
        }
    }
}

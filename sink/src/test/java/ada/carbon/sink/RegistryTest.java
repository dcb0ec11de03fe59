package ada.carbon.sink;

import static ada.carbon.sink.FactsTest.row;
import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.label;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.scalar;
import static ada.carbon.sink.TestDb.user;
import static ada.carbon.sink.TestDb.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.sink.SinkChange.CpuLabelChange;
import ada.carbon.sink.SinkChange.UserChange;
import ada.carbon.sink.SinkChange.WorkspaceChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTest extends OpenDatabaseTest {
    private static final String HOST = "host-172-16-100-116.nubes.stfc.ac.uk:9100";

    @Test
    void cpuLabelsFillInstanceProjectMachineAndTheirPair() {
        db.apply(new SinkBatch()
                .add(new CpuLabelChange(label(HOST, "IDAaaS", "Muon")))
                .add(new CpuLabelChange(label("other:9100", "IDAaaS", "SANS")))
                .add(new CpuLabelChange(label(HOST, "IDAaaS", "Muon"))));

        assertThat(rows(file, "SELECT * FROM dim_instance ORDER BY instance_id"))
                .containsExactly(
                        row(
                                "instance_id",
                                1,
                                "host",
                                "host-172-16-100-116.nubes.stfc.ac.uk",
                                "port",
                                9100,
                                "raw_label",
                                HOST),
                        row("instance_id", 2, "host", "other", "port", 9100, "raw_label", "other:9100"));
        assertThat(rows(file, "SELECT * FROM dim_project"))
                .containsExactly(row("project_id", 1, "cloud_project_name", "IDAaaS"));
        assertThat(rows(file, "SELECT * FROM dim_machine ORDER BY machine_id"))
                .containsExactly(
                        row("machine_id", 1, "machine_name", "Muon"), row("machine_id", 2, "machine_name", "SANS"));
        assertThat(rows(file, "SELECT * FROM map_project_machine ORDER BY machine_id"))
                .containsExactly(row("project_id", 1, "machine_id", 1), row("project_id", 1, "machine_id", 2));
    }

    @Test
    void instanceLabelsAreSplitIntoHostAndPort() {
        SinkBatch batch = new SinkBatch();
        for (String raw : List.of("host:9100", "[::1]:9100", "bare-host", "fe80::1", "[fe80::2]")) {
            batch.add(new CpuLabelChange(label(raw, "P", "M")));
        }
        db.apply(batch);

        assertThat(rows(file, "SELECT raw_label, host, port FROM dim_instance ORDER BY instance_id"))
                .containsExactly(
                        row("raw_label", "host:9100", "host", "host", "port", 9100),
                        row("raw_label", "[::1]:9100", "host", "::1", "port", 9100),
                        row("raw_label", "bare-host", "host", "bare-host", "port", null),
                        row("raw_label", "fe80::1", "host", "fe80::1", "port", null),
                        row("raw_label", "[fe80::2]", "host", "fe80::2", "port", null));
    }

    @Test
    void anUnparseableInstanceIsSkipped() {
        ApplyResult result = db.apply(new SinkBatch()
                .add(new CpuLabelChange(label("host:notaport", "P", "M")))
                .add(WorkspaceChange.of(workspace("w1", "[::1", "u", "P", "M", "2025-09-11T09:00:00Z", null))));
        assertThat(result)
                .extracting(ApplyResult::applied, ApplyResult::skipped)
                .containsExactly(0, 2);
        assertThat(count(file, "SELECT * FROM dim_instance")).isZero();
        assertThat(count(file, "SELECT * FROM dim_project")).isZero();
    }

    @Test
    void idsAreAssignedInArrivalOrderAcrossTopicsAndNeverChange() {
        db.apply(new SinkBatch()
                .add(UserChange.of(user("u1", "U One", "G1", "Zeta", "Alpha")))
                .add(new CpuLabelChange(label("h:1", "Beta", "M")))
                .add(WorkspaceChange.of(workspace("w1", "h:2", "u2", "Alpha", "N", "2025-09-11T09:00:00Z", null)))
                .add(UserChange.of(user("u3", null, "G0"))));
        db.apply(new SinkBatch().add(new CpuLabelChange(label("h:3", "Gamma", "N"))));

        assertThat(rows(file, "SELECT cloud_project_name FROM dim_project ORDER BY project_id"))
                .extracting(r -> r.get("cloud_project_name"))
                .containsExactly("Zeta", "Alpha", "Beta", "Gamma");
        assertThat(rows(file, "SELECT machine_name FROM dim_machine ORDER BY machine_id"))
                .extracting(r -> r.get("machine_name"))
                .containsExactly("M", "N");
        assertThat(rows(file, "SELECT group_name FROM dim_group ORDER BY group_id"))
                .extracting(r -> r.get("group_name"))
                .containsExactly("G1", "G0");
        assertThat(rows(file, "SELECT raw_label FROM dim_instance ORDER BY instance_id"))
                .extracting(r -> r.get("raw_label"))
                .containsExactly("h:1", "h:2", "h:3");
    }

    @Test
    void usersAreDescribedByTheirLatestEventAndOwnersAppearUndescribed() {
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(
                        workspace("w1", HOST, "bb000001", "IDAaaS", "Muon", "2025-09-11T09:00:00Z", null)))
                .add(UserChange.of(user("aa123456", "Andrew Smith", "RB2410001", "IDAaaS")))
                .add(UserChange.of(user("cc000002", "Carol", "RB2410001"))));

        assertThat(rows(
                        file,
                        "SELECT user_id, display_name, group_name FROM dim_user LEFT JOIN dim_group USING (group_id) "
                                + "ORDER BY user_id"))
                .containsExactly(
                        row("user_id", "aa123456", "display_name", "Andrew Smith", "group_name", "RB2410001"),
                        row("user_id", "bb000001", "display_name", null, "group_name", null),
                        row("user_id", "cc000002", "display_name", "Carol", "group_name", "RB2410001"));
        assertThat(count(file, "SELECT * FROM dim_group")).isEqualTo(1);

        // A later event replaces the description, a null group included; a workspace never clears it.
        db.apply(new SinkBatch()
                .add(UserChange.of(user("aa123456", "A. Smith", null)))
                .add(WorkspaceChange.of(
                        workspace("w2", HOST, "cc000002", "IDAaaS", "Muon", "2025-09-11T09:00:00Z", null))));
        assertThat(rows(file, "SELECT user_id, display_name, group_id FROM dim_user ORDER BY user_id"))
                .containsExactly(
                        row("user_id", "aa123456", "display_name", "A. Smith", "group_id", null),
                        row("user_id", "bb000001", "display_name", null, "group_id", null),
                        row("user_id", "cc000002", "display_name", "Carol", "group_id", 1));
        assertThat(count(file, "SELECT * FROM dim_group")).isEqualTo(1);
    }

    @Test
    void userProjectsAreTheUnionOfTheLatestUserEventAndEveryWorkspace() {
        db.apply(new SinkBatch()
                .add(UserChange.of(user("u", "U", null, "A", "B")))
                .add(WorkspaceChange.of(workspace("w1", HOST, "u", "C", "Muon", "2025-09-11T09:00:00Z", null))));
        assertThat(projectsOf("u")).containsExactly("A", "B", "C");

        // B is dropped by the user's later event; C stays as long as a workspace pairs them.
        db.apply(new SinkBatch().add(UserChange.of(user("u", "U", null, "A"))));
        assertThat(projectsOf("u")).containsExactly("A", "C");

        // A deleted workspace still pairs its owner with its project.
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(
                        workspace("w2", HOST, "u", "B", "Muon", "2025-09-10T09:00:00Z", "2025-09-10T18:00:00Z")))
                .add(UserChange.of(user("u", "U", null))));
        assertThat(projectsOf("u")).containsExactly("B", "C");

        // A workspace that changes owner moves its pair from the old owner to the new one.
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(workspace("w1", HOST, "v", "C", "Muon", "2025-09-11T09:00:00Z", null))));
        assertThat(projectsOf("u")).containsExactly("B");
        assertThat(projectsOf("v")).containsExactly("C");

        // ... unless the user event names it too.
        db.apply(new SinkBatch().add(UserChange.of(user("v", "V", null, "C", "D"))));
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(workspace("w1", HOST, null, "C", "Muon", "2025-09-11T09:00:00Z", null))));
        assertThat(projectsOf("v")).containsExactly("C", "D");

        // Forgetting a workspace or a user (tombstones) takes their side of the union away.
        db.apply(new SinkBatch().add(new WorkspaceChange("w2", null)).add(new UserChange("v", null)));
        assertThat(projectsOf("u")).isEmpty();
        assertThat(projectsOf("v")).isEmpty();
        assertThat(count(file, "SELECT * FROM dim_user")).isEqualTo(2);
    }

    @Test
    void theUnionRuleHoldsWithinOneBatch() {
        db.apply(new SinkBatch()
                .add(UserChange.of(user("u", "U", null, "A", "B")))
                .add(WorkspaceChange.of(workspace("w1", HOST, "u", "C", "Muon", "2025-09-11T09:00:00Z", null)))
                .add(UserChange.of(user("u", "U", null, "A"))));
        assertThat(projectsOf("u")).containsExactly("A", "C");
    }

    @Test
    void workspacesFillTheirDimensions() {
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(
                        workspace("w1", "[::1]:9100", "aa123456", "IDAaaS", "Muon", "2025-09-11T09:00:00Z", null))));
        assertThat(rows(file, "SELECT host, port, raw_label FROM dim_instance"))
                .containsExactly(row("host", "::1", "port", 9100, "raw_label", "[::1]:9100"));
        assertThat(scalar(file, "SELECT cloud_project_name FROM dim_project")).isEqualTo("IDAaaS");
        assertThat(scalar(file, "SELECT machine_name FROM dim_machine")).isEqualTo("Muon");
        assertThat(rows(file, "SELECT * FROM map_project_machine"))
                .containsExactly(row("project_id", 1, "machine_id", 1));
        assertThat(rows(file, "SELECT * FROM map_user_project"))
                .containsExactly(row("user_id", "aa123456", "project_id", 1));
    }

    @Test
    void activeWorkspaceFollowsTheLatestEventsDeletedTime() {
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(workspace(
                        "65f1c0de9a1b2c3d4e5f6a7b", HOST, "aa123456", "IDAaaS", "Muon", "2025-09-11T09:00Z", null)))
                .add(WorkspaceChange.of(
                        workspace("pool", "other:9100", null, "CDAaaS", "SANS", "2025-09-11T08:30:00Z", null)))
                .add(WorkspaceChange.of(workspace(
                        "gone",
                        "other:9100",
                        "bb",
                        "CDAaaS",
                        "SANS",
                        "2025-09-10T08:00:00Z",
                        "2025-09-10T09:00:00Z"))));

        List<Map<String, Object>> active = rows(
                file,
                "SELECT a.workspace_id, a.workspace_key, i.raw_label, m.machine_name, "
                        + "a.user_id, p.cloud_project_name, a.started_at FROM active_workspace a "
                        + "JOIN dim_instance i USING (instance_id) JOIN dim_machine m USING (machine_id) "
                        + "LEFT JOIN dim_project p USING (project_id) ORDER BY a.workspace_id");
        assertThat(active)
                .containsExactly(
                        row(
                                "workspace_id",
                                1,
                                "workspace_key",
                                "65f1c0de9a1b2c3d4e5f6a7b",
                                "raw_label",
                                HOST,
                                "machine_name",
                                "Muon",
                                "user_id",
                                "aa123456",
                                "cloud_project_name",
                                "IDAaaS",
                                "started_at",
                                "2025-09-11T09:00:00Z"),
                        row(
                                "workspace_id",
                                2,
                                "workspace_key",
                                "pool",
                                "raw_label",
                                "other:9100",
                                "machine_name",
                                "SANS",
                                "user_id",
                                null,
                                "cloud_project_name",
                                "CDAaaS",
                                "started_at",
                                "2025-09-11T08:30:00Z"));

        // The same workspace, now deleted, leaves; the other stays with its id.
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(workspace(
                        "65f1c0de9a1b2c3d4e5f6a7b",
                        HOST,
                        "aa123456",
                        "IDAaaS",
                        "Muon",
                        "2025-09-11T09:00:00Z",
                        "2025-09-11T12:00:00Z"))));
        assertThat(rows(file, "SELECT workspace_id, workspace_key FROM active_workspace"))
                .containsExactly(row("workspace_id", 2, "workspace_key", "pool"));

        // A pool workspace claimed later: same row, now with its owner.
        db.apply(new SinkBatch()
                .add(WorkspaceChange.of(
                        workspace("pool", "other:9100", "cc", "CDAaaS", "SANS", "2025-09-11T08:30:00Z", null))));
        assertThat(rows(file, "SELECT workspace_id, workspace_key, user_id FROM active_workspace"))
                .containsExactly(row("workspace_id", 2, "workspace_key", "pool", "user_id", "cc"));

        db.apply(new SinkBatch().add(new WorkspaceChange("pool", null)));
        assertThat(count(file, "SELECT * FROM active_workspace")).isZero();
        // Every workspace ever seen is kept for map_user_project; the deleted one still pairs its owner.
        assertThat(projectsOf("bb")).containsExactly("CDAaaS");
        assertThat(projectsOf("aa123456")).containsExactly("IDAaaS");
    }

    private List<String> projectsOf(String userId) {
        return rows(
                        file,
                        "SELECT cloud_project_name FROM map_user_project JOIN dim_project USING (project_id) "
                                + "WHERE user_id = '" + userId + "' ORDER BY cloud_project_name")
                .stream()
                .map(r -> (String) r.get("cloud_project_name"))
                .toList();
    }
}

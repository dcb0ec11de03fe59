package ada.carbon.aggregator.flow;

import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;

/** What the host stage sends on: changes for the bucket stage, records for the sink, dead letters. */
public sealed interface HostOutput
        permits BucketChange, HostOutput.NewLabel, HostOutput.Workspace, HostOutput.User, Rejected {

    /** A cpu label ((instance, project, machine)) not passed on before. */
    record NewLabel(CpuLabel label) implements HostOutput {}

    /** The latest record of a workspace. */
    record Workspace(WorkspaceEvent workspace) implements HostOutput {}

    /** The latest record of a user. */
    record User(UserEvent user) implements HostOutput {}
}

package ada.carbon.sink;

import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;

/**
 * One record of an output topic, as the database applies it. A null value is a tombstone. A null key
 * falls back to the identity the value carries, so a producer that forgot the key loses nothing.
 */
public sealed interface SinkChange {

    /** {@code ada.facts}: the absolute figures of one fact_usage row, or null to delete it. */
    record FactChange(FactId id, Fact fact) implements SinkChange {
        public static FactChange upsert(Fact fact) {
            return new FactChange(new FactId(fact.getScope(), fact.getTs(), fact.getEntity()), fact);
        }

        public static FactChange delete(FactId id) {
            return new FactChange(id, null);
        }
    }

    /** {@code ada.slot-intensity}: one fact_intensity row, or null to delete it. */
    record SlotChange(SlotId id, SlotIntensity slot) implements SinkChange {
        public static SlotChange upsert(SlotIntensity slot) {
            return new SlotChange(new SlotId(slot.getTs()), slot);
        }
    }

    /** {@code ada.workspaces}: the latest event of one workspace, or null when it is forgotten. */
    record WorkspaceChange(String workspaceKey, WorkspaceEvent workspace) implements SinkChange {
        public static WorkspaceChange of(WorkspaceEvent workspace) {
            return new WorkspaceChange(workspace.getWorkspaceKey(), workspace);
        }
    }

    /** {@code ada.users}: the latest event of one user, or null when it is forgotten. */
    record UserChange(String userId, UserEvent user) implements SinkChange {
        public static UserChange of(UserEvent user) {
            return new UserChange(user.getUserId(), user);
        }
    }

    /** {@code ada.cpu-labels}: an (instance, project, machine) seen in cpu events; dimensions only. */
    record CpuLabelChange(CpuLabel label) implements SinkChange {}
}

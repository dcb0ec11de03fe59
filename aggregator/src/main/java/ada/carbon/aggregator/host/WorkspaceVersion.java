package ada.carbon.aggregator.host;

import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.avro.WorkspaceEvent;

/**
 * A workspace record and where it stands among the versions of its workspace (SPEC 1.3: a later record
 * replaces an earlier one). Versions read from one partition are in the order they were published: the
 * later offset wins. A workspace that moved to a host of another partition has its versions on two
 * partitions, which Kafka does not order; there the later publication time wins (ties: the higher
 * partition, then offset), so that every host partition keeps the same version, whatever order it read them in.
 *
 * @param published the record's Kafka timestamp, or {@link RawEvent#UNKNOWN}
 */
public record WorkspaceVersion(WorkspaceEvent workspace, long published, int partition, long offset) {

    static WorkspaceVersion of(RawEvent raw) {
        return new WorkspaceVersion(
                (WorkspaceEvent) raw.event(),
                raw.published(),
                raw.origin().partition(),
                raw.origin().offset());
    }

    /** Whether this version replaces {@code other}. */
    boolean replaces(WorkspaceVersion other) {
        if (partition == other.partition) {
            return offset > other.offset;
        }
        if (published != other.published) {
            return published > other.published;
        }
        return partition > other.partition;
    }
}

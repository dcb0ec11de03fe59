package ada.carbon.aggregator.codec;

import ada.carbon.aggregator.host.WorkspaceVersion;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.BinaryCursor;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The host stage's stored workspaces: where each version stands, then the record itself (Avro). */
public final class WorkspaceVersionSerde {
    public static final Serde<WorkspaceVersion> SERDE = Serdes.serdeFrom(
            (topic, v) -> v == null
                    ? null
                    : new BinaryCursor.Writer(128)
                            .varLong(v.published())
                            .varLong(v.partition())
                            .varLong(v.offset())
                            .bytes(AdaSerdes.WORKSPACE_EVENT.serialize(topic, v.workspace()))
                            .toArray(),
            (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                try {
                    BinaryCursor in = new BinaryCursor(bytes, 0);
                    long published = in.varLong();
                    int partition = in.count(Integer.MAX_VALUE);
                    long offset = in.varLong();
                    return new WorkspaceVersion(
                            AdaSerdes.WORKSPACE_EVENT.deserialize(topic, in.bytes()), published, partition, offset);
                } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                    throw new SerializationException("not a readable stored workspace: " + e.getMessage(), e);
                }
            });

    private WorkspaceVersionSerde() {}
}

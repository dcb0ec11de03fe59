package ada.carbon.schemas;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The Serde of every record ada-carbon puts on Kafka, in one place. All are thread-safe. */
public final class AdaSerdes {
    public static final AvroSerde<CpuEvent> CPU_EVENT = of(CpuEvent.class, CpuEvent.getClassSchema());
    public static final AvroSerde<IntensityEvent> INTENSITY_EVENT =
            of(IntensityEvent.class, IntensityEvent.getClassSchema());
    public static final AvroSerde<WorkspaceEvent> WORKSPACE_EVENT =
            of(WorkspaceEvent.class, WorkspaceEvent.getClassSchema());
    public static final AvroSerde<UserEvent> USER_EVENT = of(UserEvent.class, UserEvent.getClassSchema());
    public static final AvroSerde<FactId> FACT_ID = of(FactId.class, FactId.getClassSchema());
    public static final AvroSerde<Fact> FACT = of(Fact.class, Fact.getClassSchema());
    public static final AvroSerde<SlotId> SLOT_ID = of(SlotId.class, SlotId.getClassSchema());
    public static final AvroSerde<SlotIntensity> SLOT_INTENSITY =
            of(SlotIntensity.class, SlotIntensity.getClassSchema());
    public static final AvroSerde<CpuLabel> CPU_LABEL = of(CpuLabel.class, CpuLabel.getClassSchema());

    public static final Serde<String> STRING = Serdes.String();
    public static final Serde<byte[]> BYTES = Serdes.ByteArray();
    public static final Serde<Long> LONG = Serdes.Long();

    private AdaSerdes() {}

    private static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Schema schema) {
        return new AvroSerde<>(type, schema);
    }
}

package ada.carbon.schemas;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.FactId;
import ada.carbon.avro.Fact;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.CpuLabel;
import ada.carbon.avro.internal.PieceKey;
import ada.carbon.avro.internal.CpuPiece;
import ada.carbon.avro.internal.HostSlotKey;
import ada.carbon.avro.internal.HostSlotUsage;
import ada.carbon.avro.internal.BucketIntensity;
import ada.carbon.avro.internal.PricedUsage;
import ada.carbon.avro.internal.HostTenures;
import ada.carbon.avro.internal.HostSlotContributions;
import ada.carbon.avro.internal.FactDelta;
import ada.carbon.avro.internal.FactTotalsRecord;
import ada.carbon.avro.internal.Reading;
import ada.carbon.avro.internal.Tenure;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The Serde of every record ada-carbon puts on Kafka, in one place. All are thread-safe. */
public final class AdaSerdes {
    public static final AvroSerde<CpuEvent> CPU_EVENT = of(CpuEvent.class, CpuEvent.getClassSchema());
    public static final AvroSerde<IntensityEvent> INTENSITY_EVENT = of(IntensityEvent.class, IntensityEvent.getClassSchema());
    public static final AvroSerde<WorkspaceEvent> WORKSPACE_EVENT = of(WorkspaceEvent.class, WorkspaceEvent.getClassSchema());
    public static final AvroSerde<UserEvent> USER_EVENT = of(UserEvent.class, UserEvent.getClassSchema());
    public static final AvroSerde<FactId> FACT_ID = of(FactId.class, FactId.getClassSchema());
    public static final AvroSerde<Fact> FACT = of(Fact.class, Fact.getClassSchema());
    public static final AvroSerde<SlotId> SLOT_ID = of(SlotId.class, SlotId.getClassSchema());
    public static final AvroSerde<SlotIntensity> SLOT_INTENSITY = of(SlotIntensity.class, SlotIntensity.getClassSchema());
    public static final AvroSerde<CpuLabel> CPU_LABEL = of(CpuLabel.class, CpuLabel.getClassSchema());

    // The aggregator's internal topics and state stores.
    public static final AvroSerde<PieceKey> PIECE_KEY = of(PieceKey.class, PieceKey.getClassSchema());
    public static final AvroSerde<CpuPiece> CPU_PIECE = of(CpuPiece.class, CpuPiece.getClassSchema());
    public static final AvroSerde<HostSlotKey> HOST_SLOT_KEY = of(HostSlotKey.class, HostSlotKey.getClassSchema());
    public static final AvroSerde<HostSlotUsage> HOST_SLOT_USAGE = of(HostSlotUsage.class, HostSlotUsage.getClassSchema());
    public static final AvroSerde<BucketIntensity> BUCKET_INTENSITY = of(BucketIntensity.class, BucketIntensity.getClassSchema());
    public static final AvroSerde<PricedUsage> PRICED_USAGE = of(PricedUsage.class, PricedUsage.getClassSchema());
    public static final AvroSerde<HostTenures> HOST_TENURES = of(HostTenures.class, HostTenures.getClassSchema());
    public static final AvroSerde<HostSlotContributions> HOST_SLOT_CONTRIBUTIONS = of(HostSlotContributions.class, HostSlotContributions.getClassSchema());
    public static final AvroSerde<FactDelta> FACT_DELTA = of(FactDelta.class, FactDelta.getClassSchema());
    public static final AvroSerde<FactTotalsRecord> FACT_TOTALS_RECORD = of(FactTotalsRecord.class, FactTotalsRecord.getClassSchema());

    public static final AvroSerde<Reading> READING = of(Reading.class, Reading.getClassSchema());
    public static final AvroSerde<Tenure> TENURE = of(Tenure.class, Tenure.getClassSchema());

    public static final Serde<String> STRING = Serdes.String();
    public static final Serde<byte[]> BYTES = Serdes.ByteArray();
    public static final Serde<Long> LONG = Serdes.Long();

    private AdaSerdes() {}

    private static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Schema schema) {
        return new AvroSerde<>(type, schema);
    }
}

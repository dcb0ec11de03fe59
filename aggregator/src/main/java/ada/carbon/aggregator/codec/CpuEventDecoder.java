package ada.carbon.aggregator.codec;

import ada.carbon.avro.CpuEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.AvroSerde;
import ada.carbon.schemas.BinaryCursor;
import java.time.Instant;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code cpu} events written with the current schema straight from their bytes; anything else
 * (an older schema, bytes that are not an event) goes through {@link AvroSerde}, which resolves schemas
 * and says what is wrong. The result is the same either way; this only skips Avro's general machinery
 * (resolving decoder, logical-type conversions, Utf8), which was a tenth of the aggregator's time: a
 * backfill is millions of cpu events.
 */
public final class CpuEventDecoder implements Deserializer<CpuEvent> {
    /** Reads what {@link AdaSerdes#CPU_EVENT} reads, the same; faster for events of the current schema. */
    public static final CpuEventDecoder CURRENT = new CpuEventDecoder(AdaSerdes.CPU_EVENT);

    private static final int HEADER = AvroSerde.HEADER;
    private final long fingerprint = SchemaNormalization.parsingFingerprint64(CpuEvent.getClassSchema());
    private final AvroSerde<CpuEvent> avro;

    private CpuEventDecoder(AvroSerde<CpuEvent> avro) {
        this.avro = avro;
    }

    @Override
    public CpuEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        CpuEvent event = data.length > HEADER && currentSchema(data) ? readCurrent(data) : null;
        return event != null ? event : avro.deserialize(topic, data);
    }

    /**
     * The event's {@code ts} in epoch milliseconds, or {@link EventTimes#UNKNOWN} when the bytes do not
     * read as an event. The time alone, read without building the event: it is asked of every cpu record.
     */
    long eventTime(byte[] data) {
        if (data == null) {
            return EventTimes.UNKNOWN;
        }
        if (data.length > HEADER && currentSchema(data)) {
            BinaryCursor in = new BinaryCursor(data, HEADER);
            try {
                in.skipString();
                in.skipString();
                in.skipString();
                return in.varLong();
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
                return EventTimes.UNKNOWN;
            }
        }
        try {
            return avro.deserialize(null, data).getTs().toEpochMilli();
        } catch (RuntimeException e) {
            return EventTimes.UNKNOWN;
        }
    }

    private boolean currentSchema(byte[] b) {
        return b[0] == (byte) 0xC3 && b[1] == 0x01 && AvroSerde.fingerprintOf(b) == fingerprint;
    }

    /** The event, or null when the bytes do not read as one (Avro then says why). */
    private static CpuEvent readCurrent(byte[] b) {
        BinaryCursor in = new BinaryCursor(b, HEADER);
        try {
            String instance = in.string();
            String project = in.string();
            String machine = in.string();
            long ts = in.varLong();
            long period = in.varLong();
            double busy = in.float64();
            double idle = in.float64();
            return in.atEnd()
                    ? new CpuEvent(instance, project, machine, Instant.ofEpochMilli(ts), period, busy, idle)
                    : null;
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }
}

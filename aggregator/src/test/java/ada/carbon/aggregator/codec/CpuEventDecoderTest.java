package ada.carbon.aggregator.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The fast path must read exactly what Avro reads, and leave everything else to Avro. */
class CpuEventDecoderTest {
    private static final CpuEvent EVENT =
            new CpuEvent("host-a:9100", "IDAaaS", "Muon", Instant.parse("2025-09-11T10:00:00Z"), 300L, 123.4, 3456.7);

    @Property(tries = 500)
    void readsWhatAvroReads(
            @ForAll String instance,
            @ForAll String project,
            @ForAll String machine,
            @ForAll long ts,
            @ForAll long period,
            @ForAll double busy,
            @ForAll double idle) {
        CpuEvent event = new CpuEvent(instance, project, machine, Instant.ofEpochMilli(ts), period, busy, idle);
        byte[] bytes = AdaSerdes.CPU_EVENT.serialize("t", event);
        CpuEvent read = CpuEventDecoder.CURRENT.deserialize("t", bytes);
        assertThat(read).isEqualTo(AdaSerdes.CPU_EVENT.deserialize("t", bytes)).isEqualTo(event);
        assertThat(Double.doubleToRawLongBits(read.getBusyCpuSeconds())).isEqualTo(Double.doubleToRawLongBits(busy));
    }

    @Test
    void anEventOfAnotherSchemaVersionIsReadThroughAvro() throws IOException {
        // The same fields in another order: another fingerprint; read field by field only through resolution.
        Schema reordered = new Schema.Parser().parse("""
                {"type":"record","name":"CpuEvent","namespace":"ada.carbon.avro","fields":[
                 {"name":"machine_name","type":"string"},
                 {"name":"instance","type":"string"},
                 {"name":"cloud_project_name","type":"string"},
                 {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
                 {"name":"period_seconds","type":"long"},
                 {"name":"busy_cpu_seconds","type":"double"},
                 {"name":"idle_cpu_seconds","type":"double"}]}""");
        GenericRecord old = new GenericData.Record(reordered);
        old.put("machine_name", "Muon");
        old.put("instance", "host-a:9100");
        old.put("cloud_project_name", "IDAaaS");
        old.put("ts", EVENT.getTs().toEpochMilli());
        old.put("period_seconds", 300L);
        old.put("busy_cpu_seconds", 123.4);
        old.put("idle_cpu_seconds", 3456.7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), reordered).encode(old, out);
        SchemaHistory.add(reordered);
        assertThat(CpuEventDecoder.CURRENT.deserialize("t", out.toByteArray())).isEqualTo(EVENT);
    }

    @Test
    void brokenBytesAreRefusedAsAvroRefusesThem() {
        byte[] good = AdaSerdes.CPU_EVENT.serialize("t", EVENT);
        for (byte[] bad : new byte[][] {
            Arrays.copyOf(good, good.length - 1),
            Arrays.copyOf(good, 12),
            Arrays.copyOf(good, 10),
            "{\"kind\":\"cpu\"}".getBytes()
        }) {
            assertThatThrownBy(() -> CpuEventDecoder.CURRENT.deserialize("t", bad))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("not a readable CpuEvent");
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThat(CpuEventDecoder.CURRENT.deserialize("t", longer))
                .as("as Avro: a trailing byte is ignored")
                .isEqualTo(AdaSerdes.CPU_EVENT.deserialize("t", longer));
        assertThat(CpuEventDecoder.CURRENT.deserialize("t", null)).isNull();
    }
}

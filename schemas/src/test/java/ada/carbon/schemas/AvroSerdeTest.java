package ada.carbon.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void roundTripsAnEventAndWritesTheSingleObjectMarker() {
        var event = new CpuEvent("host-a:9100", "IDAaaS", "Muon", Instant.parse("2025-09-11T10:00:00Z"), 300L, 123.4, 3456.7);
        byte[] bytes = AdaSerdes.CPU_EVENT.serialize("t", event);
        // Avro single-object encoding: C3 01, then the 8-byte fingerprint of the writer schema.
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(AdaSerdes.CPU_EVENT.deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(AdaSerdes.FACT.serialize("t", null)).isNull();
        assertThat(AdaSerdes.FACT.deserialize("t", null)).isNull();
    }

    @Test
    void bytesThatAreNotOurAvroAreRefusedWithAClearError() {
        assertThatThrownBy(() -> AdaSerdes.CPU_EVENT.deserialize("t", "{\"kind\":\"cpu\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a readable CpuEvent");
        byte[] user = AdaSerdes.USER_EVENT.serialize("t", new UserEvent("aa1", null, null, List.of()));
        assertThatThrownBy(() -> AdaSerdes.CPU_EVENT.deserialize("t", user))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aLengthThatClaimsMoreThanTheRecordHasIsRefusedBeforeAnythingIsAllocated() {
        byte[] valid = AdaSerdes.USER_EVENT.serialize("t", new UserEvent("u", null, null, List.of("P")));
        byte[] header = java.util.Arrays.copyOf(valid, AvroSerde.HEADER);
        // user_id claims 2 GB; then a projects array claiming two billion items.
        byte[] stringBomb = concat(header, new BinaryCursor.Writer(16).varLong(Integer.MAX_VALUE - 8)
                .bytes("u".getBytes()).toArray());
        byte[] arrayBomb = concat(header, new BinaryCursor.Writer(16).bytes("u".getBytes()).varLong(0).varLong(0)
                .varLong(Integer.MAX_VALUE - 8).bytes("P".getBytes()).varLong(0).toArray());
        for (byte[] bomb : List.of(stringBomb, arrayBomb)) {
            long before = allocatedByThisThread();
            assertThatThrownBy(() -> AdaSerdes.USER_EVENT.deserialize("t", bomb))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("not a readable UserEvent");
            assertThat(allocatedByThisThread() - before).as("bytes allocated decoding a %d-byte bomb", bomb.length)
                    .isLessThan(1 << 20);
        }
        assertThat(AdaSerdes.USER_EVENT.deserialize("t", valid).getProjects()).containsExactly("P");
    }

    private static long allocatedByThisThread() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aMessageWrittenWithAnOlderSchemaVersionStaysReadable() throws IOException {
        // An earlier UserEvent without the projects array, as a producer built before it was added wrote it.
        Schema v0 = new Schema.Parser().parse("""
                {"type":"record","name":"UserEvent","namespace":"ada.carbon.avro","fields":[
                 {"name":"user_id","type":"string"},
                 {"name":"display_name","type":["null","string"],"default":null},
                 {"name":"group_name","type":["null","string"],"default":null}]}""");
        GenericRecord old = new GenericData.Record(v0);
        old.put("user_id", "aa123456");
        old.put("display_name", "Andrew Smith");
        old.put("group_name", "RB2410001");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old, out);

        assertThatThrownBy(() -> AdaSerdes.USER_EVENT.deserialize("t", out.toByteArray()))
                .as("unknown to the store before it is added").isInstanceOf(SerializationException.class);
        SchemaHistory.add(v0);
        UserEvent read = AdaSerdes.USER_EVENT.deserialize("t", out.toByteArray());
        assertThat(read.getUserId()).isEqualTo("aa123456");
        assertThat(read.getGroupName()).isEqualTo("RB2410001");
        assertThat(read.getProjects()).isEmpty();
    }

    @Test
    void anIntensityEventWrittenBeforeItHadARegionReadsAsTheNationalSeries() throws IOException {
        // The version in the schema history, as producers built before `region` was added write it.
        Schema v1;
        try (InputStream in = getClass().getResourceAsStream("/ada/carbon/schemas/history/IntensityEvent.v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        assertThat(v1.getField("region")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("from", Instant.parse("2025-09-11T10:00:00Z").toEpochMilli());
        old.put("to", Instant.parse("2025-09-11T10:30:00Z").toEpochMilli());
        old.put("forecast", 185.0);
        old.put("actual", 190.0);
        old.put("index", "moderate");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, out);

        IntensityEvent read = AdaSerdes.INTENSITY_EVENT.deserialize("t", out.toByteArray());
        assertThat(read).isEqualTo(new IntensityEvent(Instant.parse("2025-09-11T10:00:00Z"),
                Instant.parse("2025-09-11T10:30:00Z"), 185.0, 190.0, "moderate", null));
        assertThat(read.getRegion()).isNull();
    }
}

package ada.carbon.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (a marker, the writer schema's fingerprint, then the binary datum), read
 * back against the current schema through {@link SchemaHistory}. A null value is a tombstone both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    static {
        // Avro refuses to instantiate classes it is not told to trust; ours are generated from our schemas.
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(current, type -> type.getName().startsWith("ada.carbon.avro.")));
    }

    /** Single-object encoding: the marker C3 01, then the writer schema's 64-bit fingerprint, little-endian. */
    public static final int HEADER = 10;

    private final Class<T> type;
    private final Schema schema;
    private final long fingerprint;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Class<T> type, Schema schema) {
        this.type = type;
        this.schema = schema;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, SchemaHistory.store());
        this.decoder.addSchema(schema);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            checkBounds(data);
            return decoder.decode(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a readable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a datum whose lengths claim more than its bytes before Avro allocates them ({@link AvroBounds}).
     * A message of a schema the store does not know is left to the decoder, which says so.
     */
    private void checkBounds(byte[] data) {
        if (data.length < HEADER || data[0] != (byte) 0xC3 || data[1] != 0x01) {
            return; // not single-object encoded: the decoder refuses it without reading a length
        }
        long writerFingerprint = fingerprintOf(data);
        Schema writer = writerFingerprint == fingerprint
                ? schema
                : SchemaHistory.store().findByFingerprint(writerFingerprint);
        if (writer != null) {
            AvroBounds.check(data, HEADER, writer);
        }
    }

    public static long fingerprintOf(byte[] data) {
        long f = 0;
        for (int i = HEADER - 1; i >= 2; i--) {
            f = (f << 8) | (data[i] & 0xFF);
        }
        return f;
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Configured by construction.
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}

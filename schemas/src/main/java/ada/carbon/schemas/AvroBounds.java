package ada.carbon.schemas;

import org.apache.avro.Schema;

/**
 * Walks an Avro binary datum against its writer schema without building anything, and refuses it when a
 * length or count claims more than the bytes that are left (SPEC 2.7). Avro itself allocates a string,
 * bytes or array of the claimed size before it reads it, so a 20-byte record claiming a 2 GB string would
 * exhaust the heap in whichever thread decodes it; checked first, decoding never allocates more than the
 * record's own size. Every item of an array or map takes at least one byte in the schemas we keep, so a
 * count above the bytes left is malformed too.
 */
final class AvroBounds {
    private AvroBounds() {}

    /** @throws IllegalArgumentException naming what claims too much; also when the bytes end early */
    static void check(byte[] bytes, int offset, Schema writer) {
        BinaryCursor in = new BinaryCursor(bytes, offset);
        try {
            walk(in, writer, bytes.length);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the record ends before its " + writer.getName() + " does");
        }
    }

    private static void walk(BinaryCursor in, Schema s, int size) {
        switch (s.getType()) {
            case NULL -> {}
            case BOOLEAN -> in.skip(1);
            case INT, LONG, ENUM -> checkIndex(in.varLong(), s);
            case FLOAT -> in.skip(4);
            case DOUBLE -> in.skip(8);
            case STRING, BYTES -> in.skip(in.count(size - in.position()));
            case FIXED -> in.skip(s.getFixedSize());
            case RECORD -> s.getFields().forEach(f -> walk(in, f.schema(), size));
            case UNION -> {
                long branch = in.varLong();
                if (branch < 0 || branch >= s.getTypes().size()) {
                    throw new IllegalArgumentException(
                            "union branch " + branch + " of " + s.getTypes().size());
                }
                walk(in, s.getTypes().get((int) branch), size);
            }
            case ARRAY -> blocks(in, size, () -> walk(in, s.getElementType(), size));
            case MAP ->
                blocks(in, size, () -> {
                    in.skip(in.count(size - in.position()));
                    walk(in, s.getValueType(), size);
                });
        }
    }

    private static void checkIndex(long value, Schema s) {
        if (s.getType() == Schema.Type.ENUM
                && (value < 0 || value >= s.getEnumSymbols().size())) {
            throw new IllegalArgumentException(
                    "enum index " + value + " of " + s.getEnumSymbols().size());
        }
    }

    /** Avro's blocks of items: a count (negative: followed by the block's size in bytes), until a zero. */
    private static void blocks(BinaryCursor in, int size, Runnable item) {
        for (long count = in.varLong(); count != 0; count = in.varLong()) {
            if (count < 0) {
                count = -count;
                in.varLong();
            }
            if (count > size - in.position()) {
                throw new IllegalArgumentException(
                        "a block of " + count + " items in " + (size - in.position()) + " bytes");
            }
            for (long i = 0; i < count; i++) {
                item.run();
            }
        }
    }
}

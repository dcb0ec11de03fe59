package ada.carbon.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * The schema store behind single-object decoding: the current schemas plus every earlier version kept
 * under {@code resources/ada/carbon/schemas/history/} (listed in its {@code index.txt}). A message
 * written with any of them stays readable after a schema evolves. No registry is involved: the
 * message's fingerprint is looked up here.
 */
public final class SchemaHistory {
    private static final String DIR = "/ada/carbon/schemas/history/";
    private static final SchemaStore.Cache STORE = load();

    private SchemaHistory() {}

    public static SchemaStore store() {
        return STORE;
    }

    /** Adds a schema version; for tests of evolution and for services that ship extra history. */
    public static void add(Schema schema) {
        STORE.addSchema(schema);
    }

    private static SchemaStore.Cache load() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(DIR + "index.txt")) {
            if (index == null) {
                return cache;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try (InputStream in = SchemaHistory.class.getResourceAsStream(DIR + name)) {
                    if (in == null) {
                        throw new IllegalStateException("schema history lists " + name + " but it is missing");
                    }
                    cache.addSchema(new Schema.Parser().parse(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cache;
    }
}

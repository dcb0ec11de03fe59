package ada.carbon.ingest.source.testing;

import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Reads back what a {@code JsonLinesFileSink} wrote, failing on any line that is not an event. */
public final class JsonLinesFiles {
    private JsonLinesFiles() {}

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            ParseResult r = JsonEvents.parse(line);
            if (!(r instanceof ParseResult.Event e)) {
                throw new AssertionError("not an event line: " + line + " (" + r + ")");
            }
            if (!type.isInstance(e.record())) {
                throw new AssertionError("not a " + type.getSimpleName() + ": " + line);
            }
            out.add((T) e.record());
        }
        return out;
    }
}

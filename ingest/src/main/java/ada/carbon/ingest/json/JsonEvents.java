package ada.carbon.ingest.json;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Times;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON Lines form of the input events (SPEC 1) to and from their Avro records.
 * {@code parse(toJson(e))} equals {@code e} for every event. Thread-safe.
 */
public final class JsonEvents {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A line with two values, or a field given twice, is ambiguous: refuse it rather than guess.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    /** Whole numbers below this are written without a fraction, as the SPEC examples are. */
    private static final double EXACT_LONG_LIMIT = 1e15;

    private JsonEvents() {}

    public static ParseResult parse(String line) {
        if (line == null) {
            return new ParseResult.Failure("line is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return notJson(e);
        }
        return read(root);
    }

    /** Parses one line given as UTF-8 bytes, without first decoding it to a String. */
    public static ParseResult parse(byte[] utf8Line) {
        JsonNode root;
        try (JsonParser p = FACTORY.createParser(utf8Line)) {
            root = MAPPER.readTree(p);
        } catch (JsonProcessingException e) {
            return notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(root);
    }

    /** The SPEC 1 JSON form, {@code kind} first, times as {@code YYYY-MM-DDTHH:MM:SSZ}, one line. */
    public static String toJson(SpecificRecord event) {
        EventKind kind = EventKind.of(event);
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("kind", kind.jsonName());
            switch (kind) {
                case CPU -> writeCpu(g, (CpuEvent) event);
                case INTENSITY -> writeIntensity(g, (IntensityEvent) event);
                case WORKSPACE -> writeWorkspace(g, (WorkspaceEvent) event);
                case USER -> writeUser(g, (UserEvent) event);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static ParseResult notJson(JsonProcessingException e) {
        return new ParseResult.Failure("line is not JSON: " + e.getOriginalMessage());
    }

    private static ParseResult read(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            return new ParseResult.Failure("line is empty");
        }
        if (!root.isObject()) {
            return new ParseResult.Failure("line is not a JSON object");
        }
        try {
            JsonFields f = new JsonFields(root);
            String kindName = f.requiredString("kind");
            Optional<EventKind> kind = EventKind.ofJsonName(kindName);
            if (kind.isEmpty()) {
                return new ParseResult.Failure("unknown kind '" + kindName + "'");
            }
            SpecificRecord record = switch (kind.get()) {
                case CPU -> readCpu(f);
                case INTENSITY -> readIntensity(f);
                case WORKSPACE -> readWorkspace(f);
                case USER -> readUser(f);
            };
            return new ParseResult.Event(kind.get(), record);
        } catch (JsonFields.Malformed e) {
            return new ParseResult.Failure(e.getMessage());
        }
    }

    private static CpuEvent readCpu(JsonFields f) {
        return new CpuEvent(
                f.requiredString("instance"),
                f.requiredString("cloud_project_name"),
                f.requiredString("machine_name"),
                f.requiredTime("ts"),
                f.requiredWholeNumber("period_seconds"),
                f.requiredNumber("busy_cpu_seconds"),
                f.requiredNumber("idle_cpu_seconds"));
    }

    private static IntensityEvent readIntensity(JsonFields f) {
        return new IntensityEvent(
                f.requiredTime("from"),
                f.requiredTime("to"),
                f.optionalNumber("forecast"),
                f.optionalNumber("actual"),
                f.optionalString("index"),
                f.optionalInt("region"));
    }

    private static WorkspaceEvent readWorkspace(JsonFields f) {
        return new WorkspaceEvent(
                f.requiredString("workspace_key"),
                f.requiredString("instance"),
                f.optionalString("owner"),
                f.requiredString("cloud_project_name"),
                f.requiredString("machine_name"),
                f.requiredTime("created_time"),
                f.optionalTime("deleted_time"));
    }

    private static UserEvent readUser(JsonFields f) {
        return new UserEvent(
                f.requiredString("user_id"),
                f.optionalString("display_name"),
                f.optionalString("group_name"),
                f.stringList("projects"));
    }

    private static void writeCpu(JsonGenerator g, CpuEvent e) throws IOException {
        g.writeStringField("instance", e.getInstance());
        g.writeStringField("cloud_project_name", e.getCloudProjectName());
        g.writeStringField("machine_name", e.getMachineName());
        writeTime(g, "ts", e.getTs());
        g.writeNumberField("period_seconds", e.getPeriodSeconds());
        writeNumber(g, "busy_cpu_seconds", e.getBusyCpuSeconds());
        writeNumber(g, "idle_cpu_seconds", e.getIdleCpuSeconds());
    }

    private static void writeIntensity(JsonGenerator g, IntensityEvent e) throws IOException {
        writeTime(g, "from", e.getFrom());
        writeTime(g, "to", e.getTo());
        writeNumber(g, "forecast", e.getForecast());
        writeNumber(g, "actual", e.getActual());
        g.writeStringField("index", e.getIndex());
        // Absent for the national series: its lines read as they did before regions existed.
        if (e.getRegion() != null) {
            g.writeNumberField("region", e.getRegion());
        }
    }

    private static void writeWorkspace(JsonGenerator g, WorkspaceEvent e) throws IOException {
        g.writeStringField("workspace_key", e.getWorkspaceKey());
        g.writeStringField("instance", e.getInstance());
        g.writeStringField("owner", e.getOwner());
        g.writeStringField("cloud_project_name", e.getCloudProjectName());
        g.writeStringField("machine_name", e.getMachineName());
        writeTime(g, "created_time", e.getCreatedTime());
        writeTime(g, "deleted_time", e.getDeletedTime());
    }

    private static void writeUser(JsonGenerator g, UserEvent e) throws IOException {
        g.writeStringField("user_id", e.getUserId());
        g.writeStringField("display_name", e.getDisplayName());
        g.writeStringField("group_name", e.getGroupName());
        g.writeArrayFieldStart("projects");
        for (String p : e.getProjects()) {
            g.writeString(p);
        }
        g.writeEndArray();
    }

    private static void writeTime(JsonGenerator g, String name, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(name);
        } else if (t.getNano() == 0) {
            g.writeStringField(name, Times.format(t));
        } else {
            // Sub-second times are rare but must survive the round trip; ISO-8601 keeps them.
            g.writeStringField(name, t.toString());
        }
    }

    private static void writeNumber(JsonGenerator g, String name, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else if (v == Math.rint(v) && Math.abs(v) < EXACT_LONG_LIMIT && !isNegativeZero(v)) {
            g.writeNumberField(name, v.longValue());
        } else {
            g.writeNumberField(name, v.doubleValue());
        }
    }

    private static boolean isNegativeZero(double v) {
        return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0);
    }
}

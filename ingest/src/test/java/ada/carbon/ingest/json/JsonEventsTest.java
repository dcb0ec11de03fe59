package ada.carbon.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.EventKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonEventsTest {
    // SPEC 1.1-1.4, verbatim (joined onto one line each).
    static final String SPEC_CPU = "{\"kind\":\"cpu\",\"instance\":\"host-172-16-100-116.nubes.stfc.ac.uk:9100\","
            + " \"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
            + " \"ts\":\"2025-09-11T10:00:00Z\",\"period_seconds\":300,"
            + " \"busy_cpu_seconds\":123.4,\"idle_cpu_seconds\":3456.7}";
    static final String SPEC_INTENSITY =
            "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\",\"to\":\"2025-09-11T10:30Z\","
                    + " \"forecast\":185,\"actual\":190,\"index\":\"moderate\"}";
    static final String SPEC_WORKSPACE = "{\"kind\":\"workspace\",\"workspace_key\":\"65f1c0de9a1b2c3d4e5f6a7b\","
            + " \"instance\":\"host-172-16-100-116.nubes.stfc.ac.uk:9100\",\"owner\":\"aa123456\","
            + " \"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
            + " \"created_time\":\"2025-09-11T09:00:00Z\",\"deleted_time\":null}";
    static final String SPEC_USER = "{\"kind\":\"user\",\"user_id\":\"aa123456\",\"display_name\":\"Andrew Smith\","
            + " \"group_name\":\"RB2410001\",\"projects\":[\"IDAaaS\"]}";

    static final CpuEvent CPU = new CpuEvent(
            "host-172-16-100-116.nubes.stfc.ac.uk:9100",
            "IDAaaS",
            "Muon",
            Instant.parse("2025-09-11T10:00:00Z"),
            300L,
            123.4,
            3456.7);
    static final IntensityEvent INTENSITY = new IntensityEvent(
            Instant.parse("2025-09-11T10:00:00Z"),
            Instant.parse("2025-09-11T10:30:00Z"),
            185.0,
            190.0,
            "moderate",
            null);
    static final WorkspaceEvent WORKSPACE = new WorkspaceEvent(
            "65f1c0de9a1b2c3d4e5f6a7b",
            "host-172-16-100-116.nubes.stfc.ac.uk:9100",
            "aa123456",
            "IDAaaS",
            "Muon",
            Instant.parse("2025-09-11T09:00:00Z"),
            null);
    static final UserEvent USER = new UserEvent("aa123456", "Andrew Smith", "RB2410001", List.of("IDAaaS"));

    static Stream<Arguments> specExamples() {
        return Stream.of(
                Arguments.of(SPEC_CPU, EventKind.CPU, CPU),
                Arguments.of(SPEC_INTENSITY, EventKind.INTENSITY, INTENSITY),
                Arguments.of(SPEC_WORKSPACE, EventKind.WORKSPACE, WORKSPACE),
                Arguments.of(SPEC_USER, EventKind.USER, USER));
    }

    @ParameterizedTest
    @MethodSource("specExamples")
    void readsEverySpecExample(String line, EventKind kind, SpecificRecord expected) {
        ParseResult.Event event = parsed(line);
        assertThat(event.kind()).isEqualTo(kind);
        assertThat(event.record()).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("specExamples")
    void roundTripsEverySpecExample(String line, EventKind kind, SpecificRecord expected) {
        String json = JsonEvents.toJson(expected);
        assertThat(parsed(json).record()).isEqualTo(expected);
        assertThat(json).startsWith("{\"kind\":\"" + kind.jsonName() + "\"").doesNotContain("\n");
    }

    @ParameterizedTest
    @MethodSource("specExamples")
    void parsedEventsSurviveTheKafkaRoundTrip(String line, EventKind kind, SpecificRecord expected) {
        SpecificRecord record = parsed(line).record();
        byte[] bytes = kind.serialize(record);
        SpecificRecord back = switch (kind) {
            case CPU -> AdaSerdes.CPU_EVENT.deserialize(kind.topic(), bytes);
            case INTENSITY -> AdaSerdes.INTENSITY_EVENT.deserialize(kind.topic(), bytes);
            case WORKSPACE -> AdaSerdes.WORKSPACE_EVENT.deserialize(kind.topic(), bytes);
            case USER -> AdaSerdes.USER_EVENT.deserialize(kind.topic(), bytes);
        };
        assertThat(back).isEqualTo(record);
    }

    @Test
    void writesTheSpecForm() {
        assertThat(JsonEvents.toJson(CPU))
                .isEqualTo("{\"kind\":\"cpu\","
                        + "\"instance\":\"host-172-16-100-116.nubes.stfc.ac.uk:9100\",\"cloud_project_name\":\"IDAaaS\","
                        + "\"machine_name\":\"Muon\",\"ts\":\"2025-09-11T10:00:00Z\",\"period_seconds\":300,"
                        + "\"busy_cpu_seconds\":123.4,\"idle_cpu_seconds\":3456.7}");
        assertThat(JsonEvents.toJson(INTENSITY))
                .isEqualTo("{\"kind\":\"intensity\","
                        + "\"from\":\"2025-09-11T10:00:00Z\",\"to\":\"2025-09-11T10:30:00Z\","
                        + "\"forecast\":185,\"actual\":190,\"index\":\"moderate\"}");
        assertThat(JsonEvents.toJson(WORKSPACE)).contains("\"deleted_time\":null");
        assertThat(JsonEvents.toJson(new UserEvent("u1", null, null, List.of())))
                .isEqualTo(
                        "{\"kind\":\"user\",\"user_id\":\"u1\",\"display_name\":null,\"group_name\":null,\"projects\":[]}");
    }

    @Test
    void acceptsBothTimeForms() {
        String withSeconds = SPEC_CPU;
        String withoutSeconds = SPEC_CPU.replace("2025-09-11T10:00:00Z", "2025-09-11T10:00Z");
        assertThat(withoutSeconds).isNotEqualTo(withSeconds);
        assertThat(parsed(withoutSeconds).record())
                .isEqualTo(parsed(withSeconds).record());
    }

    @Test
    void acceptsIntegersAndDecimalsAlike() {
        CpuEvent e = (CpuEvent) parsed(SPEC_CPU.replace("123.4", "123")
                        .replace("3456.7", "3.4567e3")
                        .replace("\"period_seconds\":300", "\"period_seconds\":300.0"))
                .record();
        assertThat(e.getBusyCpuSeconds()).isEqualTo(123.0);
        assertThat(e.getIdleCpuSeconds()).isEqualTo(3456.7);
        assertThat(e.getPeriodSeconds()).isEqualTo(300L);
    }

    @Test
    void readsNullableFieldsAsNullWhetherNullOrAbsent() {
        IntensityEvent i = (IntensityEvent) parsed("{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\","
                        + "\"to\":\"2025-09-11T10:30Z\",\"forecast\":null}")
                .record();
        assertThat(i.getForecast()).isNull();
        assertThat(i.getActual()).isNull();
        assertThat(i.getIndex()).isNull();

        WorkspaceEvent w = (WorkspaceEvent) parsed(SPEC_WORKSPACE
                        .replace("\"aa123456\"", "null")
                        .replace("\"deleted_time\":null", "\"deleted_time\":\"2025-09-11T17:30Z\""))
                .record();
        assertThat(w.getOwner()).isNull();
        assertThat(w.getDeletedTime()).isEqualTo(Instant.parse("2025-09-11T17:30:00Z"));

        UserEvent u = (UserEvent) parsed("{\"kind\":\"user\",\"user_id\":\"bb1\",\"display_name\":null}")
                .record();
        assertThat(u.getDisplayName()).isNull();
        assertThat(u.getGroupName()).isNull();
        assertThat(u.getProjects()).isEmpty();
    }

    @Test
    void aRegionalReadingCarriesItsRegionAndANationalOneNone() {
        String line = "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\",\"to\":\"2025-09-11T10:30Z\","
                + "\"forecast\":152,\"actual\":null,\"index\":\"moderate\",\"region\":12}";
        IntensityEvent regional = (IntensityEvent) parsed(line).record();
        assertThat(regional)
                .isEqualTo(new IntensityEvent(
                        Instant.parse("2025-09-11T10:00:00Z"),
                        Instant.parse("2025-09-11T10:30:00Z"),
                        152.0,
                        null,
                        "moderate",
                        12));
        assertThat(JsonEvents.toJson(regional))
                .isEqualTo(
                        "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00:00Z\","
                                + "\"to\":\"2025-09-11T10:30:00Z\",\"forecast\":152,\"actual\":null,\"index\":\"moderate\",\"region\":12}");
        assertThat(parsed(JsonEvents.toJson(regional)).record()).isEqualTo(regional);
        // Absent and null alike are the national series, which is written without the field.
        assertThat(((IntensityEvent) parsed(SPEC_INTENSITY).record()).getRegion())
                .isNull();
        assertThat(parsed(SPEC_INTENSITY.replace("}", ",\"region\":null}")).record())
                .isEqualTo(INTENSITY);
        assertThat(JsonEvents.toJson(INTENSITY)).doesNotContain("region");
        // A regionid out of the API's range is read, for the rules to refuse with the bound.
        assertThat(((IntensityEvent) parsed(line.replace(":12}", ":18}")).record()).getRegion())
                .isEqualTo(18);
    }

    @Test
    void ignoresUnknownFields() {
        String line = SPEC_USER.replace("{\"kind\":\"user\",", "{\"kind\":\"user\",\"source\":{\"a\":[1,2]},\"v\":2,");
        assertThat(parsed(line).record()).isEqualTo(USER);
    }

    @Test
    void readsUtf8BytesAsItReadsStrings() {
        String line = SPEC_USER.replace("Andrew Smith", "Zoë Łukasz 山田");
        assertThat(JsonEvents.parse(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(JsonEvents.parse(line));
        assertThat(((UserEvent) parsed(line).record()).getDisplayName()).isEqualTo("Zoë Łukasz 山田");
    }

    @Test
    void roundTripsAwkwardValues() {
        List<SpecificRecord> events = List.of(
                new CpuEvent(
                        "[fd00::1]:9100",
                        "P \"quoted\"",
                        "M\\back",
                        Instant.parse("2025-09-11T10:00:00.250Z"),
                        1L,
                        1e-7,
                        1.2345678901234567e17),
                new CpuEvent("h", "p", "m", Instant.parse("1999-12-31T23:59:59Z"), 60L, -0.0, 0.1 + 0.2),
                new IntensityEvent(
                        Instant.parse("2025-09-11T10:00:00Z"),
                        Instant.parse("2025-09-11T10:30:00Z"),
                        null,
                        190.5,
                        null,
                        null),
                new WorkspaceEvent(
                        "k",
                        "h",
                        null,
                        "p",
                        "m",
                        Instant.parse("2025-01-01T00:00:00Z"),
                        Instant.parse("2025-01-02T00:00:00Z")),
                new UserEvent("u", "Zoë", "G", List.of("A", "B")));
        for (SpecificRecord e : events) {
            assertThat(parsed(JsonEvents.toJson(e)).record())
                    .as(JsonEvents.toJson(e))
                    .isEqualTo(e);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("this is not json", "line is not JSON"),
                Arguments.of("{\"kind\":\"cpu\"", "line is not JSON"),
                Arguments.of("{} {}", "line is not JSON"),
                Arguments.of(
                        SPEC_USER.replace("\"user_id\":\"aa123456\",", "\"user_id\":\"a\",\"user_id\":\"b\","),
                        "line is not JSON"),
                Arguments.of("", "line is empty"),
                Arguments.of("[1,2,3]", "line is not a JSON object"),
                Arguments.of("42", "line is not a JSON object"),
                Arguments.of("{\"user_id\":\"aa123456\"}", "missing field 'kind'"),
                Arguments.of("{\"kind\":7}", "field 'kind' must be a string"),
                Arguments.of("{\"kind\":\"foo\",\"ts\":\"2025-09-11T10:00Z\"}", "unknown kind 'foo'"),
                Arguments.of("{\"kind\":\"CPU\"}", "unknown kind 'CPU'"),
                Arguments.of(SPEC_CPU.replace("\"ts\":\"2025-09-11T10:00:00Z\",", ""), "missing field 'ts'"),
                Arguments.of(
                        SPEC_CPU.replace("\"2025-09-11T10:00:00Z\"", "\"yesterday\""),
                        "unparseable time 'yesterday' in field 'ts'"),
                Arguments.of(
                        SPEC_CPU.replace("\"2025-09-11T10:00:00Z\"", "\"2025-09-11 10:00:00\""),
                        "unparseable time '2025-09-11 10:00:00'"),
                Arguments.of(
                        SPEC_CPU.replace("\"2025-09-11T10:00:00Z\"", "1757584800"),
                        "field 'ts' must be an ISO-8601 time string"),
                Arguments.of(SPEC_CPU.replace("123.4", "\"123.4\""), "field 'busy_cpu_seconds' must be a number"),
                Arguments.of(SPEC_CPU.replace("123.4", "null"), "field 'busy_cpu_seconds' must not be null"),
                Arguments.of(SPEC_CPU.replace("3456.7", "true"), "field 'idle_cpu_seconds' must be a number"),
                Arguments.of(
                        SPEC_CPU.replace("\"period_seconds\":300", "\"period_seconds\":300.5"),
                        "field 'period_seconds' must be a whole number"),
                Arguments.of(
                        SPEC_CPU.replace("\"period_seconds\":300", "\"period_seconds\":99999999999999999999"),
                        "field 'period_seconds' is out of range"),
                Arguments.of(
                        SPEC_CPU.replace("\"IDAaaS\"", "[\"IDAaaS\"]"), "field 'cloud_project_name' must be a string"),
                Arguments.of(
                        SPEC_CPU.replace("\"host-172-16-100-116.nubes.stfc.ac.uk:9100\"", "null"),
                        "field 'instance' must not be null"),
                Arguments.of(
                        SPEC_INTENSITY.replace("\"forecast\":185", "\"forecast\":\"185\""),
                        "field 'forecast' must be a number or null"),
                Arguments.of(SPEC_INTENSITY.replace("\"to\":\"2025-09-11T10:30Z\",", ""), "missing field 'to'"),
                Arguments.of(SPEC_INTENSITY.replace("\"moderate\"", "3"), "field 'index' must be a string or null"),
                Arguments.of(SPEC_INTENSITY.replace("}", ",\"region\":\"12\"}"), "field 'region' must be a number"),
                Arguments.of(SPEC_INTENSITY.replace("}", ",\"region\":12.5}"), "field 'region' must be a whole number"),
                Arguments.of(SPEC_INTENSITY.replace("}", ",\"region\":4294967308}"), "field 'region' is out of range"),
                Arguments.of(
                        SPEC_WORKSPACE.replace("\"aa123456\"", "123456"), "field 'owner' must be a string or null"),
                Arguments.of(
                        SPEC_WORKSPACE.replace("\"deleted_time\":null", "\"deleted_time\":\"soon\""),
                        "unparseable time 'soon' in field 'deleted_time'"),
                Arguments.of(
                        SPEC_USER.replace("[\"IDAaaS\"]", "\"IDAaaS\""),
                        "field 'projects' must be an array of strings"),
                Arguments.of(
                        SPEC_USER.replace("[\"IDAaaS\"]", "[\"IDAaaS\",null]"),
                        "field 'projects' must be an array of strings"),
                Arguments.of(SPEC_USER.replace("\"user_id\":\"aa123456\",", ""), "missing field 'user_id'"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void explainsWhatIsWrong(String line, String message) {
        ParseResult result = JsonEvents.parse(line);
        assertThat(result).isInstanceOf(ParseResult.Failure.class);
        assertThat(((ParseResult.Failure) result).message()).startsWith(message);
        assertThat(JsonEvents.parse(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(result);
    }

    @Test
    void readsRuleBreakingEventsForTheRulesToRefuse() {
        // Readable but invalid (SPEC 2.7): parsing keeps it, so the publisher can name the broken rule.
        assertThat(JsonEvents.parse(SPEC_CPU.replace("123.4", "-5"))).isInstanceOf(ParseResult.Event.class);
        assertThat(JsonEvents.parse(SPEC_INTENSITY.replace("10:30Z", "11:00Z"))).isInstanceOf(ParseResult.Event.class);
    }

    private static ParseResult.Event parsed(String line) {
        ParseResult result = JsonEvents.parse(line);
        assertThat(result).as("parse of %s", line).isInstanceOf(ParseResult.Event.class);
        return (ParseResult.Event) result;
    }
}

package ada.carbon.ingest.json;

import ada.carbon.schemas.EventKind;
import org.apache.avro.specific.SpecificRecord;

/** What {@link JsonEvents#parse} made of one line: an event, or why there is none. */
public sealed interface ParseResult permits ParseResult.Event, ParseResult.Failure {

    /** @param record a {@code CpuEvent}, {@code IntensityEvent}, {@code WorkspaceEvent} or {@code UserEvent} */
    record Event(EventKind kind, SpecificRecord record) implements ParseResult {}

    /** @param message for a person, e.g. {@code missing field 'ts'} */
    record Failure(String message) implements ParseResult {}
}

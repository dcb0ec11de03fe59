package ada.carbon.ingest.source.common;

import ada.carbon.ingest.IngestCounts;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where a source's events go: the raw topics ({@link PublisherSink}) or a SPEC JSON Lines file
 * ({@link JsonLinesFileSink}). Both refuse an event that breaks a SPEC rule the same way, counting it
 * as rejected.
 */
public interface EventSink extends AutoCloseable {

    /**
     * @param source names where the event came from (a URL, a file), for a dead letter
     * @return true if the event was taken, false if it broke a rule and was rejected instead
     */
    boolean emit(SpecificRecord event, String source);

    /** An input that cannot become an event: counted as read and rejected (dead-lettered on Kafka). */
    void reject(byte[] original, String reason, String detail, String source, long offset);

    /**
     * Makes everything emitted so far durable (acknowledged by the broker, written to disk).
     *
     * @throws RuntimeException if anything emitted was lost; a checkpoint must then not move
     */
    void flush();

    /** The file length after the last {@link #flush()}, for the checkpoint; -1 for a sink without one. */
    long position();

    IngestCounts counts();

    /** For messages, e.g. {@code kafka 127.0.0.1:9092} or {@code file out.jsonl}. */
    String describe();

    @Override
    void close();
}

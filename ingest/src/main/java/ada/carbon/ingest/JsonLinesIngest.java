package ada.carbon.ingest;

import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import ada.carbon.schemas.DeadLetter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes JSON Lines files of input events (SPEC 1), one event a line. A line that cannot be read
 * is dead-lettered with its original bytes, reason {@link DeadLetter#MALFORMED}, the file as source and
 * its line number as offset; the ingest always goes on to the next line.
 */
public final class JsonLinesIngest {
    /** Longer lines are no event; only their start is kept in the dead letter, within Kafka's size limit. */
    public static final int MAX_LINE_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(JsonLinesIngest.class);
    private static final long PROGRESS_EVERY = 1_000_000;

    private final EventPublisher publisher;

    public JsonLinesIngest(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Publishes every line of the files, in order, then flushes. Files are UTF-8, plain or gzipped
     * (recognised by content, whatever the name).
     *
     * @return the counts of this call alone
     * @throws NoSuchFileException before anything is published, if a file cannot be read
     */
    public IngestCounts ingest(List<Path> files) throws IOException {
        for (Path file : files) {
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new NoSuchFileException(file.toString(), null, "not a readable file");
            }
        }
        IngestCounts before = publisher.counts();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                read(in, file.toString());
            }
        }
        return flushed(before);
    }

    public IngestCounts ingest(Path file) throws IOException {
        return ingest(List.of(file));
    }

    /** Publishes every line of a stream (standard input, say), naming it {@code source}, then flushes. */
    public IngestCounts ingest(InputStream in, String source) throws IOException {
        IngestCounts before = publisher.counts();
        read(in, source);
        return flushed(before);
    }

    private IngestCounts flushed(IngestCounts before) {
        publisher.flush();
        IngestCounts done = publisher.counts().minus(before);
        log.info("Ingested: {}", done);
        return done;
    }

    private void read(InputStream raw, String source) throws IOException {
        long started = System.nanoTime();
        ByteLines lines = new ByteLines(decompressed(raw), MAX_LINE_BYTES);
        long events = 0;
        while (lines.next()) {
            if (lines.isBlank()) {
                continue;
            }
            publishLine(lines, source);
            if (++events % PROGRESS_EVERY == 0) {
                double seconds = (System.nanoTime() - started) / 1e9;
                log.info("{}: {} lines, {} a second", source, events, Math.round(events / seconds));
            }
        }
        log.info("{}: {} lines read", source, events);
    }

    private void publishLine(ByteLines lines, String source) {
        byte[] bytes = lines.bytes();
        long number = lines.number();
        if (lines.truncated()) {
            publisher.reject(
                    bytes,
                    DeadLetter.MALFORMED,
                    "line is longer than " + MAX_LINE_BYTES + " bytes (only its start is kept)",
                    source,
                    number);
            return;
        }
        ParseResult parsed = JsonEvents.parse(bytes);
        if (parsed instanceof ParseResult.Event event) {
            publisher.publish(event.record(), bytes, source, number);
        } else if (parsed instanceof ParseResult.Failure failure) {
            publisher.reject(bytes, DeadLetter.MALFORMED, failure.message(), source, number);
        }
    }

    /** Gzip is recognised by its magic number, so a compressed file needs no particular name. */
    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        return in;
    }
}

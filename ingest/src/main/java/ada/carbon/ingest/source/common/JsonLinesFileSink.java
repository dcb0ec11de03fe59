package ada.carbon.ingest.source.common;

import ada.carbon.ingest.IngestCounts;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.schemas.EventKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events as SPEC 1 JSON Lines ({@link JsonEvents#toJson}), one a line, instead of
 * publishing them. An event that breaks a SPEC rule is not written: it is counted as rejected and
 * logged, as the publisher would dead-letter it.
 *
 * <p>Resuming: the checkpoint records the file's length after the last completed window. Opened
 * with that length, the file is cut back to it (dropping what a run that stopped mid-window wrote
 * after it) and appended to, so an interrupted export ends up with every event exactly once.
 */
public final class JsonLinesFileSink implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(JsonLinesFileSink.class);
    private static final int LOUD_REJECTIONS = 20;
    private static final int BUFFER = 256 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long read;
    private long written;
    private final Map<String, Long> rejected = new TreeMap<>();
    private long flushedPosition;

    private JsonLinesFileSink(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.flushedPosition = channel.position();
    }

    /**
     * @param resumeAt the length recorded by the checkpoint to continue from, or -1 to start a new file
     *                 (an existing one is replaced)
     * @throws SourceException if the file is shorter than {@code resumeAt}: it is not the file the
     *                         checkpoint was written for, and resuming would leave a gap
     */
    public static JsonLinesFileSink open(Path file, long resumeAt) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileChannel ch;
            if (resumeAt < 0) {
                ch = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                long size = Files.exists(file) ? Files.size(file) : -1;
                if (size < resumeAt) {
                    throw SourceException.permanent("cannot resume " + file + ": the checkpoint expects at least "
                            + resumeAt + " bytes, the file has " + (size < 0 ? "gone" : size + " bytes")
                            + " (start anew with --restart)");
                }
                ch = FileChannel.open(file, StandardOpenOption.WRITE);
                if (size > resumeAt) {
                    log.info("{}: dropping {} bytes written after the last checkpoint", file, size - resumeAt);
                    ch.truncate(resumeAt);
                }
                ch.position(resumeAt);
            }
            return new JsonLinesFileSink(file, ch);
        } catch (IOException e) {
            throw new SourceException("cannot open " + file + ": " + e, false, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized boolean emit(SpecificRecord event, String source) {
        read++;
        EventKind kind = EventKind.of(event);
        Optional<String> violation = kind.violation(event);
        if (violation.isPresent()) {
            count("invalid", source, violation.get(), JsonEvents.toJson(event));
            return false;
        }
        write((JsonEvents.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8));
        written++;
        return true;
    }

    @Override
    public synchronized void reject(byte[] original, String reason, String detail, String source, long offset) {
        read++;
        count(reason, source + ":" + offset, detail, new String(original, StandardCharsets.UTF_8));
    }

    private void count(String reason, String where, String detail, String what) {
        long n = rejected.merge(reason, 1L, Long::sum);
        if (n <= LOUD_REJECTIONS) {
            log.warn("Rejected ({}) {}: {}: {}", reason, where, detail, abbreviate(what));
        } else {
            log.debug("Rejected ({}) {}: {}: {}", reason, where, detail, abbreviate(what));
        }
    }

    private void write(byte[] bytes) {
        try {
            if (bytes.length > buffer.remaining()) {
                drain();
            }
            if (bytes.length > buffer.capacity()) {
                ByteBuffer big = ByteBuffer.wrap(bytes);
                while (big.hasRemaining()) {
                    channel.write(big);
                }
            } else {
                buffer.put(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes out the buffer and forces it to disk. */
    @Override
    public synchronized void flush() {
        try {
            drain();
            channel.force(false);
            flushedPosition = channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public synchronized long position() {
        return flushedPosition;
    }

    @Override
    public synchronized IngestCounts counts() {
        return new IngestCounts(read, written, rejected, 0);
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    /** Flushes what was emitted and closes the file. */
    @Override
    public synchronized void close() {
        try {
            if (channel.isOpen()) {
                drain();
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private static String abbreviate(String s) {
        String one = s.strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}

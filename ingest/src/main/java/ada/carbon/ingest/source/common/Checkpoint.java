package ada.carbon.ingest.source.common;

import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source's progress in a small JSON file: which job it belongs to (the source, its URL and
 * settings, the range asked for, the sink) and how far that job got. URLs are stored as
 * {@link Urls#putIdentity} puts them: masked, with a digest of their secrets. A rerun of the same job resumes
 * from the state; another job starts from the beginning and, at its first commit, replaces the file.
 * A job's end ({@link #END}) may change: the same backfill asked to go further continues where it
 * stopped (and one asked to stop earlier than it got has nothing left to do).
 * Saved atomically (a temporary file renamed over the old one), so a crash leaves either the old
 * checkpoint or the new one, never half of one.
 *
 * <pre>{"source":"prometheus","job":{…},"state":{"done_until":"…","out_bytes":1234},"saved_at":"…"}</pre>
 */
public final class Checkpoint {
    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);
    /** The job key of a backfill's end, which may change between runs of one job. */
    public static final String END = "to";

    static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    private final String source;
    private final ObjectNode job;
    private final Clock clock;

    public Checkpoint(Path file, String source, ObjectNode job) {
        this(file, source, job, Clock.systemUTC());
    }

    public Checkpoint(Path file, String source, ObjectNode job, Clock clock) {
        this.file = file;
        this.source = source;
        this.job = normalised(job);
        this.clock = clock;
    }

    /** As it reads back from the file (a long 300 reads back as an int 300: JSON equality must not differ). */
    private static ObjectNode normalised(ObjectNode job) {
        try {
            return (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(job));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path file() {
        return file;
    }

    public ObjectNode job() {
        return job.deepCopy();
    }

    /**
     * The state to resume from: present when the file holds this very job.
     *
     * @throws SourceException when the file exists but cannot be read: resuming from nothing would
     *                         silently redo or skip work, so the user decides (delete it, or --restart)
     */
    public Optional<ObjectNode> resumable() {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SourceException(
                    "cannot read the checkpoint " + file + ": " + e.getMessage()
                            + " (delete it or start anew with --restart)",
                    false,
                    e);
        }
        if (root == null || !root.isObject() || !root.path("state").isObject()) {
            throw new SourceException(
                    "the checkpoint " + file + " is not a checkpoint" + " (delete it or start anew with --restart)",
                    false);
        }
        if (!source.equals(root.path("source").asText()) || !sameJob(root.path("job"))) {
            log.warn(
                    "The checkpoint {} belongs to another job ({}); this one starts from its beginning and will"
                            + " replace it",
                    file,
                    difference(root.path("source").asText(), root.path("job")));
            return Optional.empty();
        }
        return Optional.of((ObjectNode) root.get("state").deepCopy());
    }

    /** The same job, but for its end: a backfill asked to go further on continues where it stopped. */
    private boolean sameJob(JsonNode stored) {
        if (!stored.isObject()) {
            return false;
        }
        ObjectNode a = ((ObjectNode) stored).deepCopy();
        ObjectNode b = job.deepCopy();
        a.remove(END);
        b.remove(END);
        return a.equals(b);
    }

    /** What differs between the stored job and this one, e.g. {@code from: 2025-09-01T00:00:00Z → 2025-09-02T00:00:00Z}. */
    private String difference(String storedSource, JsonNode stored) {
        if (!source.equals(storedSource)) {
            return "source: " + storedSource + " → " + source;
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        stored.fieldNames().forEachRemaining(names::add);
        job.fieldNames().forEachRemaining(names::add);
        java.util.List<String> diffs = new java.util.ArrayList<>();
        for (String n : names) {
            JsonNode a = stored.get(n);
            JsonNode b = job.get(n);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(n + ": " + shown(a) + " → " + shown(b));
            }
        }
        return String.join("; ", diffs);
    }

    /** A job's value in a message: a URL masked (one stored by an older version may hold a secret). */
    private static String shown(JsonNode v) {
        return v == null ? "-" : v.isTextual() ? Urls.masked(v.asText()) : v.toString();
    }

    /** Replaces the file with this job and {@code state}, atomically and durably. */
    public void save(ObjectNode state) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("source", source);
        root.set("job", job);
        root.set("state", state);
        root.put("saved_at", Times.format(clock.instant()));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, MAPPER.writeValueAsBytes(root));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SourceException("cannot save the checkpoint " + file + ": " + e, false, e);
        }
    }
}

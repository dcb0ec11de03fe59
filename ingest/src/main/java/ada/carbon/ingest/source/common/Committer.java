package ada.carbon.ingest.source.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Ends a window of work: first the sink is flushed (every event of the window acknowledged or on disk),
 * then the checkpoint records the state, with the sink's file position. So a checkpoint never claims
 * events that could still be lost; a crash between the two repeats at most the last window on Kafka
 * (replacements by identity, harmless) and nothing at all in a file (it is cut back on resume).
 */
public final class Committer {
    /** The state key of the file sink's length. */
    public static final String OUT_BYTES = "out_bytes";

    private final EventSink sink;
    private final Checkpoint checkpoint;
    private long commits;

    public Committer(EventSink sink, Checkpoint checkpoint) {
        this.sink = sink;
        this.checkpoint = checkpoint;
    }

    public void commit(ObjectNode state) {
        sink.flush();
        ObjectNode saved = state.deepCopy();
        long position = sink.position();
        if (position >= 0) {
            saved.put(OUT_BYTES, position);
        } else {
            saved.remove(OUT_BYTES);
        }
        checkpoint.save(saved);
        commits++;
    }

    public long commits() {
        return commits;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The file position recorded in a resumed state, or -1 to start the file anew. */
    public static long outBytes(Optional<ObjectNode> state) {
        return state.map(s -> s.path(OUT_BYTES).asLong(-1)).orElse(-1L);
    }
}

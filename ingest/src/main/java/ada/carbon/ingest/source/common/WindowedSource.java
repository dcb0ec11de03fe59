package ada.carbon.ingest.source.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/** A source that reads a time range window by window: once over a range, or following the present. */
public interface WindowedSource {
    /** Reads {@code [from, to)}, resuming after the checkpointed window if there is one. */
    void backfill(Instant from, Instant to, Optional<ObjectNode> resume);

    /** Catches up from {@code from} (or the checkpoint), then keeps up with the present until stopped. */
    void follow(Optional<Instant> from, Optional<ObjectNode> resume, FollowClock clock);

    /** What was left out, for the summary. */
    Anomalies anomalies();
}

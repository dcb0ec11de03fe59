package ada.carbon.ingest.source.common;

import ada.carbon.schemas.Times;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** Where a backfill of {@code [start, end)} picks up from its checkpoint, said aloud. */
public final class BackfillStart {
    private BackfillStart() {}

    /**
     * @param doneUntil how far the checkpoint says the job got, if anywhere
     * @return the first instant still to do, or empty when the checkpoint already covers the whole range
     */
    public static Optional<Instant> of(
            String source,
            Instant start,
            Instant end,
            Optional<Instant> doneUntil,
            Committer committer,
            Consumer<String> progress) {
        Instant next = doneUntil.filter(d -> d.isAfter(start)).orElse(start);
        if (!next.isBefore(end)) {
            progress.accept(source + ": already done up to " + Times.format(end) + " (checkpoint "
                    + committer.checkpoint().file() + "); nothing to do");
            return Optional.empty();
        }
        if (next.isAfter(start)) {
            progress.accept(source + ": resuming at " + Times.format(next) + " from the checkpoint "
                    + committer.checkpoint().file());
        }
        return Optional.of(next);
    }
}

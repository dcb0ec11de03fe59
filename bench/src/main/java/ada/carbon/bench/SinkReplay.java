package ada.carbon.bench;

import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.Quiescence;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 3a: the sink's own upsert rate. A fresh {@link SinkService} in this process, with a consumer group
 * of its own, replays the output topics the pipeline wrote into a new database; the clock runs from its
 * start until its stored positions reach the topics' ends. The rate is counted in {@code ada.facts}
 * records, which are nearly all of what it reads.
 */
final class SinkReplay {
    private static final Logger log = LoggerFactory.getLogger(SinkReplay.class);
    static final String GROUP_ID = "ada-carbon-bench-sink-replay";

    record Result(Rate facts, long recordsApplied, long batches, long commitNanos) {}

    private SinkReplay() {}

    static Result measure(String bootstrapServers, Admin admin, Path db, long factRecords, Duration timeout)
            throws InterruptedException {
        SinkService sink = new SinkService(bootstrapServers, db, GROUP_ID);
        Thread loop = new Thread(sink::runUntilStopped, "ada-carbon-bench-sink-replay");
        try {
            CatchUp caughtUp = new CatchUp(
                    new Quiescence(admin, null, Topics.RAW, Topics.OUTPUT, sink::storedOffsets),
                    () -> loop.isAlive() ? null : "the in-process sink stopped");
            long started = System.nanoTime();
            loop.start();
            long done = caughtUp.await("sink replay", timeout, Duration.ofMillis(50));
            Rate rate = Rate.between(factRecords, started, done);
            log.info("sink replay: {}", rate.describe("fact rows"));
            return new Result(rate, sink.recordsApplied(), sink.batchesCommitted(), sink.batchCommitNanos());
        } finally {
            sink.close();
        }
    }
}

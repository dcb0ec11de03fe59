package ada.carbon.bench;

import ada.carbon.schemas.EventKind;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 2: the whole pipeline's throughput. The workload goes to the raw topics with the same tuned
 * producer as the raw limit, and the clock runs from the first event sent until the database reflects
 * every one (the aggregator and the sink are separate JVMs, up and idle before the first send).
 */
final class PipelineRun {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);

    record Result(Rate events, Rate publish) {}

    private PipelineRun() {}

    static Result measure(String bootstrapServers, Workload workload, CatchUp catchUp, Duration timeout)
            throws InterruptedException {
        BulkProducer.Sent sent =
                BulkProducer.send(bootstrapServers, "ada-carbon-bench-pipeline", workload, EventKind::topic);
        log.info(
                "pipeline: all {} events acknowledged after {} ms; waiting for the database",
                sent.events(),
                (sent.allAckedNanos() - sent.firstSendNanos()) / 1_000_000);
        // Only after every send is acknowledged: before that, "caught up" may mean "caught up so far".
        long done = catchUp.await("pipeline", timeout, Duration.ofMillis(100));
        Rate rate = Rate.between(sent.events(), sent.firstSendNanos(), done);
        log.info("pipeline: {}", rate.describe("events"));
        return new Result(rate, sent.rate());
    }
}

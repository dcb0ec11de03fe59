package ada.carbon.stack;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.kafka.TopicEnds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows when everything published so far has reached the database: the aggregator has consumed its
 * raw and internal topics to their ends, and the sink has stored the aggregator's output up to its end.
 * Ends are read-committed ends, so open transactions count as not yet done.
 */
public final class Quiescence {
    private static final Logger log = LoggerFactory.getLogger(Quiescence.class);

    private final Admin admin;
    private final String aggregatorGroup;
    private final List<String> rawTopics;
    private final List<String> outputTopics;
    private final Supplier<Map<TopicPartition, Long>> sinkPositions;

    /**
     * @param aggregatorGroup the aggregator's application id, or null to wait for the sink alone (replay)
     * @param sinkPositions the next offset the sink will read per partition, as stored with its rows
     */
    public Quiescence(
            Admin admin,
            String aggregatorGroup,
            List<String> rawTopics,
            List<String> outputTopics,
            Supplier<Map<TopicPartition, Long>> sinkPositions) {
        this.admin = admin;
        this.aggregatorGroup = aggregatorGroup;
        this.rawTopics = rawTopics;
        this.outputTopics = outputTopics;
        this.sinkPositions = sinkPositions;
    }

    /**
     * How long nothing may be behind before everything counts as through. The aggregator can have
     * consumed and committed its input while a change is still to be written (at its next emit, then
     * committed at its next commit), and a transaction's consumed offsets can become visible a moment
     * before the records it wrote. So one clean look proves nothing: it has to stay clean for longer than
     * {@link AggregatorSettings#LONGEST_UNWRITTEN}, with a margin for the rounds themselves.
     */
    public static final Duration SETTLE = AggregatorSettings.LONGEST_UNWRITTEN.plusMillis(450);

    /** Waits until everything is through, or fails after {@code timeout} saying what is still behind. */
    public void await(Duration timeout, BooleanSupplier stillHealthy) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String behind = "";
        long quietSince = -1;
        while (System.nanoTime() < deadline) {
            if (!stillHealthy.getAsBoolean()) {
                throw new IllegalStateException("a service of the pipeline stopped before it caught up");
            }
            behind = behind();
            long now = System.nanoTime();
            quietSince = !behind.isEmpty() ? -1 : quietSince < 0 ? now : quietSince;
            if (quietSince >= 0 && now - quietSince >= SETTLE.toNanos()) {
                return;
            }
            Thread.sleep(behind.isEmpty() ? 100 : 250);
        }
        throw new IllegalStateException("timed out waiting for the pipeline to catch up; behind: " + behind);
    }

    /** What is still behind, or the empty string when nothing is. */
    public String behind() throws InterruptedException {
        try {
            if (aggregatorGroup == null) {
                Map<TopicPartition, Long> sinkAt = sinkPositions.get();
                return lagging("sink", ends(outputTopics), tp -> sinkAt.getOrDefault(tp, 0L));
            }
            List<String> aggregatorInputs = new java.util.ArrayList<>(rawTopics);
            for (String t : admin.listTopics().names().get()) {
                if (t.startsWith(aggregatorGroup + "-") && !t.endsWith("-changelog")) {
                    aggregatorInputs.add(t);
                }
            }
            Map<TopicPartition, Long> aggregatorEnds = ends(aggregatorInputs);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(aggregatorGroup)
                    .partitionsToOffsetAndMetadata()
                    .get();
            String lag = lagging("aggregator", aggregatorEnds, tp -> {
                OffsetAndMetadata o = committed.get(tp);
                return o == null ? 0L : o.offset();
            });
            if (!lag.isEmpty()) {
                return lag;
            }
            Map<TopicPartition, Long> sinkAt = sinkPositions.get();
            return lagging("sink", ends(outputTopics), tp -> sinkAt.getOrDefault(tp, 0L));
        } catch (ExecutionException e) {
            log.debug("offset check failed, retrying", e);
            return "offsets unavailable: " + e.getCause().getMessage();
        }
    }

    private static String lagging(
            String who, Map<TopicPartition, Long> ends, java.util.function.ToLongFunction<TopicPartition> position) {
        StringBuilder out = new StringBuilder();
        ends.forEach((tp, end) -> {
            long at = position.applyAsLong(tp);
            if (at < end) {
                out.append(who)
                        .append(' ')
                        .append(tp)
                        .append(" at ")
                        .append(at)
                        .append(" of ")
                        .append(end)
                        .append("; ");
            }
        });
        return out.toString();
    }

    private Map<TopicPartition, Long> ends(List<String> topics) throws ExecutionException, InterruptedException {
        return TopicEnds.of(admin, topics, IsolationLevel.READ_COMMITTED);
    }
}

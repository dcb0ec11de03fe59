package ada.carbon.bench;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.kafka.TopicEnds;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 1b, the Kafka Streams floor: how fast a Kafka Streams application with the aggregator's own
 * settings (exactly-once v2, commit interval, poll sizes, its stream threads, the same raw topics and so
 * the same tasks) but a processor that does nothing reads the workload from the raw topics while it is
 * being published. No Kafka Streams pipeline can do better here,
 * so the pipeline's figure is judged against this as well as against the raw limit.
 */
final class StreamsFloor {
    private static final Logger log = LoggerFactory.getLogger(StreamsFloor.class);
    static final String APPLICATION_ID = "ada-carbon-bench-streams-floor";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    record Result(Rate events, Rate publish) {}

    private StreamsFloor() {}

    /**
     * Publishes the workload to the raw topics while the no-op application reads it, then leaves the raw
     * topics empty again (their records deleted), so the pipeline that reads them next starts, at its
     * {@code earliest}, where this phase's events end.
     */
    /** @param threads stream threads, as many as the pipeline's aggregator runs */
    static Result measure(
            String bootstrapServers, Admin admin, Workload workload, Path stateDir, int threads, Duration timeout)
            throws InterruptedException, ExecutionException {
        AtomicLong count = new AtomicLong();
        AtomicLong lastRecordNanos = new AtomicLong();
        Topology topology = new Topology();
        topology.addSource(
                "read-raw-events",
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Topics.RAW.toArray(String[]::new));
        topology.addProcessor(
                "count",
                () -> new Processor<byte[], byte[], Void, Void>() {
                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        lastRecordNanos.set(System.nanoTime());
                        count.incrementAndGet();
                    }
                },
                "read-raw-events");

        KafkaStreams streams = new KafkaStreams(
                topology,
                AggregatorSettings.of(bootstrapServers, stateDir)
                        .withApplicationId(APPLICATION_ID)
                        .withThreads(threads)
                        .streamsProperties());
        Result result;
        try {
            streams.start();
            awaitRunning(streams, timeout);
            // The same bytes and producer as the pipeline's phase, sent only once the application is up and idle.
            BulkProducer.Sent sent = BulkProducer.send(bootstrapServers, APPLICATION_ID, workload, EventKind::topic);
            awaitCount(streams, count, workload.size(), timeout);
            result = new Result(
                    Rate.between(workload.size(), sent.firstSendNanos(), lastRecordNanos.get()), sent.rate());
            log.info("streams floor: {}", result.events().describe("events"));
        } finally {
            streams.close(CLOSE_TIMEOUT);
            streams.cleanUp();
        }
        emptyRawTopics(admin);
        return result;
    }

    private static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            failIfStopped(streams);
            if (System.nanoTime() > deadline) {
                throw new PhaseTimeoutException("streams floor start", timeout, "state " + streams.state());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitCount(KafkaStreams streams, AtomicLong count, long expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < expected) {
            failIfStopped(streams);
            if (System.nanoTime() > deadline) {
                throw new PhaseTimeoutException(
                        "streams floor",
                        timeout,
                        "read " + count.get() + " of " + expected + " events (state " + streams.state() + ")");
            }
            Thread.sleep(50); // the time taken is that of the last record, not of this poll
        }
    }

    private static void failIfStopped(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException("bench phase 'streams floor': Kafka Streams is " + state);
        }
    }

    /**
     * Deletes every record of the raw topics. The pipeline, fed the same workload next, must read only its
     * own copy: its aggregator's {@code auto.offset.reset=earliest} goes to the log start offset, after these.
     */
    private static void emptyRawTopics(Admin admin) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> ends = TopicEnds.of(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED);
        var deleted = admin.deleteRecords(ends.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> RecordsToDelete.beforeOffset(e.getValue()))))
                .lowWatermarks();
        for (var e : deleted.entrySet()) {
            long start = e.getValue().get().lowWatermark();
            long end = ends.get(e.getKey());
            if (start != end) {
                throw new IllegalStateException(e.getKey() + " starts at " + start + " after deleting up to " + end);
            }
        }
        log.info(
                "streams floor: raw topics emptied up to {}",
                ends.entrySet().stream()
                        .map(e -> e.getKey() + "@" + e.getValue())
                        .collect(Collectors.joining(", ")));
    }
}

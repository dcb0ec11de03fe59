package ada.carbon.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 1, the raw limit: how fast this broker takes the workload's bytes from one tuned producer and
 * gives them back to one tuned consumer, with no processing at all. The pipeline can never beat it.
 */
final class RawThroughput {
    private static final Logger log = LoggerFactory.getLogger(RawThroughput.class);
    static final String TOPIC = "ada.bench.raw";

    record Result(Rate produce, Rate consume, int partitions) {}

    private RawThroughput() {}

    /** @param partitions as many as the raw cpu topic has, so that the broker's parallelism is the same */
    static Result measure(Admin admin, String bootstrapServers, Workload workload, int partitions, Duration timeout)
            throws InterruptedException, ExecutionException {
        admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))))
                .all()
                .get();
        try {
            Rate produce = BulkProducer.send(bootstrapServers, "ada-carbon-bench-raw", workload, kind -> TOPIC)
                    .rate();
            log.info("raw produce: {}", produce.describe("events"));
            Rate consume = consumeAll(bootstrapServers, workload.size(), partitions, timeout);
            log.info("raw consume: {}", consume.describe("events"));
            return new Result(produce, consume, partitions);
        } finally {
            // Its segments would otherwise sit beside the pipeline's topics in the page cache for the rest of the run.
            admin.deleteTopics(List.of(TOPIC)).all().get();
        }
    }

    private static Rate consumeAll(String bootstrapServers, long expected, int partitions, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                TunedClients.bulkConsumer(bootstrapServers, "ada-carbon-bench-raw-reader", false))) {
            List<TopicPartition> tps = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(TOPIC, p))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long started = System.nanoTime();
            long deadline = started + timeout.toNanos();
            long read = 0;
            while (read < expected) {
                if (System.nanoTime() > deadline) {
                    throw new PhaseTimeoutException(
                            "raw consume", timeout, "read " + read + " of " + expected + " events");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                read += records.count();
            }
            return Rate.between(read, started, System.nanoTime());
        }
    }
}

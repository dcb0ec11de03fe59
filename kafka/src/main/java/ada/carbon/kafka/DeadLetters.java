package ada.carbon.kafka;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the dead-letter topic: counts by reason and the first few records of each reason. */
public final class DeadLetters {

    /** One rejected record as a person reads it. */
    public record Entry(
            String reason, String detail, String source, String partition, String offset, String original) {}

    /** What a range of the dead-letter topic holds. */
    public record Report(long total, Map<String, Long> byReason, Map<String, List<Entry>> examples) {}

    private DeadLetters() {}

    /** The end offset of each dead-letter partition: take it before a run, read from it after. */
    public static Map<TopicPartition, Long> ends(Admin admin) {
        try {
            return TopicEnds.of(admin, List.of(Topics.DEAD_LETTER), IsolationLevel.READ_UNCOMMITTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the dead-letter topic: " + e.getCause().getMessage(), e);
        }
    }

    /** Reads the records between {@code from} (missing partitions: the beginning) and the current end. */
    public static Report read(Cluster cluster, Map<TopicPartition, Long> from, int examplesPerReason) {
        return read(cluster.bootstrapServers(), cluster.client(), cluster.admin(), from, examplesPerReason);
    }

    /** Reads the records between {@code from} (missing partitions: the beginning) and the current end. */
    public static Report read(
            String bootstrapServers,
            KafkaClientProperties client,
            Admin admin,
            Map<TopicPartition, Long> from,
            int examplesPerReason) {
        Map<TopicPartition, Long> to = ends(admin);
        Map<String, Long> byReason = new TreeMap<>();
        Map<String, List<Entry>> examples = new LinkedHashMap<>();
        long total = 0;
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client.over(config))) {
            List<TopicPartition> partitions = new ArrayList<>(to.keySet());
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, to) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= to.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    total++;
                    String reason = String.valueOf(DeadLetter.header(r.headers(), DeadLetter.REASON));
                    byReason.merge(reason, 1L, Long::sum);
                    List<Entry> list = examples.computeIfAbsent(reason, k -> new ArrayList<>());
                    if (list.size() < examplesPerReason) {
                        list.add(new Entry(
                                reason,
                                DeadLetter.header(r.headers(), DeadLetter.DETAIL),
                                DeadLetter.header(r.headers(), DeadLetter.SOURCE_TOPIC),
                                DeadLetter.header(r.headers(), DeadLetter.SOURCE_PARTITION),
                                DeadLetter.header(r.headers(), DeadLetter.SOURCE_OFFSET),
                                r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return new Report(total, byReason, examples);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> to) {
        for (var e : to.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

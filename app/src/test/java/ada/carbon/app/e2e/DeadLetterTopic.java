package ada.carbon.app.e2e;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the whole dead-letter topic of a broker, independently of the application's own reader. */
final class DeadLetterTopic {
    /** One dead-letter record: its value (the original bytes) and the headers of {@link DeadLetter}. */
    record Letter(
            byte[] original,
            String reason,
            String detail,
            String source,
            String partition,
            String offset,
            String rejectedAt) {}

    private DeadLetterTopic() {}

    static List<Letter> readAll(String bootstrapServers) {
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
        List<Letter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.DEAD_LETTER, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the dead-letter topic to its end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    var h = r.headers();
                    out.add(new Letter(
                            r.value(),
                            DeadLetter.header(h, DeadLetter.REASON),
                            DeadLetter.header(h, DeadLetter.DETAIL),
                            DeadLetter.header(h, DeadLetter.SOURCE_TOPIC),
                            DeadLetter.header(h, DeadLetter.SOURCE_PARTITION),
                            DeadLetter.header(h, DeadLetter.SOURCE_OFFSET),
                            DeadLetter.header(h, DeadLetter.REJECTED_AT)));
                }
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

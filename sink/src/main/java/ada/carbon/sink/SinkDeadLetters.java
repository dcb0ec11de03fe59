package ada.carbon.sink;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The output records the sink could not read or apply, to the dead-letter topic with their original bytes
 * and reason (SPEC 2.7), as ingest and the aggregator send theirs. Sent and acknowledged before the batch
 * that skipped them commits; should the sink stop in between, they are sent again with the batch.
 */
final class SinkDeadLetters implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;

    SinkDeadLetters(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    static SinkDeadLetters connect(String bootstrapServers, Map<String, Object> clientOverrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ada-carbon-sink-dead-letters");
        config.putAll(clientOverrides);
        // Ours, whatever the overrides say: the values are bytes as they were read.
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new SinkDeadLetters(new KafkaProducer<>(config));
    }

    /** @throws KafkaException if any could not be sent: the batch is then not committed and is tried again */
    void send(List<ApplyResult.Rejected> unreadable, List<ApplyResult.Rejected> refused) {
        List<Future<RecordMetadata>> sent = Stream.concat(unreadable.stream(), refused.stream())
                .filter(r -> r.entry().source() != null)
                .map(r -> {
                    SinkBatch.SourceRecord s = r.entry().source();
                    return producer.send(new ProducerRecord<>(
                            Topics.DEAD_LETTER,
                            null,
                            System.currentTimeMillis(),
                            s.key(),
                            s.value(),
                            DeadLetter.headers(r.reason(), r.detail(), s.topic(), s.partition(), s.offset())));
                })
                .toList();
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new KafkaException("cannot dead-letter a record the sink skipped: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while dead-lettering", e);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

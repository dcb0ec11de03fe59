package ada.carbon.bench;

import ada.carbon.ingest.EventPublisher;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Kafka client settings of the bench's own producers and consumers. */
final class TunedClients {
    private TunedClients() {}

    /**
     * The publisher's own bulk settings (256 KB batches, 20 ms linger, lz4, acks=all, idempotent): the raw
     * limit is then what the project's real publisher could reach, and the pipeline is fed the same way.
     */
    static Map<String, Object> bulkProducer(String bootstrapServers, String clientId) {
        Map<String, Object> c = EventPublisher.producerConfig(bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return c;
    }

    /**
     * For single events whose latency is measured: no linger (a lone record would otherwise wait 20 ms
     * for company), still acks=all and idempotent like the publisher.
     */
    static Map<String, Object> latencyProducer(String bootstrapServers, String clientId) {
        Map<String, Object> c = bulkProducer(bootstrapServers, clientId);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return c;
    }

    /** Large fetches for reading a topic back as fast as the broker serves it; partitions are assigned, no group. */
    static Map<String, Object> bulkConsumer(String bootstrapServers, String clientId, boolean readCommitted) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return c;
    }
}

package ada.carbon.aggregator;

import ada.carbon.aggregator.errors.DeadLetterHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the aggregator runs on Kafka, apart from what it computes (that is {@code AccountingConfig}).
 *
 * @param clientProperties how its clients connect to the cluster (security.protocol, sasl.*, ssl.*), laid over
 *                         its own settings; the caller keeps out the keys the pipeline's guarantees rest on
 *                         (the application refuses them in {@code --kafka-config})
 */
public record AggregatorSettings(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        int threads,
        long commitIntervalMs,
        Map<String, Object> clientProperties) {
    public static final String DEFAULT_APPLICATION_ID = "ada-carbon-aggregator";
    public static final Duration COMMIT_INTERVAL = Duration.ofMillis(500);
    /**
     * The longest a change the aggregator has consumed can stay out of its output topics: until the host
     * stage's next send, then the commit after it (the bucket stage reads committed changes only), then the
     * bucket stage's next write and the commit after that. Whoever waits for the output to settle must wait
     * longer than this.
     */
    public static final Duration LONGEST_UNWRITTEN =
            CarbonTopology.EMIT_INTERVAL.plus(COMMIT_INTERVAL).multipliedBy(2);

    public static AggregatorSettings of(String bootstrapServers, Path stateDir) {
        return new AggregatorSettings(
                bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, 1, COMMIT_INTERVAL.toMillis(), Map.of());
    }

    public AggregatorSettings withApplicationId(String id) {
        return new AggregatorSettings(bootstrapServers, id, stateDir, threads, commitIntervalMs, clientProperties);
    }

    /** Stream threads in this instance: each runs tasks of either stage; more instances share the tasks out. */
    public AggregatorSettings withThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one stream thread, not " + count);
        }
        return new AggregatorSettings(
                bootstrapServers, applicationId, stateDir, count, commitIntervalMs, clientProperties);
    }

    public AggregatorSettings withClientProperties(Map<String, Object> properties) {
        return new AggregatorSettings(
                bootstrapServers, applicationId, stateDir, threads, commitIntervalMs, Map.copyOf(properties));
    }

    /** An admin client's settings for the aggregator's cluster. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(clientProperties);
        return p;
    }

    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // The record cache folds repeated updates of a key between commits into one (the host-slot store
        // is its own cache: WriteBackStore).
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // The raw topics are merged by event time (RawEventTime): a topic with records still on the broker
        // is waited for rather than overtaken, so a backfill is read in time order and nothing in it turns
        // late against the horizon. A topic that is caught up is not waited for.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        // No record may stop the aggregator (SPEC 2.7): what a processor does not dead-letter itself, these do.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.class);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.class);
        // No global tables here; set only so that Kafka Streams 4.x stops warning about its future default.
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A backfill arrives in large runs: fetch and poll them in large pieces.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 5000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 * 1024 * 1024);
        p.putAll(clientProperties);
        return p;
    }
}

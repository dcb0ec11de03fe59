package ada.carbon.app.metrics;

import ada.carbon.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer group's lag: for every partition it has committed an offset on, the partition's end minus
 * that offset, summed. Read through an admin client at most every {@link #REFRESH}, so a scrape stays
 * cheap; NaN until the first answer (and while the broker does not answer).
 *
 * <p>The sink commits its offsets to Kafka after each SQLite transaction for this purpose; the aggregator
 * (Kafka Streams) commits with each transaction.
 */
final class ConsumerGroupLag implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupLag.class);
    static final Duration REFRESH = Duration.ofSeconds(2);
    private static final long TIMEOUT_MS = 3000;

    private final Admin admin;
    private final String groupId;
    private long readAt = Long.MIN_VALUE;
    private double lag = Double.NaN;

    ConsumerGroupLag(String bootstrapServers, KafkaClientProperties client, String groupId) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-lag-metrics");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.admin = Admin.create(client.over(p));
        this.groupId = groupId;
    }

    synchronized double records() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < REFRESH.toNanos()) {
            return lag;
        }
        readAt = now;
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.forEach((tp, offset) -> {
                if (offset != null) {
                    latest.put(tp, OffsetSpec.latest());
                }
            });
            long total = 0;
            if (!latest.isEmpty()) {
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                for (var e : ends.entrySet()) {
                    total += Math.max(
                            0, e.getValue().offset() - committed.get(e.getKey()).offset());
                }
            }
            lag = total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lag = Double.NaN;
        } catch (Exception e) {
            log.debug("cannot read the lag of group {}: {}", groupId, e.toString());
            lag = Double.NaN;
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

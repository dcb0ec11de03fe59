package ada.carbon.report.serve;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.kafka.TopicEnds;
import ada.carbon.report.ReportDatabase;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the database is behind the raw topics, for /health when serve is given a broker: the raw records the
 * aggregator has not yet committed, and the output records the sink has not yet applied (its offsets are in the
 * database, sink_offset). Offsets, so a transaction's commit marker counts as one. Read at most every two
 * seconds; a broker that does not answer is reported, not waited for.
 */
public final class PipelineLag implements AutoCloseable {
    private static final long TIMEOUT_MS = 3000;
    private static final Duration REFRESH = Duration.ofSeconds(2);

    /** Offsets behind, per topic; null figures and an error when the broker could not be read. */
    public record Lag(
            Map<String, Long> aggregatorBehind, Map<String, Long> sinkBehind, Long offsetsBehind, String error) {}

    private final Admin admin;
    private long readAt = Long.MIN_VALUE;
    private Lag last;

    /** @param client how to reach a secured cluster ({@code --kafka-config}) */
    public PipelineLag(String bootstrapServers, KafkaClientProperties client) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "ada-carbon-serve-health");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.admin = Admin.create(client.over(p));
    }

    synchronized Lag read(Path db) {
        long now = System.nanoTime();
        if (last != null && now - readAt < REFRESH.toNanos()) {
            return last;
        }
        readAt = now;
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                            AggregatorSettings.DEFAULT_APPLICATION_ID)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> rawEnds = TopicEnds.of(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED);
            Map<String, Long> aggregator = behind(rawEnds, tp -> {
                OffsetAndMetadata o = committed.get(tp);
                return o == null ? 0L : o.offset();
            });
            Map<TopicPartition, Long> sinkOffsets = new HashMap<>();
            try (Connection c = ReportDatabase.openReadOnly(db);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT topic, \"partition\", next_offset FROM sink_offset")) {
                while (r.next()) {
                    sinkOffsets.put(new TopicPartition(r.getString(1), r.getInt(2)), r.getLong(3));
                }
            }
            Map<TopicPartition, Long> outputEnds = TopicEnds.of(admin, Topics.OUTPUT, IsolationLevel.READ_COMMITTED);
            Map<String, Long> sink = behind(outputEnds, tp -> sinkOffsets.getOrDefault(tp, 0L));
            long total = aggregator.values().stream().mapToLong(Long::longValue).sum()
                    + sink.values().stream().mapToLong(Long::longValue).sum();
            last = new Lag(aggregator, sink, total, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = new Lag(null, null, null, "interrupted");
        } catch (Exception e) {
            last = new Lag(null, null, null, "the broker could not be read: " + e);
        }
        return last;
    }

    private static Map<String, Long> behind(
            Map<TopicPartition, Long> ends, java.util.function.Function<TopicPartition, Long> position) {
        Map<String, Long> out = new TreeMap<>();
        ends.forEach((tp, end) -> out.merge(tp.topic(), Math.max(0, end - position.apply(tp)), Long::sum));
        return out;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

package ada.carbon.bench;

import ada.carbon.avro.Fact;
import ada.carbon.core.Scope;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Every record of {@code ada.facts}, in partition order, as compact rows: what the sink upserted, for
 * the plain-SQLite baseline to upsert again. Read once, before that baseline's clock starts.
 */
final class FactsTopic {
    /** One upsert of a fact_usage row; {@code entity} null for scope ada. */
    record Row(
            long ts,
            Scope scope,
            String entity,
            double busyCpu,
            double idleCpu,
            double busyKwh,
            double idleKwh,
            double busyCarbon,
            double idleCarbon,
            double intensity) {}

    /** The upserts, and how many tombstones (deletes) the topic also held. */
    record Contents(List<Row> rows, long tombstones) {
        long records() {
            return rows.size() + tombstones;
        }
    }

    private FactsTopic() {}

    static Contents read(String bootstrapServers, Duration timeout) {
        Deserializer<Fact> facts = AdaSerdes.FACT.deserializer();
        List<Row> rows = new ArrayList<>();
        Map<String, String> names = new HashMap<>(); // entity names repeat: keep one copy of each
        long tombstones = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                TunedClients.bulkConsumer(bootstrapServers, "ada-carbon-bench-facts-reader", true))) {
            List<TopicPartition> tps = consumer.partitionsFor(Topics.FACTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps); // read_committed: the last stable offsets
            long deadline = System.nanoTime() + timeout.toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new PhaseTimeoutException(
                            "read facts", timeout, "read " + rows.size() + " records of " + Topics.FACTS);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Fact f = facts.deserialize(r.topic(), r.value());
                    if (f == null) {
                        tombstones++;
                        continue;
                    }
                    String entity = f.getEntity() == null ? null : names.computeIfAbsent(f.getEntity(), e -> e);
                    rows.add(new Row(
                            f.getTs().toEpochMilli(),
                            Scope.fromLabel(f.getScope()),
                            entity,
                            f.getBusyCpuSecondsTotal(),
                            f.getIdleCpuSecondsTotal(),
                            f.getBusyKwh(),
                            f.getIdleKwh(),
                            f.getBusyGCo2eq(),
                            f.getIdleGCo2eq(),
                            f.getIntensityGCo2eqKwh()));
                }
            }
        }
        return new Contents(rows, tombstones);
    }
}

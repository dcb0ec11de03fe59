package ada.carbon.bench;

import ada.carbon.schemas.EventKind;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/** Sends a workload's serialized events with the tuned producer and waits until every one is acknowledged. */
final class BulkProducer {
    /** When the first send was made and when the last acknowledgement came in ({@link System#nanoTime()}). */
    record Sent(long events, long firstSendNanos, long allAckedNanos) {
        Rate rate() {
            return Rate.between(events, firstSendNanos, allAckedNanos);
        }
    }

    private BulkProducer() {}

    /**
     * @param topicOf where each kind goes: one bench topic for the raw limit, the raw topics for the pipeline.
     *                No explicit partition: the default partitioner on the key, as the publisher does.
     */
    static Sent send(String bootstrapServers, String clientId, Workload workload, Function<EventKind, String> topicOf) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(TunedClients.bulkProducer(bootstrapServers, clientId))) {
            // Metadata and the idempotent producer id before the clock starts: they are start-up, not throughput.
            Set<String> topics = new LinkedHashSet<>();
            workload.events().forEach(e -> topics.add(topicOf.apply(e.kind())));
            topics.forEach(producer::partitionsFor);
            long first = System.nanoTime();
            for (Workload.Event e : workload.events()) {
                producer.send(new ProducerRecord<>(topicOf.apply(e.kind()), e.key(), e.value()), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
            long done = System.nanoTime();
            if (failure.get() != null) {
                throw new KafkaException("a bench send failed: " + failure.get().getMessage(), failure.get());
            }
            if (acked.get() != workload.size()) {
                throw new IllegalStateException(
                        acked.get() + " of " + workload.size() + " sends acknowledged after flush");
            }
            return new Sent(workload.size(), first, done);
        }
    }
}

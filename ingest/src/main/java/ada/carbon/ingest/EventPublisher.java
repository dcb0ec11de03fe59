package ada.carbon.ingest;

import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes input events to their raw topics, and what cannot be applied to the dead-letter topic.
 * Events that break a SPEC rule are dead-lettered here as {@link DeadLetter#INVALID} rather than
 * published; the aggregator checks again for producers that bypass ingest. Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {
    /** The dead-letter source of events handed over as records, which come from no file or topic. */
    public static final String RECORD_SOURCE = "ingest";

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final int NO_PARTITION = -1;
    /** Rejections logged at WARN before the rest go to DEBUG: a bad file must not flood the log. */
    private static final int LOUD_REJECTIONS = 20;

    private final Producer<byte[], byte[]> producer;
    private final AtomicLong read = new AtomicLong();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback onPublished = (metadata, error) -> {
        if (error == null) {
            published.increment();
        } else {
            failed(error);
        }
    };
    private final Callback onDeadLettered = (metadata, error) -> {
        if (error != null) {
            failed(error);
        }
    };

    public EventPublisher(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** A publisher with its own {@link KafkaProducer}, configured by {@link #producerConfig}. */
    public static EventPublisher connect(String bootstrapServers) {
        return connect(bootstrapServers, Map.of());
    }

    /** @param overrides producer settings that replace the defaults of {@link #producerConfig} */
    public static EventPublisher connect(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.putAll(overrides);
        return new EventPublisher(new KafkaProducer<>(config));
    }

    /**
     * Settings for bulk publishing: a backfill may be tens of millions of small records, so batches are
     * large and compressed, while idempotence with acks=all keeps retries from duplicating or reordering
     * (a replacement must never be overtaken by the event it replaces).
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "ada-carbon-ingest");
        return c;
    }

    /**
     * Publishes an event handed over as a record. A rule-breaking one is dead-lettered in its JSON
     * form, with source {@link #RECORD_SOURCE} and its sequence number as offset.
     *
     * @return true if published, false if rejected
     */
    public boolean publish(SpecificRecord event) {
        long sequence = read.incrementAndGet();
        return send(event, null, RECORD_SOURCE, sequence);
    }

    /**
     * Publishes an event read from somewhere; if it breaks a rule, the dead letter carries
     * {@code original} (the bytes as read) and where they came from.
     *
     * @return true if published, false if rejected
     */
    public boolean publish(SpecificRecord event, byte[] original, String source, long lineOrOffset) {
        read.incrementAndGet();
        return send(event, original, source, lineOrOffset);
    }

    /** Sends an input that cannot be published to the dead-letter topic, counting it as read and rejected. */
    public void reject(byte[] original, String reason, String detail, String source, long lineOrOffset) {
        read.incrementAndGet();
        deadLetter(original, reason, detail, source, lineOrOffset);
    }

    /** Counts so far; {@code published} trails the sends until {@link #flush()}. */
    public IngestCounts counts() {
        Map<String, Long> byReason = new TreeMap<>();
        rejected.forEach((reason, n) -> byReason.put(reason, n.sum()));
        return new IngestCounts(read.get(), published.sum(), byReason, failed.sum());
    }

    /**
     * Waits until every send so far is acknowledged.
     *
     * @throws KafkaException if any send has failed, so that a lost event cannot go unnoticed
     */
    public void flush() {
        producer.flush();
        Exception first = firstFailure.get();
        if (first != null) {
            throw new KafkaException(failed.sum() + " sends failed; the first: " + first.getMessage(), first);
        }
    }

    @Override
    public void close() {
        producer.close();
        IngestCounts c = counts();
        if (c.failed() > 0) {
            log.error("Closed with failed sends: {}", c, firstFailure.get());
        } else {
            log.info("Closed: {}", c);
        }
    }

    private boolean send(SpecificRecord event, byte[] original, String source, long lineOrOffset) {
        EventKind kind = EventKind.of(event);
        Optional<String> violation;
        try {
            violation = kind.violation(event);
        } catch (RuntimeException e) {
            violation = Optional.of("cannot be checked: " + e);
        }
        if (violation.isPresent()) {
            byte[] bytes =
                    original != null ? original : JsonEvents.toJson(event).getBytes(StandardCharsets.UTF_8);
            deadLetter(bytes, DeadLetter.INVALID, violation.get(), source, lineOrOffset);
            return false;
        }
        byte[] key;
        byte[] value;
        try {
            key = kind.key(event).getBytes(StandardCharsets.UTF_8);
            value = kind.serialize(event);
        } catch (RuntimeException e) {
            // No rule foresaw it (SPEC 2.7, reason error): this event is lost to the dead-letter topic, not the run.
            deadLetter(
                    original != null ? original : String.valueOf(event).getBytes(StandardCharsets.UTF_8),
                    DeadLetter.ERROR,
                    "cannot be published: " + e.getMessage(),
                    source,
                    lineOrOffset);
            return false;
        }
        // No record timestamp from the event time: a backfill of old events would fall straight out of
        // time-based retention. The event's own time travels in the value.
        producer.send(new ProducerRecord<>(kind.topic(), key, value), onPublished);
        return true;
    }

    private void deadLetter(byte[] original, String reason, String detail, String source, long lineOrOffset) {
        LongAdder count = rejected.computeIfAbsent(reason, r -> new LongAdder());
        boolean loud = count.sum() < LOUD_REJECTIONS;
        count.increment();
        if (loud) {
            log.warn("Rejected ({}) {}:{}: {}", reason, source, lineOrOffset, detail);
        } else {
            log.debug("Rejected ({}) {}:{}: {}", reason, source, lineOrOffset, detail);
        }
        producer.send(
                new ProducerRecord<>(
                        Topics.DEAD_LETTER,
                        null,
                        null,
                        null,
                        original,
                        DeadLetter.headers(reason, detail, source, NO_PARTITION, lineOrOffset)),
                onDeadLettered);
    }

    private void failed(Exception error) {
        failed.increment();
        if (firstFailure.compareAndSet(null, error)) {
            log.error("A send failed; more may follow", error);
        }
    }
}

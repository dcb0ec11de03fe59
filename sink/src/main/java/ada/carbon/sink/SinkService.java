package ada.carbon.sink;

import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the five output topics into the Ada SQLite database, exactly once: each poll's records and
 * the offsets after them are one SQLite transaction, and on assignment the consumer seeks to the
 * offsets SQLite holds. Kafka's committed offsets are written for lag monitoring only and never read.
 *
 * <p>{@link #runUntilStopped()} runs the loop on the calling thread; {@link #stop()} or
 * {@link #close()} from any other thread ends it after the batch in hand is stored.
 */
public final class SinkService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkService.class);

    public static final String DEFAULT_GROUP_ID = "ada-carbon-sink";
    /** Records per poll, and so per SQLite transaction: large enough to amortise the commit. */
    static final int MAX_POLL_RECORDS = 2000;

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final SinkDeadLetters deadLetters;
    private final AdaDatabase db;
    private final Duration retryPause;
    private final Topics.Outputs topics;
    private final RecordDecoder decoder;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private final AtomicLong recordsApplied = new AtomicLong();
    /** The offsets last stored in SQLite, per partition; only the poll loop's thread touches it. */
    private final Map<TopicPartition, Long> storedPosition = new HashMap<>();

    private final AtomicLong recordsSkipped = new AtomicLong();
    private final AtomicLong batchesCommitted = new AtomicLong();
    private final AtomicLong batchCommitNanos = new AtomicLong();
    private volatile Throwable failure;

    public SinkService(String bootstrapServers, Path dbPath) {
        this(bootstrapServers, dbPath, DEFAULT_GROUP_ID);
    }

    public SinkService(String bootstrapServers, Path dbPath, String groupId) {
        this(bootstrapServers, dbPath, groupId, Topics.Outputs.LIVE, Map.of());
    }

    /** A sink of another set of output topics than the live one (a reprocess run's). */
    public SinkService(String bootstrapServers, Path dbPath, String groupId, Topics.Outputs topics) {
        this(bootstrapServers, dbPath, groupId, topics, Map.of());
    }

    /**
     * @param clientOverrides extra client settings (security, client.id, ...), for its consumer and its
     *                        dead-letter producer; they win over the defaults
     */
    public SinkService(
            String bootstrapServers,
            Path dbPath,
            String groupId,
            Topics.Outputs topics,
            Map<String, Object> clientOverrides) {
        this.topics = topics;
        this.decoder = new RecordDecoder(topics);
        this.db = AdaDatabase.open(dbPath);
        this.retryPause = RETRY_PAUSE;
        KafkaConsumer<byte[], byte[]> kafkaConsumer = null;
        try {
            kafkaConsumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, groupId, clientOverrides));
            this.deadLetters = SinkDeadLetters.connect(bootstrapServers, clientOverrides);
        } catch (RuntimeException e) {
            if (kafkaConsumer != null) {
                kafkaConsumer.close();
            }
            db.close();
            throw e;
        }
        this.consumer = kafkaConsumer;
    }

    /** For tests: any consumer and producer (e.g. Kafka's mocks) over an open database; the service owns them. */
    SinkService(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> deadLetterProducer,
            AdaDatabase db,
            Duration retryPause) {
        this.topics = Topics.Outputs.LIVE;
        this.decoder = new RecordDecoder(topics);
        this.consumer = consumer;
        this.deadLetters = new SinkDeadLetters(deadLetterProducer);
        this.db = db;
        this.retryPause = retryPause;
    }

    static Properties consumerConfig(String bootstrapServers, String groupId, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId == null ? DEFAULT_GROUP_ID : groupId);
        // Only what the aggregator's transactions committed; never rows it later aborted.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        // Bytes in, Avro decoded here: an unreadable record must be skipped, not fail the whole poll.
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(overrides);
        return p;
    }

    /** Consumes until {@link #stop()} or {@link #close()}; then closes the consumer and the database. */
    public void runUntilStopped() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the sink is already running or has run");
        }
        try {
            consumer.subscribe(topics.all(), new SeekToStoredOffsets());
            log.info("sink consuming {} into {}", topics.all(), db.file());
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL_TIMEOUT);
                } catch (WakeupException e) {
                    continue; // stop() woke us; the loop condition decides
                }
                store(records);
            }
        } catch (RuntimeException | Error e) {
            // No record gets here (each is applied or dead-lettered): this is the cluster's or the process's fault.
            failure = e;
            log.error("the sink stopped: {}", e.toString(), e);
            throw e;
        } finally {
            releaseResources();
            loopEnded.countDown();
            log.info("sink stopped after applying {} records ({} skipped)", recordsApplied.get(), recordsSkipped.get());
        }
    }

    /** Asks the loop to end after the batch in hand; returns at once. Safe from any thread. */
    public void stop() {
        if (running.getAndSet(false)) {
            stopRequested.countDown();
            consumer.wakeup();
        }
    }

    /** Stops the loop, waits for it to store its last batch, and releases the consumer and the database. */
    @Override
    public void close() {
        stop();
        if (started.get()) {
            awaitLoopEnd();
        } else {
            releaseResources();
        }
    }

    /** The offsets stored in SQLite: where reading each partition resumes. */
    public Map<TopicPartition, Long> storedOffsets() {
        Map<TopicPartition, Long> out = new HashMap<>();
        db.storedOffsets().forEach((p, next) -> out.put(new TopicPartition(p.topic(), p.partition()), next));
        return out;
    }

    /** Why the loop ended by itself, if it did: whoever runs the sink exits non-zero then. */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Records whose effect is committed to SQLite (tombstones and no-ops included). */
    public long recordsApplied() {
        return recordsApplied.get();
    }

    /** Records that could not be read, were invalid or failed to apply: dead-lettered, their offsets passed. */
    public long recordsSkipped() {
        return recordsSkipped.get();
    }

    /** SQLite transactions committed: one per poll that brought records or moved a position. */
    public long batchesCommitted() {
        return batchesCommitted.get();
    }

    /** Time spent writing and committing those transactions, in total, in nanoseconds. */
    public long batchCommitNanos() {
        return batchCommitNanos.get();
    }

    private void store(ConsumerRecords<byte[], byte[]> records) {
        SinkBatch batch = new SinkBatch();
        List<ApplyResult.Rejected> unreadable = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(tp);
            for (ConsumerRecord<byte[], byte[]> r : inPartition) {
                var source = new SinkBatch.SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
                try {
                    batch.add(decoder.decode(r), source);
                } catch (RuntimeException e) {
                    unreadable.add(new ApplyResult.Rejected(
                            new SinkBatch.Entry(null, source), DeadLetter.MALFORMED, String.valueOf(e.getMessage())));
                    log.warn("skipping unreadable record {}: {}", source, e.getMessage());
                }
            }
        }
        // The consumer's position, not "last record + 1": a transactional producer's commit markers take
        // offsets too, and only the position steps past them. Storing it lets anyone compare the stored
        // offsets with the topics' ends to know the database is complete. An empty poll that stepped over a
        // marker stores the new position alone.
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            if (records.partitions().contains(tp) || position != storedPosition.getOrDefault(tp, -1L)) {
                batch.offset(new SourcePartition(tp.topic(), tp.partition()), position);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            long began = System.nanoTime();
            // Dead letters are sent and acknowledged before the batch commits: none is lost in between.
            ApplyResult result = db.apply(batch, rejected -> deadLetters.send(unreadable, rejected));
            batchCommitNanos.addAndGet(System.nanoTime() - began);
            batchesCommitted.incrementAndGet();
            recordsApplied.addAndGet(result.applied());
            recordsSkipped.addAndGet(unreadable.size() + result.skipped());
            batch.offsets()
                    .forEach((p, next) -> storedPosition.put(new TopicPartition(p.topic(), p.partition()), next));
            reportProgressToKafka(batch);
        } catch (SinkDatabaseException | KafkaException e) {
            log.error(
                    "could not store a batch of {} records; rewinding to the stored offsets and retrying in {} s",
                    records.count(),
                    retryPause.toMillis() / 1000.0,
                    e);
            seekToStoredOffsets(consumer.assignment());
            pauseBeforeRetry();
        }
    }

    /** For lag monitoring only: the sink never reads these back. */
    private void reportProgressToKafka(SinkBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        batch.offsets()
                .forEach((p, next) ->
                        committed.put(new TopicPartition(p.topic(), p.partition()), new OffsetAndMetadata(next)));
        consumer.commitAsync(committed, (offsets, e) -> {
            if (e != null) {
                log.debug(
                        "could not report progress to Kafka (harmless, SQLite holds the offsets): {}", e.getMessage());
            }
        });
    }

    private void seekToStoredOffsets(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<SourcePartition, Long> stored = db.storedOffsets();
        List<TopicPartition> unseen = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(new SourcePartition(tp.topic(), tp.partition()));
            if (next == null) {
                unseen.add(tp);
            } else {
                consumer.seek(tp, next);
            }
        }
        // Explicitly, not by auto.offset.reset: a group offset committed for monitoring must not skip
        // rows that a new or replaced database file has never stored.
        if (!unseen.isEmpty()) {
            consumer.seekToBeginning(unseen);
        }
        log.info(
                "resuming {} partitions from the offsets stored in SQLite ({} from the beginning)",
                partitions.size(),
                unseen.size());
    }

    private void pauseBeforeRetry() {
        try {
            stopRequested.await(retryPause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    private void awaitLoopEnd() {
        try {
            loopEnded.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseResources() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            log.warn("closing the Kafka consumer: {}", e.getMessage());
        }
        deadLetters.close();
        db.close();
    }

    /** Every batch is stored before poll returns again, so on revocation nothing is pending. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            seekToStoredOffsets(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            log.debug("partitions revoked: {}", partitions);
        }
    }
}

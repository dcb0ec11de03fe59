package ada.carbon.aggregator;

import ada.carbon.aggregator.codec.EventTimes;
import ada.carbon.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A raw record's timestamp in Kafka Streams is the time its event is about ({@link EventTimes}), so the task
 * takes the head of whichever raw topic is earliest in event time. Without it the topics are merged by
 * when they were published: a backfill that published a month of intensity readings before the month's cpu
 * events would have moved the horizon's newest time a month ahead, and every cpu event older than a horizon
 * behind it would be dead-lettered as late.
 *
 * <p>A time in the future (a forecast for tomorrow) counts as now: what the task writes carries this
 * timestamp, and brokers refuse records stamped more than an hour ahead ({@code message.timestamp.after.max.ms}).
 * A record whose time cannot be read (bytes that do not read, a time before 1970, which Kafka Streams would
 * drop) keeps its place in its topic: it takes the topic's latest time so far, never its publication time,
 * which would hold the topic back while every other topic ran ahead. The processor judges the event itself.
 * A user event has no time of its own and changes no figure: it keeps its record's timestamp.
 */
public final class RawEventTime implements TimestampExtractor {
    /**
     * A workspace record's own Kafka timestamp (when it was published), kept in this header for the host stage:
     * versions of one workspace on different hosts sit on different partitions, and only their publication
     * times order them ({@code HostStage}). The extractor is the one place that sees the record's timestamp
     * before it is replaced by the event's time.
     */
    public static final String PUBLISHED = "ada.published";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (Topics.RAW_WORKSPACE.equals(record.topic()) && record.headers().lastHeader(PUBLISHED) == null) {
            try {
                record.headers()
                        .add(
                                PUBLISHED,
                                java.nio.ByteBuffer.allocate(Long.BYTES)
                                        .putLong(record.timestamp())
                                        .array());
            } catch (IllegalStateException readOnly) {
                // then it is ordered by arrival alone
            }
        }
        long eventTime = EventTimes.of(record.topic(), (byte[]) record.value());
        if (eventTime >= 0) {
            return Math.min(eventTime, System.currentTimeMillis());
        }
        if (Topics.RAW_USER.equals(record.topic()) && record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0);
    }
}

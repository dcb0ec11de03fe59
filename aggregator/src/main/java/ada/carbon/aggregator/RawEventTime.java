package ada.carbon.aggregator;

import ada.carbon.schemas.EventTimes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A raw record's timestamp in Kafka Streams is the time its event is about ({@link EventTimes}), so the task
 * takes the head of whichever raw topic is earliest in event time. Without it the topics are merged by
 * when they were published: a backfill that published a month of intensity readings before the month's cpu
 * events would have moved the horizon's newest time a month ahead, and every cpu event older than a horizon
 * behind it would be dead-lettered as late.
 *
 * <p>An event with no time (a user event, bytes that do not read, a time before 1970 that Kafka Streams
 * would drop) keeps the record's own timestamp; the processor judges the event itself. A time in the future
 * (a forecast for tomorrow) counts as now: what the task writes carries this timestamp, and brokers refuse
 * records stamped more than an hour ahead ({@code message.timestamp.after.max.ms}).
 */
final class RawEventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long eventTime = EventTimes.of(record.topic(), (byte[]) record.value());
        if (eventTime >= 0) {
            return Math.min(eventTime, System.currentTimeMillis());
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}

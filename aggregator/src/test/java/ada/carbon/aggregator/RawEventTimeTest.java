package ada.carbon.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Which timestamp Kafka Streams merges the raw topics by. */
class RawEventTimeTest {
    private static final long PUBLISHED = Instant.parse("2026-11-01T12:00:00Z").toEpochMilli();
    private final RawEventTime extractor = new RawEventTime();

    @Test
    void anEventIsStampedWithItsOwnTimeNotWhenItWasPublished() {
        Instant ts = Instant.parse("2025-09-11T10:00:00Z");
        assertThat(extractor.extract(record(Topics.RAW_CPU, cpuAt(ts), PUBLISHED), 0L))
                .isEqualTo(ts.toEpochMilli());
        byte[] reading = AdaSerdes.INTENSITY_EVENT.serialize(
                "t", new IntensityEvent(ts, ts.plusSeconds(1800), 185.0, 190.0, "moderate", null));
        assertThat(extractor.extract(record(Topics.RAW_INTENSITY, reading, PUBLISHED), 0L))
                .isEqualTo(ts.toEpochMilli());
    }

    @Test
    void aTimeInTheFutureCountsAsNow() {
        long before = System.currentTimeMillis();
        long stamped =
                extractor.extract(record(Topics.RAW_CPU, cpuAt(Instant.now().plusSeconds(48 * 3600)), PUBLISHED), 0L);
        assertThat(stamped).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void aRecordWhoseTimeCannotBeReadKeepsItsPlaceInItsTopic() {
        long topicSoFar = Instant.parse("2025-09-11T10:05:00Z").toEpochMilli();
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        // Stamped when published (today), it would hold ada.raw.cpu back while a month of readings ran ahead.
        assertThat(extractor.extract(record(Topics.RAW_CPU, garbage, PUBLISHED), topicSoFar))
                .isEqualTo(topicSoFar);
        assertThat(extractor.extract(
                        record(Topics.RAW_CPU, cpuAt(Instant.parse("1969-12-31T23:00:00Z")), PUBLISHED), topicSoFar))
                .as("before 1970: Kafka Streams would drop the record")
                .isEqualTo(topicSoFar);
        assertThat(extractor.extract(record(Topics.RAW_INTENSITY, garbage, PUBLISHED), -1L))
                .as("nothing read from the topic yet, and never negative")
                .isZero();
    }

    @Test
    void aUserEventKeepsItsRecordsTimestamp() {
        byte[] user = AdaSerdes.USER_EVENT.serialize("t", new UserEvent("aa123456", "A", "G", List.of()));
        assertThat(extractor.extract(record(Topics.RAW_USER, user, PUBLISHED), 42L))
                .isEqualTo(PUBLISHED);
        assertThat(extractor.extract(record(Topics.RAW_USER, user, -1L), 42L)).isEqualTo(42L);
    }

    private static byte[] cpuAt(Instant ts) {
        return AdaSerdes.CPU_EVENT.serialize("t", new CpuEvent("host-a:9100", "IDAaaS", "Muon", ts, 300L, 1.0, 2.0));
    }

    private static ConsumerRecord<Object, Object> record(String topic, byte[] value, long timestamp) {
        return new ConsumerRecord<>(
                topic,
                0,
                0L,
                timestamp,
                TimestampType.CREATE_TIME,
                0,
                value.length,
                null,
                value,
                new RecordHeaders(),
                Optional.empty());
    }
}

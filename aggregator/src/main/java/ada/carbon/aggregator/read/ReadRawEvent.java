package ada.carbon.aggregator.read;

import ada.carbon.aggregator.RawEventTime;
import ada.carbon.aggregator.codec.CpuEventDecoder;
import ada.carbon.aggregator.errors.Rejections;
import ada.carbon.aggregator.flow.Origin;
import ada.carbon.aggregator.flow.RawEvent;
import ada.carbon.aggregator.flow.RawEvent.Delivery;
import ada.carbon.aggregator.flow.ReadResult;
import ada.carbon.aggregator.validation.Checked;
import ada.carbon.aggregator.validation.EventReader;
import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.EventRules;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first step of the aggregator, without state: reads each raw record as its topic's event and checks
 * it against SPEC section 1's rules and 2.7's bounds (a record that fails is dead-lettered with its bytes),
 * keys it as SPEC 2.8 says, and says where it is to be applied ({@link Delivery}): here, when it is on the
 * partition its key belongs to; on that partition, when another producer keyed it otherwise; here and on
 * every other partition, for a workspace. Nothing a producer sends can make it throw.
 */
public final class ReadRawEvent implements Processor<byte[], byte[], String, ReadResult> {
    private static final EventReader<CpuEvent> CPU = new EventReader<>(CpuEventDecoder.CURRENT, EventRules::check);
    private static final EventReader<IntensityEvent> INTENSITY =
            new EventReader<>(AdaSerdes.INTENSITY_EVENT, EventRules::check);
    private static final EventReader<WorkspaceEvent> WORKSPACE =
            new EventReader<>(AdaSerdes.WORKSPACE_EVENT, EventRules::check);
    private static final EventReader<UserEvent> USER =
            new EventReader<>(AdaSerdes.USER_EVENT, (event, now) -> EventRules.check(event));

    private final HostPartitions partitions;
    private ProcessorContext<String, ReadResult> context;
    private Rejections rejections;

    public ReadRawEvent(HostPartitions partitions) {
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, ReadResult> context) {
        this.context = context;
        this.rejections = new Rejections(context.metrics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        Origin origin = new Origin(meta.topic(), meta.partition(), meta.offset());
        Optional<EventKind> kind = EventKind.ofTopic(meta.topic());
        if (kind.isEmpty()) {
            reject(record, origin, DeadLetter.MALFORMED, "not a raw topic: " + meta.topic());
            return;
        }
        Checked<? extends SpecificRecord> read =
                reader(kind.get()).read(meta.topic(), record.value(), context.currentSystemTimeMs());
        if (!read.ok()) {
            reject(record, origin, read.reason(), read.detail());
            return;
        }
        SpecificRecord event = read.value();
        HostPartitions.Route route = partitions.route(kind.get(), event);
        RawEvent raw = new RawEvent(
                kind.get(), event, record.key(), record.value(), origin, published(record), Delivery.LOCAL);
        Record<String, ReadResult> out = record.withKey(route.key()).withValue(raw);
        if (kind.get() == EventKind.WORKSPACE) {
            context.forward(out);
            if (partitions.count() > 1) {
                context.forward(out.withValue(raw.delivered(Delivery.BROADCAST)));
            }
        } else {
            context.forward(
                    route.partition() == meta.partition() ? out : out.withValue(raw.delivered(Delivery.REROUTE)));
        }
    }

    /** The record's publication time, which the timestamp extractor kept for a workspace ({@link RawEventTime}). */
    private static long published(Record<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(RawEventTime.PUBLISHED);
        return h == null || h.value() == null || h.value().length != Long.BYTES
                ? RawEvent.UNKNOWN
                : ByteBuffer.wrap(h.value()).getLong();
    }

    private void reject(Record<byte[], byte[]> record, Origin origin, String reason, String detail) {
        context.forward(rejections.of(
                origin.toString(),
                record.key(),
                record.value(),
                origin,
                reason,
                detail,
                context.currentSystemTimeMs()));
    }

    private static EventReader<? extends SpecificRecord> reader(EventKind kind) {
        return switch (kind) {
            case CPU -> CPU;
            case INTENSITY -> INTENSITY;
            case WORKSPACE -> WORKSPACE;
            case USER -> USER;
        };
    }
}

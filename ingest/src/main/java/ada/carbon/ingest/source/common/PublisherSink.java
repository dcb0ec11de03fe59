package ada.carbon.ingest.source.common;

import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.IngestCounts;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;

/** Publishes to the raw topics through an {@link EventPublisher}, which it owns. */
public final class PublisherSink implements EventSink {
    private final EventPublisher publisher;
    private final String description;
    private final AtomicLong sequence = new AtomicLong();

    public PublisherSink(EventPublisher publisher, String description) {
        this.publisher = publisher;
        this.description = description;
    }

    @Override
    public boolean emit(SpecificRecord event, String source) {
        // No original bytes: a rule-breaking event is dead-lettered in its JSON form.
        return publisher.publish(event, null, source, sequence.incrementAndGet());
    }

    @Override
    public void reject(byte[] original, String reason, String detail, String source, long offset) {
        publisher.reject(original, reason, detail, source, offset);
    }

    @Override
    public void flush() {
        publisher.flush();
    }

    @Override
    public long position() {
        return -1;
    }

    @Override
    public IngestCounts counts() {
        return publisher.counts();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        publisher.close();
    }
}

package ada.carbon.ingest.source.common;

import ada.carbon.ingest.IngestCounts;
import org.apache.avro.specific.SpecificRecord;

/** Stops the run as a crash would, after some events of a window were written but before its commit. */
public final class CrashingSink implements EventSink {
    private final EventSink inner;
    private int left;

    public CrashingSink(EventSink inner, int emitsBeforeCrash) {
        this.inner = inner;
        this.left = emitsBeforeCrash;
    }

    @Override
    public boolean emit(SpecificRecord event, String source) {
        if (left-- <= 0) {
            throw new IllegalStateException("simulated crash");
        }
        return inner.emit(event, source);
    }

    @Override
    public void reject(byte[] original, String reason, String detail, String source, long offset) {
        inner.reject(original, reason, detail, source, offset);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public long position() {
        return inner.position();
    }

    @Override
    public IngestCounts counts() {
        return inner.counts();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}

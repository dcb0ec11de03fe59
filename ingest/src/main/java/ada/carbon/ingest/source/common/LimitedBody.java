package ada.carbon.ingest.source.common;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit. The bytes are taken as they arrive; once the answer
 * is longer than the limit the download is cancelled (the connection closed), so no more than the limit
 * is ever held, however much the server sends.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body's failure when the answer is longer than the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the answer is longer than " + limit + " bytes");
        }
    }

    /** The body's failure when the heap cannot hold the answer, under the limit though it is. */
    static final class OutOfMemory extends IOException {
        OutOfMemory(long read) {
            super(read + " bytes read when the heap ran out");
        }
    }

    private static final int FIRST_BUFFER = 16 * 1024;

    private final long limit;
    private final boolean truncate;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;

    private LimitedBody(long limit, boolean truncate, long declaredLength) {
        this.limit = limit;
        this.truncate = truncate;
        this.declaredLength = declaredLength;
    }

    /** The whole body, or the failure {@link TooLarge} once it passes {@code limit} bytes. */
    static HttpResponse.BodyHandler<byte[]> failingAbove(long limit) {
        return info -> new LimitedBody(
                limit, false, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** The first {@code limit} bytes of the body; the rest is not read. */
    static HttpResponse.BodyHandler<byte[]> truncatedAt(int limit) {
        return info -> new LimitedBody(
                limit, true, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit && !truncate) {
            fail(new TooLarge(limit)); // said so in its headers: not a byte of it is read
            return;
        }
        long first = declaredLength >= 0 ? Math.min(declaredLength, limit) : Math.min(FIRST_BUFFER, limit);
        if (!grow((int) first)) {
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (size + (long) n > limit) {
                if (truncate) {
                    b.get(buffer, size, (int) (limit - size));
                    size = (int) limit;
                    subscription.cancel();
                    result.complete(Arrays.copyOf(buffer, size));
                } else {
                    fail(new TooLarge(limit));
                }
                return;
            }
            if (size + n > buffer.length && !grow((int) Math.min(limit, Math.max(size + n, 2L * buffer.length)))) {
                return;
            }
            b.get(buffer, size, n);
            size += n;
        }
        subscription.request(1);
    }

    /** Makes room for {@code capacity} bytes; false (and the body failed) when the heap cannot. */
    private boolean grow(int capacity) {
        try {
            buffer = buffer == null ? new byte[capacity] : Arrays.copyOf(buffer, capacity);
            return true;
        } catch (OutOfMemoryError e) {
            // This allocation is the big one: dropping the buffer gives the heap back, and the source
            // fails with a message instead of the JVM limping on with a full heap.
            fail(new OutOfMemory(size));
            return false;
        }
    }

    private void fail(IOException e) {
        buffer = null;
        subscription.cancel();
        result.completeExceptionally(e);
    }

    @Override
    public void onError(Throwable t) {
        buffer = null;
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        try {
            result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
        } catch (OutOfMemoryError e) {
            result.completeExceptionally(new OutOfMemory(size));
        }
        buffer = null;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}

package ada.carbon.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of raw bytes, so that a rejected line reaches the dead-letter topic
 * exactly as it was in the file (invalid UTF-8 included). Lines end at LF; a CR before it is dropped;
 * a UTF-8 byte order mark at the start is skipped. Lines longer than the cap are cut to it and flagged.
 */
final class ByteLines {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private int length;
    private boolean truncated;
    private long number;
    private boolean started;

    ByteLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        truncated = false;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (!any) {
                    return false;
                }
                break;
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // past the LF
                break;
            }
        }
        if (length > 0 && line[length - 1] == '\r' && !truncated) {
            length--;
        }
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        number++;
        return true;
    }

    /** The current line, 1-based, counting blank lines too. */
    long number() {
        return number;
    }

    byte[] bytes() {
        return Arrays.copyOf(line, length);
    }

    /** True if the line was longer than the cap and {@link #bytes()} holds only its start. */
    boolean truncated() {
        return truncated;
    }

    boolean isBlank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, CHUNK);
        while (n == 0) {
            n = in.read(chunk, 0, CHUNK);
        }
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private void append(int from, int count) {
        int room = maxLineBytes - length;
        if (count > room) {
            truncated = true;
            count = room;
        }
        if (count <= 0) {
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(chunk, from, line, length, count);
        length += count;
    }

    private void skipByteOrderMark() {
        if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        }
    }
}

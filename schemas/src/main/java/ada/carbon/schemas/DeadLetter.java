package ada.carbon.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers a dead-letter record carries beside its original bytes. */
public final class DeadLetter {
    public static final String REASON = "ada.reason";
    public static final String DETAIL = "ada.detail";
    public static final String SOURCE_TOPIC = "ada.source.topic";
    public static final String SOURCE_PARTITION = "ada.source.partition";
    public static final String SOURCE_OFFSET = "ada.source.offset";
    public static final String REJECTED_AT = "ada.rejected.at";

    /** Reason codes: short, stable, countable. */
    public static final String MALFORMED = "malformed";

    public static final String INVALID = "invalid";
    public static final String LATE = "late";
    /** Applying the event failed for a reason no rule foresaw (SPEC 2.7); the detail says what failed. */
    public static final String ERROR = "error";

    private DeadLetter() {}

    /**
     * @param reason one of the reason codes
     * @param detail what exactly was wrong, for a person
     * @param source where the record came from: a topic, or a file name for file ingest
     * @param offset the offset, or the line number of a file
     */
    public static Headers headers(String reason, String detail, String source, int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        add(h, REASON, reason);
        add(h, DETAIL, detail);
        add(h, SOURCE_TOPIC, source);
        add(h, SOURCE_PARTITION, Integer.toString(partition));
        add(h, SOURCE_OFFSET, Long.toString(offset));
        add(h, REJECTED_AT, Instant.now().toString());
        return h;
    }

    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void add(RecordHeaders h, String name, String value) {
        h.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}

package ada.carbon.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an ingest did. Every input read is either published or rejected, so once the producer has
 * been flushed {@code read == published + rejectedTotal()} unless sends failed.
 *
 * @param read      inputs seen (events handed to the publisher, lines of a file; blank lines excluded)
 * @param published events the broker acknowledged on their raw topic
 * @param rejected  inputs sent to the dead-letter topic instead, by reason code
 * @param failed    sends (raw or dead-letter) the broker refused
 */
public record IngestCounts(long read, long published, Map<String, Long> rejected, long failed) {

    public IngestCounts {
        rejected = Map.copyOf(rejected);
    }

    public long rejected(String reason) {
        return rejected.getOrDefault(reason, 0L);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The counts accumulated since {@code before} was taken. */
    public IngestCounts minus(IngestCounts before) {
        Map<String, Long> diff = new TreeMap<>();
        rejected.forEach((reason, n) -> {
            long d = n - before.rejected(reason);
            if (d != 0) {
                diff.put(reason, d);
            }
        });
        return new IngestCounts(read - before.read, published - before.published, diff, failed - before.failed);
    }

    @Override
    public String toString() {
        return "read=" + read + ", published=" + published + ", rejected=" + new TreeMap<>(rejected)
                + (failed > 0 ? ", failed=" + failed : "");
    }
}

package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC 2.7 on the reference run ({@link ReferenceLoad}): each bad line of {@code e2e/events.jsonl} is on
 * {@code ada.dead-letter} with its original bytes, its reason and detail, and where it came from (the
 * file, and its line number as offset). Nothing else is there.
 */
class DeadLetterEndToEndTest {

    record Expected(int line, String reason, String detailContains) {}

    static final List<Expected> BAD_LINES = List.of(
            new Expected(18, "malformed", "not JSON"),
            new Expected(21, "malformed", "gpu"), // unknown kind
            new Expected(27, "invalid", "busy_cpu_seconds"), // -5 busy seconds
            new Expected(33, "invalid", "to must be 30 minutes after from"),
            new Expected(36, "malformed", "yesterday")); // unparseable time

    @Test
    void everyBadLineIsDeadLetteredWithItsOriginalBytesAndHeaders() {
        ReferenceLoad ref = ReferenceLoad.get();
        List<String> lines = E2e.lines(ref.events);
        List<DeadLetterTopic.Letter> letters = ref.deadLetters;

        assertThat(letters).as("dead letters").hasSize(BAD_LINES.size());
        for (Expected bad : BAD_LINES) {
            String original = lines.get(bad.line() - 1);
            List<DeadLetterTopic.Letter> matching = letters.stream()
                    .filter(l -> new String(l.original(), StandardCharsets.UTF_8).equals(original))
                    .toList();
            assertThat(matching)
                    .as("dead letters holding line %d: %s", bad.line(), original)
                    .hasSize(1);
            DeadLetterTopic.Letter letter = matching.get(0);
            assertThat(letter.original())
                    .as("line %d bytes", bad.line())
                    .isEqualTo(original.getBytes(StandardCharsets.UTF_8));
            assertThat(letter.reason()).as("reason of line %d", bad.line()).isEqualTo(bad.reason());
            assertThat(letter.detail()).as("detail of line %d", bad.line()).contains(bad.detailContains());
            assertThat(letter.source()).as("source of line %d", bad.line()).isEqualTo(ref.events.toString());
            assertThat(letter.offset())
                    .as("offset (line number) of line %d", bad.line())
                    .isEqualTo(Integer.toString(bad.line()));
            assertThat(letter.partition())
                    .as("partition of line %d (none: a file)", bad.line())
                    .isEqualTo("-1");
            assertThat(Instant.parse(letter.rejectedAt()))
                    .as("rejected at of line %d", bad.line())
                    .isBetween(Instant.now().minusSeconds(3600), Instant.now());
        }
    }
}

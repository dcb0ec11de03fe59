package ada.carbon.aggregator;

import static ada.carbon.aggregator.TopologyHarness.cpu;
import static ada.carbon.aggregator.TopologyHarness.intensity;
import static ada.carbon.aggregator.TopologyHarness.t;
import static ada.carbon.aggregator.TopologyHarness.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * SPEC 2.7's bounds, through the whole topology: each crafted record of the poison-input review is
 * dead-lettered with its reason, and the valid events around it give exactly the facts they give alone.
 */
class PoisonInputTest {
    private static final List<Object> VALID = List.of(
            workspace("w1", "host-a:9100", "alice", "2025-09-11T00:00Z", null),
            intensity("2025-09-11T10:00Z", 185.0, null),
            cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 120, 3000),
            cpu("host-b:9100", "CDAaaS", "SANS", "2025-09-11T10:05Z", 300, 60, 1000),
            cpu("host-a:9100", "IDAaaS", "Muon", "2025-09-11T10:35Z", 300, 90, 2000));

    @Test
    void everyPoisonRecordIsDeadLetteredWithItsReasonAndTheValidEventsAroundItAreApplied() {
        Map<?, ?> alone;
        try (var h = new TopologyHarness()) {
            alone = Map.copyOf(h.send(VALID).facts());
        }
        try (var h = new TopologyHarness()) {
            h.send(VALID.subList(0, 2));
            // Each would have overflowed a sum, exhausted memory, written a fact per half hour for years, or
            // moved the horizon's clock to the year 9999 (so that every later event was late).
            h.send(
                    cpu("host-c:9100", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 1e308, 0),
                    new CpuEvent("host-c:9100", "IDAaaS", "Muon", t("2025-09-11T10:00Z"), 100_000_000_000L, 1.0, 1.0),
                    new CpuEvent(
                            "host-c:9100", "IDAaaS", "Muon", t("2025-09-11T10:00Z"), 9_300_000_000_000_000L, 1.0, 1.0),
                    cpu("host-c:9100", "IDAaaS", "Muon", "9999-12-31T00:00Z", 300, 1, 1),
                    intensity("2025-09-11T10:30Z", 1e6, null),
                    cpu("host-c:9100\u001b[2J", "IDAaaS", "Muon", "2025-09-11T10:00Z", 300, 1, 1),
                    new UserEvent("u".repeat(256), null, null, List.of()));
            h.sendRaw(Topics.RAW_CPU, new CpuEventBytes(Long.MAX_VALUE).bytes());
            h.sendRaw(
                    Topics.RAW_WORKSPACE,
                    lengthBomb(AdaSerdes.WORKSPACE_EVENT.serialize(
                            null, new WorkspaceEvent("w9", "host-c", "bob", "P", "M", t("2025-09-11T00:00Z"), null))));
            h.sendRaw(
                    Topics.RAW_USER,
                    lengthBomb(AdaSerdes.USER_EVENT.serialize(null, new UserEvent("bob", null, null, List.of()))));
            h.send(VALID.subList(2, VALID.size()));

            assertThat(h.facts()).isEqualTo(alone);
            List<TestRecord<byte[], byte[]>> dead = h.deadLetters();
            assertThat(dead)
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly(
                            "invalid",
                            "invalid",
                            "invalid",
                            "invalid",
                            "invalid",
                            "invalid",
                            "invalid",
                            "invalid",
                            "malformed",
                            "malformed");
            assertThat(dead)
                    .extracting(r -> DeadLetter.header(r.headers(), DeadLetter.DETAIL))
                    .satisfiesExactly(
                            d -> assertThat(d).contains("busy_cpu_seconds"),
                            d -> assertThat(d).contains("period_seconds"),
                            d -> assertThat(d).contains("period_seconds"),
                            d -> assertThat(d).contains("ts").contains("wall clock"),
                            d -> assertThat(d).contains("forecast"),
                            d -> assertThat(d).contains("instance").contains("control character"),
                            d -> assertThat(d).contains("user_id").contains("255"),
                            d -> assertThat(d).contains("ts"),
                            d -> assertThat(d).contains("WorkspaceEvent"),
                            d -> assertThat(d).contains("UserEvent"));
        }
    }

    /** A cpu event of the current schema with a ts of {@code millis}, which Avro cannot write as an Instant. */
    private record CpuEventBytes(long millis) {
        byte[] bytes() {
            byte[] valid = AdaSerdes.CPU_EVENT.serialize(
                    null, new CpuEvent("h", "P", "M", t("2025-09-11T10:00Z"), 300L, 1.0, 1.0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(valid, 0, 10 + 2 + 2 + 2); // header, then "h", "P", "M" (a length byte and a letter each)
            long zigzag = (millis << 1) ^ (millis >> 63);
            while ((zigzag & ~0x7FL) != 0) {
                out.write((int) ((zigzag & 0x7F) | 0x80));
                zigzag >>>= 7;
            }
            out.write((int) zigzag);
            int tsLength = 5; // 2025's epoch millis take five varint bytes
            out.write(valid, 16 + tsLength, valid.length - 16 - tsLength);
            return out.toByteArray();
        }
    }

    /** The record with its first string's length claiming 2 GB. */
    private static byte[] lengthBomb(byte[] valid) {
        byte[] out = Arrays.copyOf(valid, valid.length + 4);
        byte[] claim = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}; // zig-zag of 2^31 - 8
        System.arraycopy(valid, 11, out, 10 + claim.length, valid.length - 11);
        System.arraycopy(claim, 0, out, 10, claim.length);
        return out;
    }
}

package ada.carbon.aggregator.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.core.HostSlotPieces;
import ada.carbon.core.UsagePiece;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class HostSlotPiecesCodecTest {
    private static final long SLOT = 1_756_684_800_000L; // 2025-09-01T00:00Z

    private static UsagePiece piece(
            String instance, int minute, String project, String machine, double busy, String owner) {
        long ts = SLOT + minute * 60_000L;
        return new UsagePiece(instance, ts, 300, project, machine, SLOT, ts, busy, 300 - busy, owner);
    }

    @Test
    void piecesComeBackAsTheyWentInStringsAndNumbersToTheBit() {
        HostSlotPieces value = new HostSlotPieces(
                SLOT,
                List.of(
                        piece("host-1:9100", 0, "IDAaaS", "Muon", 0.1, "alice"),
                        piece("host-1:9100", 5, "IDAaaS", "Muon", Math.nextUp(0.1), null),
                        piece("HOST-1:9100", 10, "Projét ✓", "SANS", Double.MIN_VALUE, "bob"),
                        new UsagePiece(
                                "host-1:9100", SLOT - 120_000, 600, "IDAaaS", "Muon", SLOT, SLOT, 1e15, 0, "alice")));
        HostSlotPieces back = HostSlotPiecesCodec.decode(HostSlotPiecesCodec.encode(value));
        assertThat(back).isEqualTo(value);
        assertThat(back.slotStart()).isEqualTo(SLOT);
        assertThat(back.get(1).owner()).isNull();
        assertThat(back.get(1).busySeconds()).isEqualTo(Math.nextUp(0.1));
    }

    @Test
    void anEmptyHostSlotAndNullsPassThroughTheSerde() {
        var serde = HostSlotPiecesCodec.serde();
        HostSlotPieces empty = new HostSlotPieces(SLOT);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", empty)))
                .isEqualTo(empty);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void sharedStringsAreWrittenOnce() {
        String longName = "a-rather-long-instance-name.example.org:9100";
        int extraForLongName1 = size(1, longName) - size(1, "h");
        int extraForLongName6 = size(6, longName) - size(6, "h");
        assertThat(extraForLongName6).isEqualTo(extraForLongName1).isEqualTo(longName.length() - 1);
    }

    private static int size(int pieces, String instance) {
        HostSlotPieces value = new HostSlotPieces(SLOT);
        for (int i = 0; i < pieces; i++) {
            value.add(piece(instance, 5 * i, "IDAaaS", "Muon", 1, "alice"));
        }
        return HostSlotPiecesCodec.encode(value).length;
    }

    @Test
    void bytesThatAreNotHostSlotPiecesAreASerializationError() {
        byte[] good = HostSlotPiecesCodec.encode(new HostSlotPieces(SLOT, List.of(piece("h", 0, "P", "M", 1, "u"))));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> HostSlotPiecesCodec.decode(otherVersion))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> HostSlotPiecesCodec.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> HostSlotPiecesCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("after");
        byte[] badIndex = good.clone();
        badIndex[good.length - 1] = 7; // the owner's index, past the string table
        assertThatThrownBy(() -> HostSlotPiecesCodec.decode(badIndex)).isInstanceOf(SerializationException.class);
    }
}

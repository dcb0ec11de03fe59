package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenPiecesTest {
    private static final long S = Slots.SLOT_MILLIS;

    private static UsagePiece piece(String instance, long slot, int minute) {
        long ts = slot + minute * 60_000L;
        return new UsagePiece(instance, ts, 300, "IDAaaS", "Muon", slot, ts, 1, 2, null);
    }

    @Test
    void aHostSlotIsMadeOnceAndFoundAgain() {
        OpenPieces open = new OpenPieces();
        assertThat(open.get("h1", 0)).isNull();
        HostSlotPieces slot = open.getOrAdd("h1", 0);
        slot.add(piece("h1:9100", 0, 5));
        assertThat(open.getOrAdd("h1", 0)).isSameAs(slot);
        assertThat(open.get("h1", 0).pieces()).containsExactly(piece("h1:9100", 0, 5));
        assertThat(open.get("h2", 0)).isNull();
        assertThat(open.hostSlots()).isEqualTo(1);
    }

    @Test
    void aHostsSlotsFromATimeOnComeInTimeOrderAndOnlyThatHosts() {
        OpenPieces open = new OpenPieces();
        for (long slot : List.of(3 * S, 0L, 2 * S, S)) {
            open.getOrAdd("h1", slot);
        }
        open.getOrAdd("h2", 2 * S);
        assertThat(open.from("h1", S).stream().map(HostSlotPieces::slotStart)).containsExactly(S, 2 * S, 3 * S);
        assertThat(open.from("h2", 0)).hasSize(1);
        assertThat(open.from("h3", 0)).isEmpty();
    }

    @Test
    void droppingBeforeASlotForgetsTheOlderOnesAndSaysWhich() {
        OpenPieces open = new OpenPieces();
        open.getOrAdd("h1", 0);
        open.getOrAdd("h1", S);
        open.getOrAdd("h1", 2 * S);
        open.put("h2", new HostSlotPieces(S));
        assertThat(open.dropBefore(2 * S))
                .containsExactlyInAnyOrder(new HostSlotId("h1", 0), new HostSlotId("h1", S), new HostSlotId("h2", S));
        assertThat(open.hostSlots()).isEqualTo(1);
        assertThat(open.get("h1", 2 * S)).isNotNull();
        assertThat(open.get("h1", S)).isNull();
        assertThat(open.getOrAdd("h1", S).pieces()).as("made anew").isEmpty();
        assertThat(open.dropBefore(2 * S)).containsExactly(new HostSlotId("h1", S));
        assertThat(open.dropBefore(2 * S)).isEmpty();
    }

    @Test
    void aPieceOfAnotherSlotIsRefused() {
        HostSlotPieces slot = new HostSlotPieces(S);
        assertThatThrownBy(() -> slot.add(piece("h1:9100", 0, 5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostSlotPieces(0, List.of(piece("h1:9100", S, 5))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCorrectionFindsThePieceOfItsEvent() {
        HostSlotPieces slot = new HostSlotPieces(0);
        slot.add(piece("h1:9100", 0, 0));
        slot.add(piece("h1:9100", 0, 5));
        UsagePiece corrected =
                new UsagePiece("h1:9100", 5 * 60_000L, 300, "IDAaaS", "Muon", 0, 5 * 60_000L, 9, 9, null);
        assertThat(slot.indexOfEvent(corrected)).isEqualTo(1);
        assertThat(slot.indexOfEvent(piece("h1:9100", 0, 10))).isEqualTo(-1);
        assertThat(slot.indexOfEvent(piece("h2:9100", 0, 5)))
                .as("another instance")
                .isEqualTo(-1);
    }
}

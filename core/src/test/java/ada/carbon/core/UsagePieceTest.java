package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A piece's event identity (SPEC 1.1: instance, ts, period_seconds) and its owner. */
class UsagePieceTest {
    private static final long TS = 1_757_584_800_000L; // 2025-09-11T10:00:00Z
    private static final long SLOT = 30 * 60_000L;
    private static final UsagePiece PIECE = new UsagePiece(
            "host-1:9100", TS + 20 * 60_000L, 1200, "IDAaaS", "Muon", TS, TS + 20 * 60_000L, 30, 60, "alice");

    @Test
    void piecesOfOneEventAreTheSameEventWhateverTheirSlotFiguresOrOwner() {
        UsagePiece secondHalf = new UsagePiece(
                "host-1:9100", TS + 20 * 60_000L, 1200, "CDAaaS", "SANS", TS + SLOT, TS + SLOT, 999, 0, null);
        assertThat(PIECE.sameEvent(secondHalf)).isTrue();
        assertThat(secondHalf.sameEvent(PIECE)).isTrue();
        assertThat(PIECE.sameEvent(PIECE)).isTrue();
        assertThat(PIECE.sameEvent(PIECE.withOwner("bob"))).isTrue();
    }

    @Test
    void anotherInstanceTimeOrPeriodIsAnotherEvent() {
        assertThat(PIECE.sameEvent(new UsagePiece(
                        "host-2:9100", PIECE.ts(), 1200, "IDAaaS", "Muon", TS, PIECE.pieceStart(), 30, 60, "alice")))
                .isFalse();
        assertThat(PIECE.sameEvent(new UsagePiece(
                        "host-1:9100",
                        PIECE.ts() + 1,
                        1200,
                        "IDAaaS",
                        "Muon",
                        TS,
                        PIECE.pieceStart(),
                        30,
                        60,
                        "alice")))
                .isFalse();
        assertThat(PIECE.sameEvent(new UsagePiece(
                        "host-1:9100", PIECE.ts(), 1199, "IDAaaS", "Muon", TS, PIECE.pieceStart(), 30, 60, "alice")))
                .isFalse();
        // The label as scraped, not the host key: another port is another instance.
        assertThat(PIECE.sameEvent(new UsagePiece(
                        "host-1:9101", PIECE.ts(), 1200, "IDAaaS", "Muon", TS, PIECE.pieceStart(), 30, 60, "alice")))
                .isFalse();
    }

    @Test
    void withOwnerChangesTheOwnerOnly() {
        UsagePiece bobs = PIECE.withOwner("bob");
        assertThat(bobs.owner()).isEqualTo("bob");
        assertThat(bobs)
                .isEqualTo(new UsagePiece(
                        "host-1:9100",
                        TS + 20 * 60_000L,
                        1200,
                        "IDAaaS",
                        "Muon",
                        TS,
                        TS + 20 * 60_000L,
                        30,
                        60,
                        "bob"));
        assertThat(PIECE.owner()).isEqualTo("alice");
        UsagePiece nobodys = PIECE.withOwner(null);
        assertThat(nobodys.owner()).isNull();
        assertThat(nobodys.withOwner("alice")).isEqualTo(PIECE);
        assertThat(bobs).isNotEqualTo(PIECE);
    }
}

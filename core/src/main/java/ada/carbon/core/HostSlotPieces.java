package ada.carbon.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The pieces of one host in one slot, at most one per cpu event (SPEC 2.2: an event is identified by
 * {@code (instance, ts, period)}), as the ledger counted them: so a correction finds the piece it replaces
 * and a re-attribution the owner it moves from. Mutable: the aggregator changes it in place and writes it
 * out at its next commit.
 */
public final class HostSlotPieces {
    private final long slotStart;
    private final List<UsagePiece> pieces;

    public HostSlotPieces(long slotStart) {
        this(slotStart, new ArrayList<>(6)); // a 30-minute slot holds six 5-minute scrapes
    }

    public HostSlotPieces(long slotStart, List<UsagePiece> pieces) {
        this.slotStart = slotStart;
        this.pieces = new ArrayList<>(pieces.size());
        pieces.forEach(this::add);
    }

    public long slotStart() {
        return slotStart;
    }

    public List<UsagePiece> pieces() {
        return Collections.unmodifiableList(pieces);
    }

    public int size() {
        return pieces.size();
    }

    public UsagePiece get(int i) {
        return pieces.get(i);
    }

    /** The position of the piece of the same cpu event, or -1. */
    public int indexOfEvent(UsagePiece piece) {
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).sameEvent(piece)) {
                return i;
            }
        }
        return -1;
    }

    public void set(int i, UsagePiece piece) {
        checkSlot(piece);
        pieces.set(i, piece);
    }

    public void add(UsagePiece piece) {
        checkSlot(piece);
        pieces.add(piece);
    }

    private void checkSlot(UsagePiece piece) {
        if (piece.slotStart() != slotStart) {
            throw new IllegalArgumentException("a piece of slot " + piece.slotStart() + " put in slot " + slotStart);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostSlotPieces other && other.slotStart == slotStart && other.pieces.equals(pieces);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(slotStart) * 31 + pieces.hashCode();
    }

    @Override
    public String toString() {
        return "HostSlotPieces" + pieces;
    }
}

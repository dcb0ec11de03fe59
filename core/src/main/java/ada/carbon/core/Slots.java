package ada.carbon.core;

import java.util.ArrayList;
import java.util.List;

/** Half-hour slots at :00 and :30 UTC, and the proportional split of CPU intervals between them. */
public final class Slots {
    public static final long SLOT_MILLIS = 30 * 60 * 1000L;

    private Slots() {}

    public static long slotStart(long epochMillis) {
        return Math.floorDiv(epochMillis, SLOT_MILLIS) * SLOT_MILLIS;
    }

    /** Splits {@code [start, start + periodSeconds)} between the slots it spans, in proportion to time. */
    public static List<SlotPiece> split(long start, long periodSeconds, double busySeconds, double idleSeconds) {
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("period_seconds must be > 0");
        }
        long periodMillis = periodSeconds * 1000L;
        long end = start + periodMillis;
        List<SlotPiece> pieces = new ArrayList<>(2);
        for (long slot = slotStart(start); slot < end; slot += SLOT_MILLIS) {
            long pieceStart = Math.max(start, slot);
            long overlap = Math.min(end, slot + SLOT_MILLIS) - pieceStart;
            if (overlap == periodMillis) {
                // The common case, kept exact: no multiply-then-divide rounding.
                pieces.add(new SlotPiece(slot, pieceStart, busySeconds, idleSeconds));
            } else {
                double share = (double) overlap / periodMillis;
                pieces.add(new SlotPiece(slot, pieceStart, busySeconds * share, idleSeconds * share));
            }
        }
        return pieces;
    }
}

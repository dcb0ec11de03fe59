package ada.carbon.core;

/**
 * What the pieces of one fact in one slot add up to: CPU seconds and kWh, kept exact ({@link ExactSum}),
 * so retracting a piece restores the sums to the bit and a set of pieces sums the same in any order.
 * Carbon is not kept here: it is this energy times the slot's intensity, worked out when the fact is
 * written, so a new intensity reading restates a fact without touching its pieces.
 */
final class SlotEnergy {
    final ExactSum busySeconds = new ExactSum();
    final ExactSum idleSeconds = new ExactSum();
    final ExactSum busyKwh = new ExactSum();
    final ExactSum idleKwh = new ExactSum();
    /** The host time the pieces cover (SPEC 2.10's host_seconds), in milliseconds: an exact integer sum. */
    long hostMillis;

    long pieces;

    void add(UsagePiece p, Energy e, int sign) {
        if (sign > 0) {
            busySeconds.add(p.busySeconds());
            idleSeconds.add(p.idleSeconds());
            busyKwh.add(e.busyKwh());
            idleKwh.add(e.idleKwh());
        } else {
            busySeconds.subtract(p.busySeconds());
            idleSeconds.subtract(p.idleSeconds());
            busyKwh.subtract(e.busyKwh());
            idleKwh.subtract(e.idleKwh());
        }
        hostMillis += sign * p.lengthMillis();
        pieces += sign;
    }
}

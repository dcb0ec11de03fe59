package ada.carbon.core;

/**
 * The part of one {@code cpu} event that falls in one half-hour slot (SPEC 2.2), with the owner it is
 * counted toward in the {@code user} scope (null: no user). The event's identity is
 * {@code (instance, ts, periodSeconds)}; with the slot, that is the piece's identity.
 */
public record UsagePiece(
        String instance,
        long ts,
        long periodSeconds,
        String project,
        String machine,
        long slotStart,
        long pieceStart,
        double busySeconds,
        double idleSeconds,
        String owner) {

    public boolean sameEvent(UsagePiece other) {
        return ts == other.ts && periodSeconds == other.periodSeconds && instance.equals(other.instance);
    }

    /** How much of the host's time the piece covers: from its start to its event's end or its slot's. */
    public long lengthMillis() {
        return Math.min(ts + periodSeconds * 1000, slotStart + Slots.SLOT_MILLIS) - pieceStart;
    }

    public UsagePiece withOwner(String newOwner) {
        return new UsagePiece(
                instance,
                ts,
                periodSeconds,
                project,
                machine,
                slotStart,
                pieceStart,
                busySeconds,
                idleSeconds,
                newOwner);
    }
}

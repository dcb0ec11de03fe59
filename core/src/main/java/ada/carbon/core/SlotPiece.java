package ada.carbon.core;

/** The part of one {@code cpu} interval that falls in one half-hour slot (SPEC 2.2). */
public record SlotPiece(long slotStart, long pieceStart, double busySeconds, double idleSeconds) {}

package ada.carbon.core;

/**
 * CPU seconds of one host in one slot that start at one instant. Attribution looks at each piece's
 * start, so a host-slot keeps its seconds apart by start rather than as a single sum.
 */
public record UsageAtStart(long pieceStart, double busySeconds, double idleSeconds) {}

package ada.carbon.core;

/**
 * What the pieces of one cell in one slot add up to, exactly ({@link ExactSum}): CPU seconds, kWh, the host
 * time they cover (milliseconds) and how many pieces. Carbon is not here: it is this energy times the slot's intensity, worked out when the fact
 * is written, so a new reading restates a fact without touching its pieces. A snapshot: never changed once
 * made, so it can be handed from the host stage to the bucket stage and stored as it is.
 */
public record SlotSums(
        ExactSum busySeconds, ExactSum idleSeconds, ExactSum busyKwh, ExactSum idleKwh, long hostMillis, long pieces) {}

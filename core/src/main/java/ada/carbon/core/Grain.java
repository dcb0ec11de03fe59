package ada.carbon.core;

/** The fact bucket size (SPEC 2.5): one hour by default, or one half-hour slot. */
public record Grain(long seconds) {
    public static final Grain HOUR = new Grain(3600);
    public static final Grain HALF_HOUR = new Grain(1800);

    public Grain {
        if (seconds != 3600 && seconds != 1800) {
            throw new IllegalArgumentException("grain must be 3600 or 1800 seconds, not " + seconds);
        }
    }

    public long millis() {
        return seconds * 1000L;
    }

    public long bucketStart(long epochMillis) {
        return Math.floorDiv(epochMillis, millis()) * millis();
    }

    public int slotsPerBucket() {
        return (int) (millis() / Slots.SLOT_MILLIS);
    }

    /** Which of its bucket's slots the slot starting at {@code slotStart} is: 0, or 1 for the second half hour. */
    public int slotIndex(long slotStart) {
        return (int) ((slotStart - bucketStart(slotStart)) / Slots.SLOT_MILLIS);
    }
}

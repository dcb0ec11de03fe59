package ada.carbon.core;

import java.util.Arrays;

/**
 * One cell's sums in one bucket, slot by slot ({@code null} where no piece falls): what a host partition
 * sends the bucket stage for each cell it changed, as absolute figures, so that the latest one replaces
 * the one before and a repeat changes nothing.
 */
public final class CellSums {
    private final SlotSums[] slots;

    public CellSums(SlotSums[] slots) {
        this.slots = slots.clone();
    }

    public int slotCount() {
        return slots.length;
    }

    /** The sums of the bucket's {@code i}th slot, or null when no piece of the cell falls in it. */
    public SlotSums slot(int i) {
        return slots[i];
    }

    /** Pieces in the {@code i}th slot. */
    public long pieces(int i) {
        return slots[i] == null ? 0 : slots[i].pieces();
    }

    @Override
    public String toString() {
        return "CellSums" + Arrays.toString(slots);
    }
}

package ada.carbon.core;

/** One host (its case-folded host key, {@link InstanceLabel#hostKey}) in one half-hour slot. */
public record HostSlotId(String host, long slotStart) {}

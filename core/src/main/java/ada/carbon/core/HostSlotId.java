package ada.carbon.core;

/** One host (its case-folded host key, {@code InstanceLabel.hostKey}) in one half-hour slot. */
public record HostSlotId(String host, long slotStart) {}

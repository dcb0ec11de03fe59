package ada.carbon.core;

import java.util.List;

/** All CPU time of one host (as labelled with a project and machine type) within one half-hour slot. */
public record HostSlot(String instance, String project, String machine, long slotStart, List<UsageAtStart> usage) {
    public HostSlot {
        usage = List.copyOf(usage);
    }
}

package ada.carbon.ingest.sim;

/**
 * Events a simulation run has emitted so far, by kind, and the data it deliberately left out.
 *
 * @param missingCpuIntervals   host intervals with no {@code cpu} event (scrape gaps)
 * @param missingIntensitySlots half hours with no {@code intensity} event at all (fallback slots)
 * @param intensityActuals      of {@code intensity}, the late events that replace a slot's forecast
 */
public record SimulatorCounts(long users, long workspaces, long cpu, long intensity, long intensityActuals,
        long missingCpuIntervals, long missingIntensitySlots) {

    public long total() {
        return users + workspaces + cpu + intensity;
    }
}

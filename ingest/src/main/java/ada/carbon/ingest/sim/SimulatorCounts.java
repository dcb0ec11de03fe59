package ada.carbon.ingest.sim;

/**
 * Events a simulation run has emitted so far, by kind, and the data it deliberately left out.
 *
 * @param intensity             {@code intensity} events, national and regional
 * @param intensityActuals      of {@code intensity}, the late events that replace a slot's forecast
 * @param missingCpuIntervals   host intervals with no {@code cpu} event (scrape gaps)
 * @param missingIntensitySlots half hours of the period with no national {@code intensity} event at all (fallback slots)
 * @param regionalIntensity     of {@code intensity}, the region's ({@link SimulatorConfig#REGION}) forecasts
 * @param missingRegionalSlots  half hours of the period with no regional forecast
 */
public record SimulatorCounts(
        long users,
        long workspaces,
        long cpu,
        long intensity,
        long intensityActuals,
        long missingCpuIntervals,
        long missingIntensitySlots,
        long regionalIntensity,
        long missingRegionalSlots) {

    public long total() {
        return users + workspaces + cpu + intensity;
    }
}

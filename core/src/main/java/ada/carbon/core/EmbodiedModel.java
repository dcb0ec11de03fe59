package ada.carbon.core;

import java.util.Map;

/**
 * SPEC 2.9: the hardware's manufacturing emissions, shared by the time each piece holds its cores (the Green
 * Software Foundation's SCI {@code M = TE × TR/EL × RR/TR}, as Cloud Carbon Footprint applies it):
 * {@code E(machine) = server_kgCo2eq × 1,000 / (lifetime_years × 8,760) / server_cores} grams per core-hour,
 * a server's kilograms and cores overridable per machine type. Zero kilograms turns it off.
 */
public record EmbodiedModel(
        double serverKg,
        double serverCores,
        double lifetimeYears,
        Map<String, Double> serverKgByMachine,
        Map<String, Double> serverCoresByMachine) {
    private static final double HOURS_PER_YEAR = 8_760;
    private static final double SECONDS_PER_HOUR = 3_600;

    public EmbodiedModel {
        serverKgByMachine = Map.copyOf(serverKgByMachine);
        serverCoresByMachine = Map.copyOf(serverCoresByMachine);
    }

    /** Cloud Carbon Footprint's base rack server: 1,000 kgCO2eq, 48 cores, 4 years (0.5946 g per core-hour). */
    public static EmbodiedModel defaults() {
        return new EmbodiedModel(1_000, 48, 4, Map.of(), Map.of());
    }

    /** {@code E(machine)}, gCO2eq per core-hour. */
    public double gramsPerCoreHour(String machine) {
        double kg = serverKgByMachine.getOrDefault(machine, serverKg);
        double cores = serverCoresByMachine.getOrDefault(machine, serverCores);
        return kg * 1_000 / (lifetimeYears * HOURS_PER_YEAR) / cores;
    }

    /** The factor a count of CPU-seconds (busy and idle together) is multiplied by: grams per core-second. */
    public double gramsPerCoreSecond(String machine) {
        return gramsPerCoreHour(machine) / SECONDS_PER_HOUR;
    }
}

package ada.carbon.core;

import java.util.Map;

/**
 * SPEC 2.1: {@code kWh = cpu_seconds x watts_per_core x PUE / 3,600,000}, with busy and idle watts
 * that a machine type may override (different hardware).
 */
public record PowerModel(
        double busyWatts,
        double idleWatts,
        double pue,
        Map<String, Double> busyWattsByMachine,
        Map<String, Double> idleWattsByMachine) {
    private static final double JOULES_PER_KWH = 3_600_000.0;

    public PowerModel {
        busyWattsByMachine = Map.copyOf(busyWattsByMachine);
        idleWattsByMachine = Map.copyOf(idleWattsByMachine);
    }

    public static PowerModel defaults() {
        return new PowerModel(12.0, 1.0, 1.0, Map.of(), Map.of());
    }

    public Energy energy(String machineName, double busySeconds, double idleSeconds) {
        double busy = busyWattsByMachine.getOrDefault(machineName, busyWatts);
        double idle = idleWattsByMachine.getOrDefault(machineName, idleWatts);
        return new Energy(busySeconds * busy * pue / JOULES_PER_KWH, idleSeconds * idle * pue / JOULES_PER_KWH);
    }
}

package ada.carbon.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The accounting settings, from a properties file with exactly the keys below, each of which an
 * environment variable may override: {@code ADA_CARBON_} followed by the key upper-cased with dots as
 * underscores ({@code pue} is {@code ADA_CARBON_PUE}); a per-machine key keeps the machine name as it is
 * after a double underscore ({@code power.busy.watts.Muon} is {@code ADA_CARBON_POWER_BUSY_WATTS__Muon}).
 *
 * @param region the site's grid region (SPEC 2.3: the API's regionid, 1 to 17), or null for the national series
 */
public record AccountingConfig(
        PowerModel power,
        double fallbackIntensity,
        Grain grain,
        Duration horizon,
        Integer region,
        EmbodiedModel embodied) {
    public static final String BUSY_WATTS = "power.busy.watts";
    public static final String IDLE_WATTS = "power.idle.watts";
    public static final String PUE = "pue";
    public static final String FALLBACK = "intensity.fallback";
    public static final String GRAIN = "grain.seconds";
    public static final String HORIZON = "horizon.days";
    public static final String REGION = "intensity.region";
    public static final String EMBODIED_KG = "embodied.server.kgco2eq";
    public static final String EMBODIED_CORES = "embodied.server.cores";
    public static final String LIFETIME = "embodied.lifetime.years";
    /** The keys that may be given per machine type, after a dot ({@code power.busy.watts.Muon}). */
    private static final java.util.List<String> PER_MACHINE =
            java.util.List.of(BUSY_WATTS, IDLE_WATTS, EMBODIED_KG, EMBODIED_CORES);

    public static final String ENV_PREFIX = "ADA_CARBON_";
    /** The launcher's own variables: they share the prefix but are not settings. */
    public static final java.util.Set<String> LAUNCHER_VARIABLES =
            java.util.Set.of("ADA_CARBON_JAVA_OPTS", "ADA_CARBON_LOG_LEVEL");

    public static AccountingConfig defaults() {
        return new AccountingConfig(
                PowerModel.defaults(), 200.0, Grain.HOUR, Duration.ofDays(7), null, EmbodiedModel.defaults());
    }

    /** Reads the file's keys, then the environment's overrides; refuses unknown keys and bad values. */
    public static AccountingConfig from(Properties file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        file.stringPropertyNames()
                .forEach(k -> values.put(k, file.getProperty(k).trim()));
        environment.forEach((name, value) -> {
            String key = keyOfEnvironmentVariable(name);
            if (key != null) {
                values.put(key, value.trim());
            }
        });
        return from(values);
    }

    public static AccountingConfig from(Map<String, String> values) {
        double busy = 12.0, idle = 1.0, pue = 1.0, fallback = 200.0;
        long grainSeconds = 3600, horizonDays = 7;
        Integer region = null;
        EmbodiedModel defaultEmbodied = EmbodiedModel.defaults();
        double serverKg = defaultEmbodied.serverKg(), serverCores = defaultEmbodied.serverCores();
        double lifetimeYears = defaultEmbodied.lifetimeYears();
        Map<String, Double> busyByMachine = new HashMap<>();
        Map<String, Double> idleByMachine = new HashMap<>();
        Map<String, Double> kgByMachine = new HashMap<>();
        Map<String, Double> coresByMachine = new HashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case BUSY_WATTS -> busy = nonNegative(key, value);
                case IDLE_WATTS -> idle = nonNegative(key, value);
                case PUE -> pue = atLeast(key, value, 1.0);
                case FALLBACK -> fallback = nonNegative(key, value);
                case GRAIN -> {
                    grainSeconds = whole(key, value);
                    if (grainSeconds != 3600 && grainSeconds != 1800) {
                        throw new ConfigException(key + " must be 3600 or 1800, not '" + value + "'");
                    }
                }
                case HORIZON -> {
                    horizonDays = whole(key, value);
                    if (horizonDays < 1) {
                        throw new ConfigException(key + " must be at least 1, not '" + value + "'");
                    }
                }
                case REGION -> {
                    long id = whole(key, value);
                    if (id < 1 || id > 17) {
                        throw new ConfigException(key + " must be a regionid of the Carbon Intensity API, 1 to 17,"
                                + " not '" + value + "' (12 is South England)");
                    }
                    region = (int) id;
                }
                case EMBODIED_KG -> serverKg = nonNegative(key, value);
                case EMBODIED_CORES -> serverCores = positive(key, value);
                case LIFETIME -> lifetimeYears = positive(key, value);
                default -> {
                    if (machineKey(key, BUSY_WATTS)) {
                        busyByMachine.put(machineOf(key, BUSY_WATTS), nonNegative(key, value));
                    } else if (machineKey(key, IDLE_WATTS)) {
                        idleByMachine.put(machineOf(key, IDLE_WATTS), nonNegative(key, value));
                    } else if (machineKey(key, EMBODIED_KG)) {
                        kgByMachine.put(machineOf(key, EMBODIED_KG), nonNegative(key, value));
                    } else if (machineKey(key, EMBODIED_CORES)) {
                        coresByMachine.put(machineOf(key, EMBODIED_CORES), positive(key, value));
                    } else {
                        throw new ConfigException("unknown configuration key '" + key + "'");
                    }
                }
            }
        }
        return new AccountingConfig(
                new PowerModel(busy, idle, pue, busyByMachine, idleByMachine),
                fallback,
                new Grain(grainSeconds),
                Duration.ofDays(horizonDays),
                region,
                new EmbodiedModel(serverKg, serverCores, lifetimeYears, kgByMachine, coresByMachine));
    }

    private static boolean machineKey(String key, String prefix) {
        return key.startsWith(prefix + ".") && key.length() > prefix.length() + 1;
    }

    private static String machineOf(String key, String prefix) {
        return key.substring(prefix.length() + 1);
    }

    /** The configuration key an environment variable sets, or null if it is not one of ours. */
    public static String keyOfEnvironmentVariable(String name) {
        if (!name.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
            return null;
        }
        String rest = name.substring(ENV_PREFIX.length());
        int machineAt = rest.indexOf("__");
        String fixed = machineAt < 0 ? rest : rest.substring(0, machineAt);
        String key = fixed.toLowerCase(Locale.ROOT).replace('_', '.');
        if (machineAt >= 0) {
            return key + "." + rest.substring(machineAt + 2);
        }
        return key;
    }

    /** The environment variable that overrides a key (the inverse of {@link #keyOfEnvironmentVariable}). */
    public static String environmentVariableOf(String key) {
        for (String perMachine : PER_MACHINE) {
            if (key.startsWith(perMachine + ".")) {
                return ENV_PREFIX + perMachine.toUpperCase(Locale.ROOT).replace('.', '_') + "__"
                        + key.substring(perMachine.length() + 1);
            }
        }
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The settings back as properties, so a service can hand them to another process unchanged. */
    public Horizon restatementHorizon() {
        return new Horizon(horizon, grain);
    }

    public Map<String, String> toProperties() {
        Map<String, String> out = new TreeMap<>();
        out.put(BUSY_WATTS, Double.toString(power.busyWatts()));
        out.put(IDLE_WATTS, Double.toString(power.idleWatts()));
        power.busyWattsByMachine().forEach((m, w) -> out.put(BUSY_WATTS + "." + m, Double.toString(w)));
        power.idleWattsByMachine().forEach((m, w) -> out.put(IDLE_WATTS + "." + m, Double.toString(w)));
        out.put(PUE, Double.toString(power.pue()));
        out.put(FALLBACK, Double.toString(fallbackIntensity));
        out.put(GRAIN, Long.toString(grain.seconds()));
        out.put(HORIZON, Long.toString(horizon.toDays()));
        if (region != null) {
            out.put(REGION, Integer.toString(region));
        }
        out.put(EMBODIED_KG, Double.toString(embodied.serverKg()));
        out.put(EMBODIED_CORES, Double.toString(embodied.serverCores()));
        out.put(LIFETIME, Double.toString(embodied.lifetimeYears()));
        embodied.serverKgByMachine().forEach((m, kg) -> out.put(EMBODIED_KG + "." + m, Double.toString(kg)));
        embodied.serverCoresByMachine().forEach((m, c) -> out.put(EMBODIED_CORES + "." + m, Double.toString(c)));
        return out;
    }

    private static double nonNegative(String key, String value) {
        return atLeast(key, value, 0.0);
    }

    private static double positive(String key, String value) {
        double d = nonNegative(key, value);
        if (d == 0) {
            throw new ConfigException(key + " must be above 0, not '" + value + "'");
        }
        return d;
    }

    private static double atLeast(String key, String value, double min) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number, not '" + value + "'");
        }
        if (!Double.isFinite(d) || d < min) {
            throw new ConfigException(key + " must be a finite number of at least " + min + ", not '" + value + "'");
        }
        return d;
    }

    private static long whole(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, not '" + value + "'");
        }
    }
}

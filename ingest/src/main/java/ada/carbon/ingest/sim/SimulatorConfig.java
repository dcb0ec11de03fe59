package ada.carbon.ingest.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * What the {@link PlatformSimulator} simulates. The same configuration always yields the same events.
 *
 * @param seed  every random choice follows from it
 * @param hosts how many hosts report CPU time
 * @param days  how long the simulation runs, from {@code start}
 * @param step  the scrape interval: one {@code cpu} event per host per step
 * @param start the first instant simulated
 */
public record SimulatorConfig(long seed, int hosts, int days, Duration step, Instant start) {
    public static final long DEFAULT_SEED = 2025L;
    public static final int DEFAULT_HOSTS = 200;
    public static final int DEFAULT_DAYS = 7;
    public static final Duration DEFAULT_STEP = Duration.ofMinutes(5);
    public static final Instant DEFAULT_START = Instant.parse("2025-09-01T00:00:00Z");
    /**
     * The region whose forecasts the simulation publishes beside the national series: 12, South England, where
     * the Rutherford Appleton Laboratory is (the accounting's {@code intensity.region} to use them).
     */
    public static final int REGION = 12;
    /**
     * How far past its end the simulation publishes forecasts, as the API forecasts beyond its newest actual.
     * Within SPEC 2.7's seven days ahead of the wall clock, for a period that ends up to six days from now.
     */
    public static final Duration FORECAST_AHEAD = Duration.ofDays(1);
    /** The last stretch of the period whose actuals have not arrived when it ends: forecasts only. */
    public static final Duration ACTUALS_PENDING = Duration.ofDays(1);

    public SimulatorConfig {
        if (hosts < 1) {
            throw new IllegalArgumentException("hosts must be >= 1, not " + hosts);
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be >= 1, not " + days);
        }
        if (step == null || step.toMillis() < 1000 || step.toMillis() % 1000 != 0 || step.toDays() >= 1) {
            throw new IllegalArgumentException(
                    "step must be a whole number of seconds, at least 1 s and under a day, not " + step);
        }
        if (start == null) {
            throw new IllegalArgumentException("start is required");
        }
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(DEFAULT_SEED, DEFAULT_HOSTS, DEFAULT_DAYS, DEFAULT_STEP, DEFAULT_START);
    }

    public SimulatorConfig withSeed(long seed) {
        return new SimulatorConfig(seed, hosts, days, step, start);
    }

    public SimulatorConfig withHosts(int hosts) {
        return new SimulatorConfig(seed, hosts, days, step, start);
    }

    public SimulatorConfig withDays(int days) {
        return new SimulatorConfig(seed, hosts, days, step, start);
    }

    public SimulatorConfig withStep(Duration step) {
        return new SimulatorConfig(seed, hosts, days, step, start);
    }

    public SimulatorConfig withStart(Instant start) {
        return new SimulatorConfig(seed, hosts, days, step, start);
    }

    /** The end of the simulated time, exclusive. */
    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }

    public long stepSeconds() {
        return step.toSeconds();
    }
}

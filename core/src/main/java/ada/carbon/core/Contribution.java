package ada.carbon.core;

/**
 * What one host's CPU time in one slot adds to one fact. {@code bucketMeanIntensity} is the mean of I
 * over the bucket's slots, which the fact needs when its energy is zero (SPEC 2.5).
 */
public record Contribution(FactKey key, Metrics metrics, double bucketMeanIntensity) {}

package ada.carbon.ingest.sim;

/** Derives independent seeds from a seed and coordinates, so a figure can be drawn without history. */
final class Mix {
    private Mix() {}

    static long of(long seed, long salt, long x) {
        return finish(finish(seed ^ finish(salt)) + x * 0x9E3779B97F4A7C15L);
    }

    /** The SplitMix64 finaliser. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

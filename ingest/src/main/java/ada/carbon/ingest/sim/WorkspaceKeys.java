package ada.carbon.ingest.sim;

import java.util.Locale;

/**
 * Workspace keys shaped like the registry's MongoDB ObjectIds: creation seconds, a per-run value and
 * a counter, 24 hex digits. The counter makes them unique within a run.
 */
final class WorkspaceKeys {
    private final long process;
    private int counter;

    WorkspaceKeys(long seed) {
        this.process = Mix.of(seed, 0x0B1DL, 0) & 0xFF_FFFF_FFFFL;
        this.counter = (int) (Mix.of(seed, 0xC0DEL, 0) & 0xFF_FFFF);
    }

    String next(long createdMillis) {
        long seconds = Math.floorDiv(createdMillis, 1000) & 0xFFFF_FFFFL;
        int c = counter;
        counter = (counter + 1) & 0xFF_FFFF;
        return String.format(Locale.ROOT, "%08x%010x%06x", seconds, process, c);
    }
}

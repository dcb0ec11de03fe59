package ada.carbon.bench;

/**
 * The CPU time a process has used so far, user and system: on Linux, {@code utime + stime} of
 * {@code /proc/<pid>/stat}, which is what {@link ProcessHandle.Info#totalCpuDuration} reads. Its children's
 * time is not counted.
 */
final class ProcessCpu {
    private ProcessCpu() {}

    /** In seconds; NaN if the process is gone or the platform does not say, so that any sum it enters says so too. */
    static double seconds(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9)
                .orElse(Double.NaN);
    }
}

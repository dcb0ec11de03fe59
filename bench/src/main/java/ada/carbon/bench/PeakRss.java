package ada.carbon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peak resident memory of some processes: the kernel's high-water mark ({@code VmHWM} in
 * {@code /proc/<pid>/status}), sampled in the background so that a process's peak is known even if it
 * dies before the end. Linux only; elsewhere the figures are absent.
 */
final class PeakRss implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeakRss.class);
    private static final long SAMPLE_EVERY_MS = 500;

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> peakKb = new LinkedHashMap<>();
    private final Thread sampler;

    PeakRss() {
        sampler = new Thread(this::sampleUntilInterrupted, "ada-carbon-bench-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    synchronized void watch(String name, long pid) {
        pids.put(name, pid);
        sample();
    }

    /** The peak seen so far, in kB, per watched name. */
    synchronized Map<String, OptionalLong> peaksKb() {
        sample();
        Map<String, OptionalLong> out = new LinkedHashMap<>();
        pids.keySet()
                .forEach(name -> out.put(
                        name, peakKb.containsKey(name) ? OptionalLong.of(peakKb.get(name)) : OptionalLong.empty()));
        return out;
    }

    private void sampleUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                sample();
            }
            try {
                Thread.sleep(SAMPLE_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        pids.forEach((name, pid) -> hwmKb(pid).ifPresent(kb -> peakKb.merge(name, kb, Math::max)));
    }

    /** VmHWM of a live process, in kB. */
    static OptionalLong hwmKb(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.trace("no VmHWM for pid {}: {}", pid, e.toString());
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}

package ada.carbon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM's live heap: the bytes its objects still reachable take, after the full collection that
 * {@code jcmd <pid> GC.class_histogram} forces before it counts (the {@code Total} line of the histogram).
 * What the process needs, whatever its collector has not yet given back.
 */
final class LiveHeap {
    private static final Logger log = LoggerFactory.getLogger(LiveHeap.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The histogram's last line: {@code Total <instances> <bytes>}. */
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private LiveHeap() {}

    /**
     * @param histogram where the histogram goes (it names what the bytes are)
     * @return in bytes; empty (and logged) if the JDK has no jcmd or it could not attach
     */
    static OptionalLong bytes(long pid, Path histogram) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            log.warn("no {} (a JRE rather than a JDK): live heap not measured", jcmd);
            return OptionalLong.empty();
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .redirectOutput(histogram.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn(
                        "jcmd {} GC.class_histogram took more than {} s: live heap not measured",
                        pid,
                        TIMEOUT.toSeconds());
                return OptionalLong.empty();
            }
            return totalBytes(Files.readString(histogram), pid);
        } catch (IOException e) {
            log.warn("jcmd {} GC.class_histogram failed: {}", pid, e.toString());
            return OptionalLong.empty();
        }
    }

    static OptionalLong totalBytes(String histogram, long pid) {
        Matcher m = TOTAL.matcher(histogram);
        if (m.find()) {
            return OptionalLong.of(Long.parseLong(m.group(2)));
        }
        log.warn(
                "jcmd {} GC.class_histogram gave no Total line: {}",
                pid,
                histogram.length() > 300 ? histogram.substring(0, 300) + "..." : histogram);
        return OptionalLong.empty();
    }
}

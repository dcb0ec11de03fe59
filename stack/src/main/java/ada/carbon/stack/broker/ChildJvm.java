package ada.carbon.stack.broker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM started by this one, from the same java binary and classpath: the embedded broker, and the services
 * the bench and the tests run as they are deployed, each in its own process so that its memory can be measured
 * apart. Its stdout and stderr go to a log file; its stdin is a pipe from this JVM, held open until this JVM
 * exits, so a child that watches it (the broker, {@link BrokerChildMain}) stops when this JVM dies, even by
 * SIGKILL. Closing it sends SIGTERM, which the broker and the services answer by stopping cleanly, and SIGKILL
 * if that takes too long.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * @param jvmOptions e.g. the heap limit
     * @param mainClass  e.g. {@code ada.carbon.app.Main}
     * @param args       its command line, e.g. {@code aggregate --bootstrap-servers ...}
     * @param logFile    where its stdout and stderr go, appended
     */
    public static ChildJvm start(
            String name, List<String> jvmOptions, String mainClass, List<String> args, Path logFile)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        log.info("started {} (pid {}), its output in {}", name, process.pid(), logFile); // not its arguments: secrets
        return new ChildJvm(name, process, logFile);
    }

    /** The java binary running this JVM. */
    public static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * This JVM's classpath, as the child needs it: the launcher expands {@code lib/*}, and Surefire sets it to the
     * tests' real classpath rather than its manifest-only booter jar. Relative entries hold since the child runs
     * in this JVM's working directory.
     */
    public static String classpath() {
        return System.getProperty("java.class.path");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for it to exit by itself: its exit code, or empty if it still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    /** Why it is no longer usable, with the end of its log; null while it runs. */
    public String problem() {
        if (process.isAlive()) {
            return null;
        }
        return "the " + name + " JVM (pid " + process.pid() + ") exited with code " + process.exitValue()
                + "; the end of " + logFile + ":\n" + tail(logFile, 30);
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed or left cleanly (the crash tests' and the bench's). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}. Idempotent; safe from a shutdown hook. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        awaitStopped();
    }

    /**
     * As {@link #close} for each, but SIGTERM to all of them first: instances of one Kafka Streams application
     * leave together, rather than each in turn taking over the tasks of the one stopped before it.
     */
    public static void closeAll(List<ChildJvm> jvms) {
        jvms.stream().filter(ChildJvm::isAlive).forEach(j -> j.process.destroy());
        jvms.forEach(ChildJvm::awaitStopped);
    }

    private void awaitStopped() {
        if (!process.isAlive()) {
            return;
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{} (pid {}) did not stop within {} s of SIGTERM; killing it",
                        name,
                        process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of {@code file} (of its last 64 KB): the end of a child's log. */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no file)";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            byte[] bytes = new byte[(int) Math.min(length, 64 * 1024)];
            raf.seek(length - bytes.length);
            raf.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read: " + e + ")";
        }
    }
}

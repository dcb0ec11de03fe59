package ada.carbon.app.bench;

import ada.carbon.app.Main;
import ada.carbon.app.broker.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ada-carbon service in a JVM of its own (same java binary and classpath as this process, main class
 * {@link Main}), so that its memory can be measured apart from the broker's and the bench's. Closing it
 * sends SIGTERM, which the services answer by stopping cleanly, and SIGKILL if that takes too long.
 * Public for the tests that run the services as they are deployed.
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
     * @param args       the {@code ada-carbon} command line, e.g. {@code aggregate --bootstrap-servers ...}
     * @param logFile    where its stdout and stderr go
     */
    public static ChildJvm start(String name, List<String> jvmOptions, List<String> args, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(EmbeddedBroker.javaCommand());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(EmbeddedBroker.childClasspath());
        command.add(Main.class.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        process.getOutputStream().close(); // the services read no input
        log.info("started {} (pid {}): {}", name, process.pid(), String.join(" ", args));
        return new ChildJvm(name, process, logFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for it to exit by itself: its exit code, or empty if it still runs after {@code timeout}. */
    public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    /** Why it is no longer usable, with the end of its log; null while it runs. */
    public String problem() {
        if (process.isAlive()) {
            return null;
        }
        return "the " + name + " JVM (pid " + process.pid() + ") exited with code " + process.exitValue()
                + "; the end of " + logFile + ":\n" + EmbeddedBroker.tail(logFile, 30);
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
    static void closeAll(List<ChildJvm> jvms) {
        jvms.stream().filter(ChildJvm::isAlive).forEach(j -> j.process.destroy());
        jvms.forEach(ChildJvm::awaitStopped);
    }

    private void awaitStopped() {
        if (!process.isAlive()) {
            return;
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} (pid {}) did not stop within {} s of SIGTERM; killing it", name, process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

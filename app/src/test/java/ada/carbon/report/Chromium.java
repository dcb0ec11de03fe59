package ada.carbon.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, installed by {@code scripts/install-chromium.sh} when it is missing. Each run has
 * a fresh profile and no network services, and its stderr is kept: with {@code --enable-logging=stderr} Chromium
 * writes every console message of the page there, as {@code INFO:CONSOLE:<line>] "<message>", source: ...}.
 */
public final class Chromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run printed: the page (for --dump-dom) and the console messages among its logs. */
    record Run(String stdout, String stderr, List<String> console) {}

    private Chromium() {}

    public static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        Path script = repositoryRoot().resolve("scripts/install-chromium.sh");
        Path log = Files.createTempFile("install-chromium-", ".log");
        try {
            Process p = new ProcessBuilder("bash", script.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean done = p.waitFor(20, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            if (!done || p.exitValue() != 0 || !Files.isExecutable(BINARY)) {
                throw new AssertionError(script + " could not install Chromium:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The DOM after the page's scripts ran, from {@code url} (a file: URL, optionally with a #fragment). */
    static Run dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    static Run screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        return run(List.of(
                "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height,
                url));
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        ensureInstalled();
        Path profile = Files.createTempDirectory("ada-carbon-chromium-");
        Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
        Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
        try {
            List<String> command = new ArrayList<>(List.of(
                    BINARY.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--user-data-dir=" + profile,
                    "--enable-logging=stderr",
                    "--v=0",
                    "--virtual-time-budget=10000"));
            command.addAll(args);
            Process p = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited " + p.exitValue() + ": " + command + "\n" + err);
            }
            List<String> console =
                    err.lines().filter(l -> l.contains(":CONSOLE")).toList();
            return new Run(out, err, console);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            deleteTree(profile);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/install-chromium.sh"))) {
                return p;
            }
        }
        throw new AssertionError(
                "no scripts/install-chromium.sh above " + Path.of("").toAbsolutePath());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

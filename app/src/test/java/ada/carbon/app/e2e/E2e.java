package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ada.carbon.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/** What the end-to-end tests share: running the CLI, reading the SQLite file, comparing floats. */
public final class E2e {
    /** SPEC 2.6: floating-point sums may differ in the last bits. */
    static final double REL = 1e-9;

    private E2e() {}

    // ------------------------------------------------------------------ the command line

    /** One run of the ada-carbon command line: its exit code and what it wrote. */
    record CliRun(int exitCode, String stdout, String stderr, long millis) {
        /** The one summary line of {@code load}. */
        String summary() {
            List<String> lines = stdout.lines()
                    .filter(l -> l.startsWith("read ") && l.contains(" events: "))
                    .toList();
            assertThat(lines)
                    .as("summary lines in stdout of a load:\n%s\nstderr:\n%s", stdout, stderr)
                    .hasSize(1);
            return lines.get(0);
        }
    }

    /**
     * Runs {@code Main.commandLine().execute(args)} in this JVM, capturing stdout and stderr (still echoed
     * to the real streams, so the surefire report keeps the logs).
     */
    static synchronized CliRun cli(Object... args) {
        String[] argv = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter picocliErr = new StringWriter();
        long started = System.nanoTime();
        int code;
        try {
            System.setOut(new PrintStream(new Tee(realOut, out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(realErr, err), true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(picocliErr, true));
            code = cli.execute(argv);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(realOut);
            System.setErr(realErr);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        String stderr = err.toString(StandardCharsets.UTF_8) + picocliErr;
        realOut.printf("[e2e] ada-carbon %s -> exit %d in %d ms%n", String.join(" ", argv), code, millis);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), stderr, millis);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    // ------------------------------------------------------------------ files

    static Path resource(String name) {
        try {
            var url = E2e.class.getResource("/e2e/" + name);
            if (url == null) {
                throw new IllegalStateException("no test resource e2e/" + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }

    // ------------------------------------------------------------------ SQLite

    /** Every row of {@code sql}, each as column label to value (JDBC's own types: Double for REAL). */
    static List<Map<String, Object>> query(Path db, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The rows a query gave, each a map from column label to value, in order. */
    public static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i), rs.getObject(i));
            }
            out.add(row);
        }
        return out;
    }

    static double number(Object value) {
        if (value == null) {
            fail("expected a number, got NULL");
        }
        return ((Number) value).doubleValue();
    }

    /** The names of the tables ({@code type = 'table'}) or views ({@code 'view'}) of the database. */
    static List<String> schemaObjects(Path db, String type) {
        return query(
                        db,
                        "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
                        type)
                .stream()
                .map(r -> (String) r.get("name"))
                .toList();
    }

    // ------------------------------------------------------------------ floats

    static boolean close(double expected, double actual) {
        if (expected == actual) {
            return true;
        }
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        return Math.abs(expected - actual) <= REL * scale + 1e-15;
    }

    static void assertClose(String what, double expected, double actual) {
        if (!close(expected, actual)) {
            fail(
                    "%s: expected %s but was %s (relative difference %.3g)",
                    what,
                    expected,
                    actual,
                    Math.abs(expected - actual) / Math.max(Math.abs(expected), Math.abs(actual)));
        }
    }
}

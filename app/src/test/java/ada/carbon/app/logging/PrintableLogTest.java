package ada.carbon.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The application's own {@code logback.xml} (not the tests' configuration), in a logger context of its own:
 * what a message or an exception brings in is written with its control characters escaped, and a stack trace
 * keeps its lines.
 */
class PrintableLogTest {
    static final String HOSTILE = "gpu\u001b[31m\u001b]0;title\u0007\r\n00:00:00.000 ERROR Forged - everything is fine";

    /** Logs through a fresh context configured by {@code logback.xml}; returns what reached standard error. */
    static String logWithTheApplicationsConfiguration(java.util.function.Consumer<Logger> logging) throws Exception {
        URL config = PrintableLogTest.class.getResource("/logback.xml");
        assertThat(config).as("the application's logback.xml on the classpath").isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's own initialisation does
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            logging.accept(context.getLogger("ada.carbon.test"));
            List<Status> complaints = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() >= Status.WARN)
                    .toList();
            assertThat(complaints)
                    .as("logback's complaints about logback.xml or the logging")
                    .isEmpty();
        } finally {
            context.stop();
            System.setErr(realErr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageCannotForgeALineNorReachTheTerminal() throws Exception {
        String out = logWithTheApplicationsConfiguration(
                log -> log.warn("Rejected (malformed) line 3: unknown kind '{}'", HOSTILE));
        assertThat(out).doesNotContain("\u001b", "\u0007", "\r");
        assertThat(out.lines()).hasSize(1);
        assertThat(out)
                .endsWith(" WARN  test - Rejected (malformed) line 3: unknown kind"
                        + " 'gpu\\x1b[31m\\x1b]0;title\\x07\\r\\n00:00:00.000 ERROR Forged - everything is fine'\n");
    }

    @Test
    void aStackTraceKeepsItsLinesAndItsMessagesAreEscaped() throws Exception {
        IllegalStateException e = new IllegalStateException(
                "cannot read " + HOSTILE, new IllegalArgumentException("cause \u001b[2J\nforged cause"));
        e.addSuppressed(new RuntimeException("suppressed \u001b[2J\rforged"));
        String out = logWithTheApplicationsConfiguration(log -> log.error("a send failed", e));
        assertThat(out).doesNotContain("\u001b", "\u0007", "\r");
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).endsWith(" ERROR test - a send failed");
        assertThat(lines.get(1))
                .isEqualTo("java.lang.IllegalStateException: cannot read"
                        + " gpu\\x1b[31m\\x1b]0;title\\x07\\r\\n00:00:00.000 ERROR Forged - everything is fine");
        assertThat(lines.get(2)).startsWith("\tat ada.carbon.app.logging.PrintableLogTest.");
        assertThat(lines)
                .contains(
                        "\tSuppressed: java.lang.RuntimeException: suppressed \\x1b[2J\\rforged",
                        "Caused by: java.lang.IllegalArgumentException: cause \\x1b[2J\\nforged cause");
        // Every line is the log line, a throwable's first line, or a frame: none starts with forged text.
        assertThat(lines.subList(1, lines.size()))
                .allMatch(
                        l -> l.startsWith("java.") || l.startsWith("\t") || l.startsWith("Caused by: "),
                        "a line of the stack trace");
    }
}

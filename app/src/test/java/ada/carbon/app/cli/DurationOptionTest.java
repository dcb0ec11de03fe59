package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** Every command reads a duration the same way, as people write it or in ISO-8601, and refuses anything else. */
class DurationOptionTest {
    @Test
    void everyCommandTakesBothForms() {
        assertThat(timeoutOf("load", "--timeout", "45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(timeoutOf("replay", "--timeout", "PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(timeoutOf("reprocess", "--timeout", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        ParseResult ingest = Main.commandLine()
                .parseArgs("ingest", "simulate", "--step", "PT10M", "--bootstrap-servers", "localhost:9092");
        assertThat(ingest.subcommand().subcommand().matchedOptionValue("--step", Duration.ZERO))
                .isEqualTo(Duration.ofMinutes(10));
        ParseResult registry = Main.commandLine().parseArgs("ingest", "registry", "--interval", "90s");
        assertThat(registry.subcommand().subcommand().matchedOptionValue("--interval", Duration.ZERO))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aBadDurationIsRefusedNamingTheOption() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("load", "--timeout", "5 minutes");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("Invalid value for option '--timeout'")
                .contains("'5 minutes'");
    }

    @Test
    void helpShowsDefaultsAsWritten() {
        StringWriter help = new StringWriter();
        Main.commandLine().setOut(new PrintWriter(help)).execute("ingest", "carbon-intensity", "--help");
        assertThat(help.toString()).contains("(default 30m)").contains("(default 14d)");
    }

    private static Duration timeoutOf(String... args) {
        String[] withDb = java.util.Arrays.copyOf(args, args.length + 2);
        withDb[args.length] = "--db";
        withDb[args.length + 1] = "x.db";
        ParseResult parsed = Main.commandLine().parseArgs(withDb);
        return parsed.subcommand().matchedOptionValue("--timeout", Duration.ZERO);
    }
}

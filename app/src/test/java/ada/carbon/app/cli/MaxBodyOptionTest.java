package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --max-body}: sizes as people write them, and a clear refusal of anything else. */
class MaxBodyOptionTest {
    @TempDir
    Path dir;

    @Test
    void sizesArePowersOf1024() {
        IngestCommand.ByteSize size = new IngestCommand.ByteSize();
        assertThat(size.convert("1048576")).isEqualTo(1_048_576L);
        assertThat(size.convert("512KB")).isEqualTo(512L * 1024);
        assertThat(size.convert("64MB")).isEqualTo(64L << 20);
        assertThat(size.convert("64m")).isEqualTo(64L << 20);
        assertThat(size.convert("1 GiB")).isEqualTo(1L << 30);
        assertThat(size.convert("100b")).isEqualTo(100L);
        for (String bad : new String[] {"64XB", "1.5MB", "-1", "MB", "", "99999999999999999999"}) {
            assertThatThrownBy(() -> size.convert(bad)).as(bad).isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }

    @Test
    void theCommandLineRefusesABadOrTooLargeSize() {
        assertThat(run("--max-body", "64XB"))
                .startsWith("2\n")
                .contains("Invalid value for option '--max-body': not a size: '64XB' (e.g. 1048576, 512KB, 64MB, 1GB)");
        assertThat(run("--max-body", "2GB"))
                .startsWith("2\n")
                .contains("ada-carbon: --max-body must be from 1 byte to 1GB, not 2147483648 bytes");
        StringWriter help = new StringWriter();
        Main.commandLine().setOut(new PrintWriter(help)).execute("ingest", "registry", "--help");
        assertThat(help.toString()).contains("--max-body=SIZE").contains("(default 64MB)");
    }

    /** The exit code and what was printed on stderr. */
    private String run(String... maxBody) {
        StringWriter err = new StringWriter();
        String[] args = {
            "ingest",
            "carbon-intensity",
            "--url",
            "http://127.0.0.1:1",
            "--from",
            "2025-09-01",
            "--to",
            "2025-09-02",
            "--out",
            dir.resolve("i.jsonl").toString(),
            maxBody[0],
            maxBody[1]
        };
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute(args);
        return code + "\n" + err;
    }
}

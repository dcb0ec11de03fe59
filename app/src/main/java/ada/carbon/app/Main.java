package ada.carbon.app;

import ada.carbon.app.cli.AggregateCommand;
import ada.carbon.app.cli.BenchCommand;
import ada.carbon.app.cli.BenchServeCommand;
import ada.carbon.app.cli.DemoCommand;
import ada.carbon.app.cli.DlqCommand;
import ada.carbon.app.cli.DurationConverter;
import ada.carbon.app.cli.ExportCommand;
import ada.carbon.app.cli.IngestCommand;
import ada.carbon.app.cli.LoadCommand;
import ada.carbon.app.cli.ReplayCommand;
import ada.carbon.app.cli.ReportCommand;
import ada.carbon.app.cli.ReprocessCommand;
import ada.carbon.app.cli.ServeCommand;
import ada.carbon.app.cli.SinkCommand;
import ada.carbon.core.ConfigException;
import ada.carbon.kafka.KafkaAccessException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ada-carbon command line. Each command lives in its own class under {@code cli}. */
@Command(
        name = "ada-carbon",
        mixinStandardHelpOptions = true,
        version = "ada-carbon 0.1.0",
        description = "Electricity and carbon of shared research computing, per platform, project, machine"
                + " type, user and group, hour by hour.",
        subcommands = {
            DemoCommand.class,
            LoadCommand.class,
            IngestCommand.class,
            AggregateCommand.class,
            SinkCommand.class,
            DlqCommand.class,
            ReplayCommand.class,
            ReprocessCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            BenchServeCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // Every command's durations read one way: --timeout 45m, --interval PT5M.
        cli.registerConverter(Duration.class, new DurationConverter());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("ada-carbon: " + e.getMessage());
                return 2;
            }
            if (e instanceof KafkaAccessException) {
                cmd.getErr().println("ada-carbon: " + e.getMessage());
                return 1;
            }
            if (e instanceof java.util.concurrent.CancellationException) {
                cmd.getErr().println("ada-carbon: " + e.getMessage());
                return 130;
            }
            // Anything else is a failure of the run: say so and exit, rather than leave the process
            // hanging on the Kafka clients' threads after main has died.
            cmd.getErr().println("ada-carbon: failed: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli;
    }
}

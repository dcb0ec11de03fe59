package ada.carbon.app.cli;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.ConfigFiles;
import ada.carbon.app.stack.LocalStack;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Run the aggregator service (Kafka Streams) until stopped.")
public final class AggregateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Accounting settings (properties).")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state (default ${DEFAULT-VALUE}).")
    Path stateDir = Path.of(".ada-carbon", "streams");

    @Option(names = "--application-id", description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId = AggregatorSettings.DEFAULT_APPLICATION_ID;

    @Override
    public Integer call() throws Exception {
        var accounting = ConfigFiles.load(config);
        LocalStack.ensureTopics(bootstrapServers);
        var settings = AggregatorSettings.of(bootstrapServers, stateDir).withApplicationId(applicationId);
        AggregatorService service = new AggregatorService(accounting, settings);
        Services.runUntilSignalled("aggregator", service, service::start);
        return 0;
    }
}

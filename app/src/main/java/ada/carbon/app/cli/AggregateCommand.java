package ada.carbon.app.cli;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.ConfigFiles;
import ada.carbon.app.metrics.Health;
import ada.carbon.app.metrics.ServiceMetrics;
import ada.carbon.app.stack.Cluster;
import ada.carbon.app.stack.ClusterAccess;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Run the aggregator service (Kafka Streams) until stopped.")
public final class AggregateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(names = "--config", paramLabel = "FILE", description = "Accounting settings (properties).")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state (default ${DEFAULT-VALUE}).")
    Path stateDir = Path.of(".ada-carbon", "streams");

    @Option(names = "--application-id", description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId = AggregatorSettings.DEFAULT_APPLICATION_ID;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /health and /metrics on this port; 0: none (default ${DEFAULT-VALUE}).")
    int metricsPort = 9401;

    @Mixin
    MetricsBindOption metricsBind;

    @Override
    public Integer call() throws Exception {
        var accounting = ConfigFiles.load(config);
        var client = kafka.properties();
        try (Cluster cluster = Cluster.connect(bootstrapServers, client)) {
            ClusterAccess.aggregator(applicationId, Topics.Outputs.LIVE).prepare(cluster);
        }
        var settings = AggregatorSettings.of(bootstrapServers, stateDir).withApplicationId(applicationId)
                .withClientProperties(client.asMap());
        AggregatorService service = new AggregatorService(accounting, settings);
        try (ServiceMetrics metrics = metricsPort == 0 ? null : ServiceMetrics.of("aggregator")
                .bindAggregator(service, bootstrapServers, client, applicationId)
                .serve(metricsBind.at(metricsPort), () -> health(service.state()))) {
            Services.runUntilSignalled("aggregator", service, service::start);
        }
        return 0;
    }

    static Health health(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                ? Health.up(state.name()) : Health.down(state.name());
    }
}

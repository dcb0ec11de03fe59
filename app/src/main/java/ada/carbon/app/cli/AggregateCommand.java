package ada.carbon.app.cli;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.ConfigFiles;
import ada.carbon.app.metrics.Health;
import ada.carbon.app.metrics.ServiceMetrics;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.ClusterAccess;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "aggregate",
        mixinStandardHelpOptions = true,
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

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve /health and /metrics on this port; 0: none (default ${DEFAULT-VALUE}).")
    int metricsPort = 9401;

    @Mixin
    MetricsBindOption metricsBind;

    @Mixin
    ParallelismOptions parallel;

    @Override
    public Integer call() throws Exception {
        var accounting = ConfigFiles.load(config);
        var client = kafka.properties();
        try (Cluster cluster = Cluster.connect(bootstrapServers, client)) {
            ClusterAccess.aggregator(applicationId, Topics.Outputs.LIVE)
                    .withPartitions(parallel.partitions)
                    .prepare(cluster);
        }
        var settings = AggregatorSettings.of(bootstrapServers, stateDir)
                .withApplicationId(applicationId)
                .withClientProperties(client.asMap())
                .withThreads(parallel.threads);
        AggregatorService service = new AggregatorService(accounting, settings);
        try (ServiceMetrics metrics =
                ServiceMetrics.of("aggregator").bindAggregator(service, bootstrapServers, client, applicationId)) {
            if (metricsPort != 0) {
                metrics.serve(
                        metricsBind.at(metricsPort),
                        () -> health(service.state(), service.threadFaultWithin(FAULT_SHOWS_FOR), metrics.stalled()));
            }
            return Services.runUntilSignalled("aggregator", service, service::start, service::awaitStop);
        }
    }

    /** How long a stream thread's failure keeps /health from UP after the thread was replaced. */
    static final Duration FAULT_SHOWS_FOR = Duration.ofMinutes(1);

    /**
     * UP while Kafka Streams runs (or rebalances), no stream thread has failed lately (a fault, not a poison
     * record's restart), and it is not stalled behind input it is not consuming.
     */
    static Health health(KafkaStreams.State state, Optional<String> recentFault, Optional<String> stalled) {
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return Health.down(state.name());
        }
        if (recentFault.isPresent()) {
            return Health.down(
                    "a stream thread failed within " + FAULT_SHOWS_FOR.toSeconds() + " s: " + recentFault.get());
        }
        return stalled.map(Health::down).orElse(Health.up(state.name()));
    }
}

package ada.carbon.app.cli;

import ada.carbon.app.metrics.Health;
import ada.carbon.app.metrics.ServiceMetrics;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.ClusterAccess;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = "Run the sink service: the aggregator's output into the SQLite database, until stopped.")
public final class SinkCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(names = "--db", required = true, paramLabel = "FILE")
    Path db;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve /health and /metrics on this port; 0: none (default ${DEFAULT-VALUE}).")
    int metricsPort = 9402;

    @Mixin
    MetricsBindOption metricsBind;

    @Mixin
    PartitionsOption partitions;

    @Override
    public Integer call() throws Exception {
        var client = kafka.properties();
        try (Cluster cluster = Cluster.connect(bootstrapServers, client)) {
            ClusterAccess.sink(SinkService.DEFAULT_GROUP_ID, Topics.Outputs.LIVE)
                    .withPartitions(partitions.partitions)
                    .prepare(cluster);
        }
        SinkService sink = new SinkService(
                bootstrapServers, db, SinkService.DEFAULT_GROUP_ID, Topics.Outputs.LIVE, client.asMap());
        Thread loop = new Thread(sink::runUntilStopped, "ada-carbon-sink");
        try (ServiceMetrics metrics =
                ServiceMetrics.of("sink").bindSink(sink, db, bootstrapServers, client, SinkService.DEFAULT_GROUP_ID)) {
            if (metricsPort != 0) {
                metrics.serve(
                        metricsBind.at(metricsPort), () -> health(loop.isAlive(), sink.failure(), metrics.stalled()));
            }
            return Services.runUntilSignalled("sink", sink, loop::start, loop::join);
        }
    }

    /** UP while the loop consumes, and is not stalled behind input it is not consuming. */
    static Health health(boolean consuming, Optional<Throwable> failure, Optional<String> stalled) {
        if (!consuming) {
            return Health.down(failure.map(f -> "stopped: " + f).orElse("stopped"));
        }
        return stalled.map(Health::down).orElse(Health.up("consuming"));
    }
}

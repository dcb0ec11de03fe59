package ada.carbon.app.cli;

import ada.carbon.app.stack.LocalStack;
import ada.carbon.ingest.EventPublisher;
import ada.carbon.ingest.JsonLinesIngest;
import ada.carbon.ingest.sim.PlatformSimulator;
import ada.carbon.ingest.sim.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Publishes raw events. A new source is a new subcommand here, publishing through {@link EventPublisher}. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Publish raw events to the raw topics.",
        subcommands = {IngestCommand.Files.class, IngestCommand.Simulate.class})
public final class IngestCommand {

    @Command(name = "file", mixinStandardHelpOptions = true, description = "Publish SPEC JSON Lines files.")
    static final class Files implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Parameters(arity = "1..*", paramLabel = "EVENTS.jsonl")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            LocalStack.ensureTopics(bootstrapServers);
            try (EventPublisher publisher = EventPublisher.connect(bootstrapServers)) {
                var counts = new JsonLinesIngest(publisher).ingest(files);
                publisher.flush();
                System.out.println(counts);
            }
            return 0;
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Publish the events of a simulated Ada platform (deterministic for a seed).")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
        String bootstrapServers;

        @Option(names = "--hosts", description = "default ${DEFAULT-VALUE}")
        int hosts = 200;

        @Option(names = "--days", description = "default ${DEFAULT-VALUE}")
        int days = 7;

        @Option(names = "--step", description = "CPU interval, ISO-8601 (default ${DEFAULT-VALUE})")
        Duration step = Duration.ofMinutes(5);

        @Option(names = "--start", description = "First instant, ISO-8601 UTC (default 2025-09-01T00:00:00Z)")
        Instant start = Instant.parse("2025-09-01T00:00:00Z");

        @Option(names = "--seed", description = "default ${DEFAULT-VALUE}")
        long seed = 2025;

        @Override
        public Integer call() throws Exception {
            LocalStack.ensureTopics(bootstrapServers);
            var config = SimulatorConfig.defaults().withHosts(hosts).withDays(days).withStep(step).withStart(start)
                    .withSeed(seed);
            try (EventPublisher publisher = EventPublisher.connect(bootstrapServers)) {
                new PlatformSimulator(config).run(publisher::publish);
                publisher.flush();
                System.out.println(publisher.counts());
            }
            return 0;
        }
    }
}

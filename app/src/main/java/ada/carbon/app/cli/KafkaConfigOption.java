package ada.carbon.app.cli;

import ada.carbon.kafka.KafkaClientProperties;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kafka-config FILE}: how every command that talks to Kafka reaches a secured cluster. */
public final class KafkaConfigOption {
    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*: what Kafka's own tools take as"
                    + " --command-config) for every producer, consumer, admin client and Kafka Streams instance of"
                    + " this command. The keys the pipeline owns (isolation.level, processing.guarantee, …) are"
                    + " refused. An empty FILE means none.")
    String file;

    /** The file's properties, read and checked; {@link KafkaClientProperties#NONE} without one. */
    KafkaClientProperties properties() {
        return file == null || file.isBlank() ? KafkaClientProperties.NONE : KafkaClientProperties.load(Path.of(file));
    }
}

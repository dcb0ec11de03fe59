package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import ada.carbon.kafka.KafkaClientProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command that talks to Kafka takes --kafka-config; an empty value (an unset compose variable) is none. */
class KafkaConfigOptionTest {
    @TempDir
    Path dir;

    static final List<List<String>> COMMANDS = List.of(
            List.of("load", "--db", "x.db"),
            List.of("ingest", "file", "--bootstrap-servers", "k:9092", "f.jsonl"),
            List.of("ingest", "simulate", "--bootstrap-servers", "k:9092"),
            List.of("ingest", "prometheus", "--url", "http://p:9090", "--follow"),
            List.of("ingest", "carbon-intensity", "--follow"),
            List.of("ingest", "registry", "--workspaces", "w.json", "--users", "u.json"),
            List.of("aggregate", "--bootstrap-servers", "k:9092"),
            List.of("sink", "--bootstrap-servers", "k:9092", "--db", "x.db"),
            List.of("dlq"),
            List.of("replay", "--db", "x.db"),
            List.of("reprocess", "--db", "x.db"));

    @Test
    void everyKafkaCommandReadsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        for (List<String> command : COMMANDS) {
            KafkaConfigOption option = parse(command, file.toString());
            assertThat(option.properties().asMap()).as("%s", command).containsEntry("security.protocol", "SSL");
            assertThat(parse(command, "").properties())
                    .as("%s with an empty --kafka-config", command)
                    .isSameAs(KafkaClientProperties.NONE);
        }
    }

    /** The option of the (sub)command that {@code command} runs. */
    private static KafkaConfigOption parse(List<String> command, String file) {
        String[] args = java.util.stream.Stream.concat(
                        command.stream(), java.util.stream.Stream.of("--kafka-config", file))
                .toArray(String[]::new);
        CommandLine.ParseResult result = Main.commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return (KafkaConfigOption) result.commandSpec().mixins().values().stream()
                .flatMap(m ->
                        java.util.stream.Stream.concat(java.util.stream.Stream.of(m), m.mixins().values().stream()))
                .map(CommandLine.Model.CommandSpec::userObject)
                .filter(KafkaConfigOption.class::isInstance)
                .findFirst()
                .orElseThrow(() -> new AssertionError(command + " has no --kafka-config"));
    }
}

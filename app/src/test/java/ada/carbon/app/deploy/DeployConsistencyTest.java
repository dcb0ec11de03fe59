package ada.carbon.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ada.carbon.app.Main;
import ada.carbon.core.AccountingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile against the application: every command they run parses with the
 * CLI, and every environment variable the compose file sets on an ada-carbon service is one the
 * application understands.
 */
class DeployConsistencyTest {
    /**
     * The variables the image understands besides the accounting keys: the JVM's own options (the
     * pipeline's log level goes there as -DADA_CARBON_LOG_LEVEL, see docker-compose.yml) and the Kafka
     * clients' log level, which logback.xml reads.
     */
    static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "KAFKA_LOG_LEVEL");

    static final String IMAGE = "ada-carbon:latest";

    static Path root;
    static JsonNode compose;

    @BeforeAll
    static void read() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        root = Files.exists(here.resolve("docker-compose.yml")) ? here : here.getParent();
        // SnakeYAML resolves the file's anchors and merge keys (<<) as Compose does.
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        Object yaml = new Yaml(options).load(Files.readString(root.resolve("docker-compose.yml")));
        compose = new ObjectMapper().valueToTree(yaml);
    }

    /** The services that run the ada-carbon image (all but the broker). */
    static Map<String, JsonNode> adaServices() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        compose.get("services").fields().forEachRemaining(e -> {
            if (IMAGE.equals(e.getValue().path("image").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    @Test
    void theStackHasItsServices() {
        assertThat(compose.get("services").fieldNames()).toIterable().contains("kafka", "ingest", "aggregator", "sink");
        assertThat(adaServices()).containsKeys("ingest", "aggregator", "sink");
        JsonNode kafka = compose.get("services").get("kafka");
        assertThat(kafka.get("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.has("healthcheck")).isTrue();
        assertThat(kafka.get("volumes").get(0).asText()).startsWith("kafka-data:");
        adaServices()
                .forEach((name, service) -> assertThat(service.get("depends_on")
                                .get("kafka")
                                .get("condition")
                                .asText())
                        .as(name)
                        .isEqualTo("service_healthy"));
        assertThat(adaServices().get("sink").get("volumes").get(0).asText()).startsWith("sink-db:");
    }

    @Test
    void everyEnvironmentVariableIsUnderstood() {
        Map<String, String> defaults = AccountingConfig.defaults().toProperties();
        Map<String, String> accounting = new LinkedHashMap<>();
        Set<String> seen = new TreeSet<>();
        adaServices()
                .forEach((name, service) -> service.path("environment").fields().forEachRemaining(e -> {
                    String variable = e.getKey();
                    seen.add(variable);
                    String key = AccountingConfig.keyOfEnvironmentVariable(variable);
                    if (key == null) {
                        assertThat(OTHER_VARIABLES)
                                .as("%s sets %s", name, variable)
                                .contains(variable);
                        return;
                    }
                    assertThat(AccountingConfig.environmentVariableOf(key))
                            .as(variable)
                            .isEqualTo(variable);
                    // A variable passed through (no value in the file) is checked with the key's default.
                    String value = e.getValue().isNull()
                            ? defaults.get(key)
                            : interpolate(e.getValue().asText());
                    assertThat(value)
                            .as("%s: %s is no configuration key", name, variable)
                            .isNotNull();
                    accounting.put(key, value);
                    // Each one alone is accepted, which refuses any unknown key or bad value.
                    assertThatCode(() -> AccountingConfig.from(Map.of(key, accounting.get(key))))
                            .as(variable)
                            .doesNotThrowAnyException();
                }));
        assertThat(seen).contains("ADA_CARBON_PUE");
        assertThat(AccountingConfig.from(accounting).toProperties()).isEqualTo(defaults);
        // One-to-one: every fixed key has its variable on the aggregator.
        Set<String> aggregatorKeys = new TreeSet<>();
        adaServices().get("aggregator").get("environment").fieldNames().forEachRemaining(v -> {
            String key = AccountingConfig.keyOfEnvironmentVariable(v);
            if (key != null) {
                aggregatorKeys.add(key);
            }
        });
        assertThat(aggregatorKeys).containsExactlyInAnyOrderElementsOf(defaults.keySet());
    }

    @Test
    void everyComposeCommandParses() {
        adaServices().forEach((name, service) -> {
            List<String> args = new ArrayList<>();
            service.get("command").forEach(a -> args.add(interpolate(a.asText())));
            assertThatCode(() -> Main.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("%s: %s", name, args)
                    .doesNotThrowAnyException();
        });
    }

    @Test
    void theMetricsPortsAreTheOnesPublished() {
        adaServices().forEach((name, service) -> {
            List<String> args = command(service);
            int at = args.indexOf("--metrics-port");
            if (at < 0) {
                return; // the real sources serve no metrics yet
            }
            String port = args.get(at + 1);
            assertThat(service.get("ports").get(0).asText()).as(name).endsWith(":" + port);
            assertThat(dockerfile()).contains(port);
            // Inside its container a service must listen beyond its loopback for the published port to reach it.
            assertThat(args).as(name).containsSubsequence("--metrics-bind", "0.0.0.0");
        });
    }

    /** /health, /metrics and the broker's listener for outside clients have no authentication: this machine only. */
    @Test
    void everyPublishedPortIsOnTheHostsLoopback() {
        List<String> published = new ArrayList<>();
        compose.get("services")
                .fields()
                .forEachRemaining(e -> e.getValue().path("ports").forEach(p -> {
                    published.add(e.getKey() + " " + p.asText());
                    assertThat(p.asText())
                            .as("%s publishes %s", e.getKey(), p.asText())
                            .startsWith("127.0.0.1:");
                }));
        assertThat(published).anyMatch(p -> p.startsWith("kafka ")).hasSizeGreaterThanOrEqualTo(4);
    }

    /**
     * Every service that talks to Kafka takes its cluster and its client properties from variables, so that the
     * stack can run against a secured cluster; unset, the file is empty, which is none.
     */
    @Test
    void everyKafkaServiceTakesItsClientPropertiesFromAVariable() {
        Set<String> variables = new TreeSet<>();
        adaServices().forEach((name, service) -> {
            List<String> args = command(service);
            int bootstrap = args.indexOf("--bootstrap-servers");
            assertThat(bootstrap).as("%s names its cluster", name).isNotNegative();
            assertThat(args.get(bootstrap + 1)).as(name).isEqualTo("${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}");
            int config = args.indexOf("--kafka-config");
            assertThat(config).as("%s takes --kafka-config", name).isNotNegative();
            Matcher variable =
                    Pattern.compile("\\$\\{([A-Z_]+_KAFKA_CONFIG):-}").matcher(args.get(config + 1));
            assertThat(variable.matches())
                    .as("%s: --kafka-config %s", name, args.get(config + 1))
                    .isTrue();
            variables.add(variable.group(1));
            assertThat(interpolate(args.get(config + 1))).isEmpty();
        });
        assertThat(variables)
                .containsExactly(
                        "AGGREGATOR_KAFKA_CONFIG", "INGEST_KAFKA_CONFIG", "SERVE_KAFKA_CONFIG", "SINK_KAFKA_CONFIG");
    }

    private static List<String> command(JsonNode service) {
        List<String> args = new ArrayList<>();
        service.get("command").forEach(a -> args.add(a.asText()));
        return args;
    }

    @Test
    void theDockerfileRunsTheCli() {
        String dockerfile = dockerfile();
        assertThat(dockerfile)
                .containsPattern("(?m)^FROM maven:\\S+ AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre");
        List<String> entrypoint = execForm(dockerfile, "ENTRYPOINT");
        List<String> cmd = execForm(dockerfile, "CMD");
        int main = entrypoint.indexOf(Main.class.getName());
        assertThat(main).as("ENTRYPOINT runs %s", Main.class.getName()).isPositive();
        assertThat(entrypoint.subList(main + 1, entrypoint.size())).isEmpty();
        assertThatCode(() -> Main.commandLine().parseArgs(cmd.toArray(String[]::new)))
                .doesNotThrowAnyException();
        // The jar and its libraries are copied where the class path looks for them.
        String classPath = entrypoint.get(entrypoint.indexOf("-cp") + 1);
        for (String part : classPath.split(":")) {
            String dir = part.endsWith("/*") ? part.substring(0, part.length() - 1) : part;
            assertThat(dockerfile).as(part).containsPattern("(?m)^COPY --from=build \\S+ " + Pattern.quote(dir) + "$");
        }
    }

    private static String dockerfile() {
        try {
            return Files.readString(root.resolve("Dockerfile"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An instruction's JSON array (exec form), as Docker reads it. */
    private static List<String> execForm(String dockerfile, String instruction) {
        Matcher m =
                Pattern.compile("(?m)^" + instruction + "\\s+(\\[.*\\])\\s*$").matcher(dockerfile);
        assertThat(m.find()).as("%s in exec form", instruction).isTrue();
        try {
            List<String> out = new ArrayList<>();
            new ObjectMapper().readTree(m.group(1)).forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compose's ${VAR:-default} and ${VAR-default}, with every VAR unset. */
    static String interpolate(String s) {
        return Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?}")
                .matcher(s)
                .replaceAll(r -> Matcher.quoteReplacement(r.group(1) == null ? "" : r.group(1)));
    }
}

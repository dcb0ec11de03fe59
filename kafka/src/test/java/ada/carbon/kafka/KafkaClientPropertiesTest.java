package ada.carbon.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka-config}: read, checked, and the pipeline's own keys refused, each error naming the file and key. */
class KafkaClientPropertiesTest {
    static final String SCRAM = """
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="ingest" password="p";
            ssl.truststore.type=PEM
            ssl.truststore.location=/etc/ada-carbon/ca.pem
            """;

    @TempDir
    Path dir;

    @Test
    void carriesTheFilesPropertiesOverTheClientsOwn() throws Exception {
        KafkaClientProperties p = KafkaClientProperties.load(file("client.properties", SCRAM));
        assertThat(p.asMap())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .hasSize(5);
        assertThat(p.over(java.util.Map.of("bootstrap.servers", "kafka:9093", "security.protocol", "PLAINTEXT")))
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(p.principal())
                .isEqualTo("user ingest (SASL_SSL, SCRAM-SHA-512, from " + dir.resolve("client.properties") + ")");
        assertThat(p.toString()).doesNotContain("password=\"p\"");
        assertThat(KafkaClientProperties.NONE.principal()).isEqualTo("an anonymous client (PLAINTEXT)");
    }

    @Test
    void refusesTheKeysThePipelineOwnsAlsoUnderAKafkaStreamsPrefix() throws Exception {
        Path owned = file("owned.properties", SCRAM + "isolation.level=read_uncommitted\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(owned))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(owned + ": isolation.level cannot be set in --kafka-config: ")
                .hasMessageContaining("committed");
        Path prefixed = file("prefixed.properties", "producer.enable.idempotence=false\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(prefixed))
                .hasMessageStartingWith(prefixed + ": producer.enable.idempotence cannot be set in --kafka-config");
        assertThatThrownBy(() -> KafkaClientProperties.load(file("b.properties", "bootstrap.servers=x:1\n")))
                .hasMessageContaining("--bootstrap-servers");
        // A key that merely ends like an owned one is the file's.
        assertThat(KafkaClientProperties.load(file("ok.properties", "sasl.login.connect.timeout.ms=5000\n"))
                        .asMap())
                .containsKey("sasl.login.connect.timeout.ms");
    }

    @Test
    void aMissingFileOrABadValueIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.properties");
        assertThatThrownBy(() -> KafkaClientProperties.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--kafka-config")
                .hasMessageContaining(missing.toString());
        Path bad = file("bad.properties", "security.protocol=SASL_SSLL\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ": ")
                .hasMessageContaining("security.protocol")
                .hasMessageContaining("SASL_SSLL");
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}

package ada.carbon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.kafka.KafkaClientProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedBrokerTakesNoClientProperties() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\n");
        KafkaClientProperties p = KafkaClientProperties.load(file);
        assertThatThrownBy(() -> LocalCluster.of(null, p, dir.resolve("data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers");
        assertThat(dir.resolve("data")).doesNotExist();
    }
}

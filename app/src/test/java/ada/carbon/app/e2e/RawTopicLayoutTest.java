package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.broker.EmbeddedBroker;
import ada.carbon.app.stack.LocalStack;
import ada.carbon.core.AccountingConfig;
import ada.carbon.core.ConfigException;
import ada.carbon.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator reads each raw topic as one ordered stream; on a real broker it refuses raw topics with
 * more partitions (one accounting per partition would write facts of a share of the hosts each), and
 * the topics the stack creates have one.
 */
class RawTopicLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void theStackCreatesOnePartitionPerRawTopicAndTheAggregatorRefusesMore() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("kafka"));
             Admin admin = LocalStack.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW_CPU, Optional.of(2), Optional.empty()))).all().get();
            LocalStack.ensureTopics(broker.bootstrapServers());
            var partitions = admin.describeTopics(Topics.RAW).allTopicNames().get();
            assertThat(partitions.get(Topics.RAW_INTENSITY).partitions()).hasSize(1);
            assertThat(partitions.get(Topics.RAW_CPU).partitions()).as("left as it was").hasSize(2);

            AggregatorService aggregator = new AggregatorService(AccountingConfig.defaults(),
                    AggregatorSettings.of(broker.bootstrapServers(), tmp.resolve("streams")));
            try {
                assertThatThrownBy(aggregator::start).isInstanceOf(ConfigException.class)
                        .hasMessageContaining(Topics.RAW_CPU).hasMessageContaining("2 partitions");
            } finally {
                aggregator.close();
            }
        }
    }
}

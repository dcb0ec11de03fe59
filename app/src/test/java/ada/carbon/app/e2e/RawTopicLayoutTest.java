package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.core.AccountingConfig;
import ada.carbon.kafka.Cluster;
import ada.carbon.kafka.TopicProvisioning;
import ada.carbon.schemas.Topics;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 2.8 on a real broker: the topics the stack creates get the partitions asked for, topics that exist are
 * used as they are, and the aggregator runs one host task per partition of the raw cpu topic, however many.
 */
class RawTopicLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void theStackCreatesTheTopicsWithThePartitionsAskedForAndKeepsThoseThatExist() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("kafka"));
                Admin admin = Cluster.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW_CPU, Optional.of(2), Optional.empty())))
                    .all()
                    .get();
            TopicProvisioning.ensure(broker.bootstrapServers(), 3);
            var partitions = admin.describeTopics(Topics.RAW).allTopicNames().get();
            assertThat(partitions.get(Topics.RAW_INTENSITY).partitions()).hasSize(3);
            assertThat(partitions.get(Topics.RAW_CPU).partitions())
                    .as("left as it was")
                    .hasSize(2);
            assertThat(admin.describeTopics(List.of(Topics.FACTS))
                            .allTopicNames()
                            .get()
                            .get(Topics.FACTS)
                            .partitions())
                    .hasSize(3);

            try (AggregatorService aggregator = new AggregatorService(
                    AccountingConfig.defaults(),
                    AggregatorSettings.of(broker.bootstrapServers(), tmp.resolve("streams")))) {
                assertThat(aggregator.hostPartitions())
                        .as("one host task per partition of %s", Topics.RAW_CPU)
                        .isEqualTo(2);
            }
        }
    }
}

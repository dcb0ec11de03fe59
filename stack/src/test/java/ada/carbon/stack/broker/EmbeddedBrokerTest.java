package ada.carbon.stack.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real Kafka broker in a child JVM: every test starts one (a few seconds each). */
class EmbeddedBrokerTest {
    private static final String TOPIC = "usage-records";
    private static final int RECORDS = 100;

    @TempDir
    Path dataDir;

    private final List<EmbeddedBroker> brokers = new ArrayList<>();
    private final List<ChildJvm> owners = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (ChildJvm owner : owners) {
            owner.kill();
        }
        for (int i = brokers.size() - 1; i >= 0; i--) {
            brokers.get(i).close();
        }
        // Nothing may survive a test: no process of this JVM's, nor a broker of a killed owner's.
        List<ProcessHandle> survivors = ProcessHandle.current().descendants().toList();
        for (ProcessHandle survivor : survivors) {
            survivor.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(survivors.stream().filter(ProcessHandle::isAlive))
                .as("processes that survived the test")
                .isEmpty();
    }

    private EmbeddedBroker start() {
        return started(EmbeddedBroker.start(dataDir));
    }

    private EmbeddedBroker started(EmbeddedBroker broker) {
        brokers.add(broker);
        return broker;
    }

    @Test
    void startsProducesConsumesAndStops() throws Exception {
        EmbeddedBroker broker = start();
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        ProcessHandle child = ProcessHandle.of(broker.pid().orElseThrow()).orElseThrow();
        assertThat(ProcessHandle.current().children()).contains(child);
        assertThat(listenersOf(dataDir)).startsWith("PLAINTEXT://" + broker.bootstrapServers() + ",CONTROLLER://");

        createTopic(broker);
        try (Admin admin = broker.createAdmin()) {
            assertThat(admin.describeTopics(Set.of(TOPIC))
                            .allTopicNames()
                            .get()
                            .get(TOPIC)
                            .partitions())
                    .hasSize(2);
        }
        produce(broker, 0);
        assertThat(consumeAll(broker)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
        // The broker logs to its file, not to our output.
        assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Kafka Server started");

        broker.close();
        assertThat(child.isAlive()).isFalse();
        assertThat(Files.readString(dataDir.resolve("broker.log")))
                .as("a clean stop")
                .contains("Stopping SharedServer");
        broker.close(); // idempotent
    }

    @Test
    void keepsRecordsAcrossARestart() throws Exception {
        EmbeddedBroker first = start();
        createTopic(first);
        produce(first, 0);
        String clusterId = clusterId(first);
        first.close();

        EmbeddedBroker second = start();
        assertThat(second.pid()).isPresent().isNotEqualTo(first.pid());
        assertThat(clusterId(second)).isEqualTo(clusterId);
        assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
        produce(second, RECORDS);
        assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(2 * RECORDS));
    }

    @Test
    void recoversAfterTheBrokerIsKilled() throws Exception {
        EmbeddedBroker first = start();
        createTopic(first);
        produce(first, 0);
        ProcessHandle killed = ProcessHandle.of(first.pid().orElseThrow()).orElseThrow();
        killed.destroyForcibly(); // SIGKILL: no clean shutdown
        killed.onExit().get(10, TimeUnit.SECONDS);

        EmbeddedBroker second = start();
        assertThat(second.pid())
                .as("a new broker, not the dead one's ports")
                .isPresent()
                .isNotEqualTo(first.pid());
        assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
        produce(second, RECORDS);
        assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(2 * RECORDS));

        first.close(); // the dead broker's instance must not disturb the new one
        assertThat(consumeAll(second)).hasSize(2 * RECORDS);
    }

    @Test
    void aSecondStartReusesTheRunningBroker() throws Exception {
        EmbeddedBroker first = start();
        createTopic(first);
        produce(first, 0);

        EmbeddedBroker second = start();
        assertThat(second.pid()).as("reused, not started").isEmpty();
        assertThat(second.bootstrapServers()).isEqualTo(first.bootstrapServers());
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .hasSize(1);
        assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

        second.close(); // not the owner: the broker keeps running
        assertThat(consumeAll(first)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
        first.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    @Test
    void portsWhereAnotherClusterAnswersAreStale() throws Exception {
        EmbeddedBroker first = start();
        first.close();
        EmbeddedBroker other = started(EmbeddedBroker.start(dataDir.resolve("other")));
        // The last start's ports now belong to another cluster's broker.
        Properties last = Utils.loadProps(dataDir.resolve("server.properties").toString());
        last.setProperty("listeners", listenersOf(dataDir.resolve("other")));
        try (var out = Files.newBufferedWriter(dataDir.resolve("server.properties"))) {
            last.store(out, null);
        }

        EmbeddedBroker second = start();
        assertThat(second.pid()).as("started, not reused").isPresent();
        assertThat(second.bootstrapServers()).isNotEqualTo(other.bootstrapServers());
        assertThat(clusterId(second)).isNotEqualTo(clusterId(other));
    }

    @Test
    void aRestartedBrokerComesBackOnItsPortsWhereItsClientsLookForIt() throws Exception {
        EmbeddedBroker first = start();
        String bootstrap = first.bootstrapServers();
        first.close();
        EmbeddedBroker second = start();
        assertThat(second.pid()).as("started, not reused").isPresent();
        assertThat(second.bootstrapServers()).isEqualTo(bootstrap);
    }

    private static String listenersOf(Path dataDir) throws Exception {
        return Utils.loadProps(dataDir.resolve("server.properties").toString()).getProperty("listeners");
    }

    @Test
    void theBrokerStopsWhenItsOwnerProcessIsKilled() throws Exception {
        ChildJvm owner = ChildJvm.start(
                "owner",
                List.of("-Xmx256m"),
                BrokerParentMain.class.getName(),
                List.of(dataDir.toString()),
                dataDir.resolve("owner.log"));
        owners.add(owner);
        ProcessHandle broker = ProcessHandle.of(awaitReady(owner, dataDir.resolve("owner.log")))
                .orElseThrow();

        owner.kill(); // SIGKILL: the owner's shutdown hooks do not run
        broker.onExit().get(30, TimeUnit.SECONDS);
        assertThat(Files.readString(dataDir.resolve("broker.log")))
                .as("a clean stop")
                .contains("Stopping SharedServer");

        EmbeddedBroker restarted = start();
        assertThat(restarted.pid()).as("started, not reused").isPresent();
        assertThat(consumeAll(restarted)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
    }

    @Test
    void aBadConfigurationFailsSayingWhatIsWrong() {
        EmbeddedBroker.Builder builder = EmbeddedBroker.builder(dataDir).brokerProperty("num.network.threads", "many");
        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("Invalid value many for configuration num.network.threads");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    @Test
    void aBrokerThatDiesOnStartFailsWithTheEndOfItsLog() {
        EmbeddedBroker.Builder builder =
                EmbeddedBroker.builder(dataDir).brokerProperty("authorizer.class.name", "no.such.Authorizer");
        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("exited with code")
                .hasMessageContaining("broker.log")
                .hasMessageContaining("no.such.Authorizer");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    @Test
    void aScramListenerTakesTheCredentialsGivenAtTheFirstStart() throws Exception {
        EmbeddedBroker broker = started(EmbeddedBroker.builder(dataDir)
                .listener("SECURE", "SASL_PLAINTEXT")
                .brokerProperty("listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-256")
                .brokerProperty(
                        "listener.name.secure.scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .scramCredential("SCRAM-SHA-256", "alice", "alice-secret")
                .start());
        String secure = broker.bootstrapServers("SECURE");
        assertThat(secure).isNotEqualTo(broker.bootstrapServers());

        try (Admin alice = scramAdmin(secure, "alice", "alice-secret")) {
            assertThat(alice.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isEqualTo(clusterId(broker));
        }
        try (Admin mallory = scramAdmin(secure, "alice", "guessed")) {
            assertThatThrownBy(() -> mallory.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The broker pid that {@link BrokerParentMain} reports once it has started it and produced. */
    private static long awaitReady(ChildJvm owner, Path log) throws Exception {
        for (int waited = 0; waited < 900 && owner.isAlive(); waited++) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.contains("READY ")) {
                return Long.parseLong(
                        output.substring(output.indexOf("READY ") + 6).trim());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the owner did not report READY: " + owner.problem());
    }

    private static Admin scramAdmin(String bootstrap, String user, String password) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "SCRAM-SHA-256",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";"));
    }

    private static String clusterId(EmbeddedBroker broker) throws Exception {
        try (Admin admin = broker.createAdmin()) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    /** The test topic, two partitions: a plain admin call, as any client of the broker would make it. */
    static void createTopic(EmbeddedBroker broker) throws Exception {
        try (Admin admin = broker.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Produces records {@code from} to {@code from + RECORDS - 1} to the test topic. */
    static void produce(EmbeddedBroker broker, int from) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "job-" + i, "record-" + i));
            }
            producer.flush();
        }
    }

    /** Every record of the topic, read from the beginning without a consumer group. */
    private static List<String> consumeAll(EmbeddedBroker broker) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream()
                            .anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(record.key() + "=" + record.value());
                }
            }
        }
        return records;
    }

    private static List<String> expected(int count) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add("job-" + i + "=record-" + i);
        }
        return records;
    }
}

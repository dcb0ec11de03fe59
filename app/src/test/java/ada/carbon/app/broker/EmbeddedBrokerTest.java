package ada.carbon.app.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real Kafka broker in a child JVM: every test starts one (a few seconds each). */
class EmbeddedBrokerTest {

  private static final String TOPIC = "usage-records";
  private static final int RECORDS = 100;

  @TempDir Path dataDir;

  private final List<EmbeddedBroker> brokers = new ArrayList<>();
  private final List<Process> helpers = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (Process helper : helpers) {
      helper.destroyForcibly();
      helper.onExit().get(10, TimeUnit.SECONDS);
    }
    for (int i = brokers.size() - 1; i >= 0; i--) {
      brokers.get(i).close();
    }
    // A broker left behind by a failed test, e.g. the orphan of a killed helper JVM.
    Path pidFile = dataDir.resolve("broker.pid");
    if (Files.exists(pidFile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
          .filter(p -> Boolean.TRUE.equals(EmbeddedBroker.isBrokerOf(p, dataDir.toAbsolutePath().normalize())))
          .ifPresent(p -> {
            p.destroyForcibly();
            throw new AssertionError("a broker survived the test: " + p.pid());
          });
    }
    // Nothing may survive a test: no child process of this JVM.
    List<ProcessHandle> survivors = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    survivors.forEach(ProcessHandle::destroyForcibly);
    assertThat(survivors).as("child processes that survived the test").isEmpty();
  }

  private EmbeddedBroker start() {
    long started = System.nanoTime();
    EmbeddedBroker broker = EmbeddedBroker.start(dataDir);
    brokers.add(broker);
    System.out.printf("broker %s ready in %d ms%n", broker, (System.nanoTime() - started) / 1_000_000);
    return broker;
  }

  @Test
  void startsProducesConsumesAndStops() throws Exception {
    EmbeddedBroker broker = start();
    assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(broker.owned()).isTrue();
    assertThat(broker.reused()).isFalse();
    ProcessHandle child = broker.process();
    assertThat(child.isAlive()).isTrue();
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(child.pid());
    assertThat(Files.readString(dataDir.resolve("broker.pid")).trim()).isEqualTo(Long.toString(child.pid()));
    assertThat(Files.readString(dataDir.resolve("broker.port")).trim()).isEqualTo(Integer.toString(broker.port()));

    assertThat(broker.ensureTopics(new NewTopic(TOPIC, 3, (short) 1))).containsExactly(TOPIC);
    assertThat(broker.ensureTopics(new NewTopic(TOPIC, 3, (short) 1))).isEmpty();
    try (Admin admin = broker.createAdmin()) {
      assertThat(admin.describeTopics(Set.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()).hasSize(3);
      assertThat(admin.describeCluster().clusterId().get()).isEqualTo(broker.clusterId());
    }

    produce(broker, 0);
    assertThat(consumeAll(broker)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

    // The broker logs to its file, not to our output.
    assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Kafka Server started");

    broker.close();
    assertThat(child.isAlive()).isFalse();
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();
    assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Stopping SharedServer");
    broker.close(); // idempotent
  }

  @Test
  void keepsRecordsAcrossARestart() throws Exception {
    EmbeddedBroker first = start();
    first.ensureTopics(new NewTopic(TOPIC, 2, (short) 1));
    produce(first, 0);
    String bootstrap = first.bootstrapServers();
    String clusterId = first.clusterId();
    first.close();
    assertThat(first.process().isAlive()).isFalse();

    EmbeddedBroker second = start();
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(second.clusterId()).isEqualTo(clusterId);
    assertThat(second.bootstrapServers()).as("the free previous port is reused").isEqualTo(bootstrap);
    assertThat(second.ensureTopics(new NewTopic(TOPIC, 2, (short) 1))).isEmpty();
    assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

    produce(second, RECORDS);
    assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(2 * RECORDS));
  }

  @Test
  void recoversAfterTheBrokerIsKilled() throws Exception {
    EmbeddedBroker first = start();
    first.ensureTopics(new NewTopic(TOPIC, 3, (short) 1));
    produce(first, 0);
    first.process().destroyForcibly(); // SIGKILL: no clean shutdown
    first.process().onExit().get(10, TimeUnit.SECONDS);
    assertThat(dataDir.resolve("broker.pid")).as("left behind by the unclean stop").exists();

    EmbeddedBroker second = start();
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(second.reused()).isFalse();
    assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
    produce(second, RECORDS);
    assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(2 * RECORDS));

    first.close(); // the dead broker's instance must not disturb the new one
    assertThat(second.isAlive()).isTrue();
    assertThat(Files.readString(dataDir.resolve("broker.pid")).trim()).isEqualTo(Long.toString(second.pid()));
  }

  @Test
  void aSecondStartReusesTheRunningBroker() throws Exception {
    EmbeddedBroker first = start();
    first.ensureTopics(new NewTopic(TOPIC, 1, (short) 1));
    produce(first, 0);

    EmbeddedBroker second = start();
    assertThat(second.reused()).isTrue();
    assertThat(second.owned()).as("its owner, this JVM, is alive").isFalse();
    assertThat(second.bootstrapServers()).isEqualTo(first.bootstrapServers());
    assertThat(second.pid()).isEqualTo(first.pid());
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isEqualTo(1);
    assertThat(consumeAll(second)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

    second.close(); // not the owner: the broker keeps running
    assertThat(first.isAlive()).isTrue();
    assertThat(consumeAll(first)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

    first.close();
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void aPidFileNamingAnotherLiveProcessIsStale() throws Exception {
    EmbeddedBroker first = start();
    int port = first.port();
    first.close();
    // A recycled pid: alive, answering nothing, not a broker (it is this very JVM).
    Files.writeString(dataDir.resolve("broker.pid"), Long.toString(ProcessHandle.current().pid()));
    Files.writeString(dataDir.resolve("broker.port"), Integer.toString(port));

    EmbeddedBroker second = start();
    assertThat(second.reused()).isFalse();
    assertThat(second.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(second.ensureTopics(new NewTopic(TOPIC, 1, (short) 1))).containsExactly(TOPIC);
  }

  @Test
  void theBrokerStopsWhenItsOwnerProcessIsKilled() throws Exception {
    Process owner = startOwnerProcess(true);
    String[] ready = awaitReadyLine(owner);
    ProcessHandle broker = ProcessHandle.of(Long.parseLong(ready[1])).orElseThrow();
    assertThat(broker.isAlive()).isTrue();

    owner.destroyForcibly(); // SIGKILL: the owner's shutdown hooks do not run
    owner.onExit().get(10, TimeUnit.SECONDS);
    broker.onExit().get(30, TimeUnit.SECONDS);
    assertThat(broker.isAlive()).isFalse();
    assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Stopping SharedServer");

    // The stale pid files are ignored and the data is there.
    EmbeddedBroker restarted = start();
    assertThat(restarted.reused()).isFalse();
    assertThat(consumeAll(restarted)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));
  }

  @Test
  void anOrphanedBrokerIsReusedAndAdopted() throws Exception {
    Process owner = startOwnerProcess(false);
    String[] ready = awaitReadyLine(owner);
    ProcessHandle orphan = ProcessHandle.of(Long.parseLong(ready[1])).orElseThrow();
    owner.destroyForcibly();
    owner.onExit().get(10, TimeUnit.SECONDS);
    Thread.sleep(500);
    assertThat(orphan.isAlive()).as("started without exitWithParent, the broker survives its owner").isTrue();

    EmbeddedBroker adopter = start();
    assertThat(adopter.reused()).isTrue();
    assertThat(adopter.owned()).as("its owner is dead: adopted").isTrue();
    assertThat(adopter.pid()).isEqualTo(orphan.pid());
    assertThat(adopter.bootstrapServers()).isEqualTo(ready[2]);
    assertThat(consumeAll(adopter)).containsExactlyInAnyOrderElementsOf(expected(RECORDS));

    adopter.close();
    assertThat(orphan.isAlive()).isFalse();
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();
  }

  @Test
  void aBadConfigurationFailsWithTheToolsOutput() {
    EmbeddedBroker.Builder builder = EmbeddedBroker.builder(dataDir)
        .brokerProperty("num.network.threads", "not-a-number")
        .startTimeout(Duration.ofSeconds(30));
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed with exit code")
        .hasMessageContaining("num.network.threads");
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();
  }

  @Test
  void aBrokerThatDiesOnStartFailsWithItsOutput() {
    EmbeddedBroker.Builder builder = EmbeddedBroker.builder(dataDir)
        .jvmArg("-XX:MaxHeapSize=1k")
        .startTimeout(Duration.ofSeconds(30));
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("heap");
    assertThat(dataDir.resolve("broker.pid")).doesNotExist();
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------

  /** Runs {@link BrokerParentMain} in a new JVM that starts the broker of {@code dataDir} and produces. */
  private Process startOwnerProcess(boolean exitWithParent) throws Exception {
    Process owner = new ProcessBuilder(EmbeddedBroker.javaCommand(), "-Xmx256m", "-cp", EmbeddedBroker.childClasspath(),
        BrokerParentMain.class.getName(), dataDir.toString(), Boolean.toString(exitWithParent))
        .redirectErrorStream(true)
        .start();
    helpers.add(owner);
    return owner;
  }

  private static String[] awaitReadyLine(Process owner) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String line;
    while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
      if (line.startsWith("READY ")) {
        // Keep draining the helper's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> {
          try {
            reader.lines().forEach(l -> { });
          } catch (RuntimeException e) {
            // the helper was killed
          }
        }, "drain-owner");
        drain.setDaemon(true);
        drain.start();
        return line.split(" ");
      }
      seen.add(line);
    }
    throw new AssertionError("the owner process did not report READY:\n" + String.join("\n", seen));
  }

  private static Map<String, Object> clientConfig(EmbeddedBroker broker) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return config;
  }

  /** Produces records {@code from} to {@code from + RECORDS - 1} to the test topic, creating it. */
  static void produce(EmbeddedBroker broker, int from) throws Exception {
    broker.ensureTopics(new NewTopic(TOPIC, 2, (short) 1));
    Map<String, Object> config = clientConfig(broker);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
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
    Map<String, Object> config = clientConfig(broker);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))) {
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

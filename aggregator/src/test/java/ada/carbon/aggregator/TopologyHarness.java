package ada.carbon.aggregator;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Times;
import ada.carbon.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The topology under TopologyTestDriver, fed with SPEC events and read back as the sink would see it: the
 * latest value per key, a null value deleting the row. Shared by the scenario tests and the oracle tests.
 */
public final class TopologyHarness implements AutoCloseable {
    final TopologyTestDriver driver;
    private final Path stateDir;
    /** Removes the state if the JVM ends first (jqwik may abandon a shrinking step that is still running). */
    private final Thread cleanUpAtExit;

    private final TestInputTopic<byte[], byte[]> cpu;
    private final TestInputTopic<byte[], byte[]> intensity;
    private final TestInputTopic<byte[], byte[]> workspace;
    private final TestInputTopic<byte[], byte[]> user;
    private final TestOutputTopic<FactId, Fact> facts;
    private final TestOutputTopic<SlotId, SlotIntensity> slots;
    final TestOutputTopic<byte[], byte[]> deadLetter;
    private final Map<FactId, Fact> factTable = new HashMap<>();
    private final Map<SlotId, SlotIntensity> slotTable = new HashMap<>();

    public TopologyHarness(AccountingConfig config) {
        try {
            // RocksDB state on a memory file system where there is one: the property test opens hundreds of drivers.
            Path shm = Path.of("/dev/shm");
            stateDir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "ada-ttd")
                    : Files.createTempDirectory("ada-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cleanUpAtExit = new Thread(() -> deleteTree(stateDir));
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
        driver = new TopologyTestDriver(
                CarbonTopology.build(config),
                AggregatorSettings.of("ttd:9092", stateDir).streamsProperties());
        var bytes = AdaSerdes.BYTES;
        cpu = driver.createInputTopic(Topics.RAW_CPU, bytes.serializer(), bytes.serializer());
        intensity = driver.createInputTopic(Topics.RAW_INTENSITY, bytes.serializer(), bytes.serializer());
        workspace = driver.createInputTopic(Topics.RAW_WORKSPACE, bytes.serializer(), bytes.serializer());
        user = driver.createInputTopic(Topics.RAW_USER, bytes.serializer(), bytes.serializer());
        facts = driver.createOutputTopic(Topics.FACTS, AdaSerdes.FACT_ID.deserializer(), AdaSerdes.FACT.deserializer());
        slots = driver.createOutputTopic(
                Topics.SLOT_INTENSITY, AdaSerdes.SLOT_ID.deserializer(), AdaSerdes.SLOT_INTENSITY.deserializer());
        deadLetter = driver.createOutputTopic(Topics.DEAD_LETTER, bytes.deserializer(), bytes.deserializer());
    }

    TopologyHarness() {
        this(AccountingConfig.defaults());
    }

    static Instant t(String iso) {
        return Times.parse(iso);
    }

    static CpuEvent cpu(
            String instance, String project, String machine, String ts, long period, double busy, double idle) {
        return new CpuEvent(instance, project, machine, t(ts), period, busy, idle);
    }

    static IntensityEvent intensity(String from, Double forecast, Double actual) {
        Instant f = t(from);
        return new IntensityEvent(f, f.plusSeconds(1800), forecast, actual, "moderate", null);
    }

    /** A reading of a region's series (SPEC 1.2: forecasts only). */
    static IntensityEvent regional(int region, String from, double forecast) {
        Instant f = t(from);
        return new IntensityEvent(f, f.plusSeconds(1800), forecast, null, "low", region);
    }

    static WorkspaceEvent workspace(String key, String instance, String owner, String created, String deleted) {
        return new WorkspaceEvent(
                key, instance, owner, "IDAaaS", "Muon", t(created), deleted == null ? null : t(deleted));
    }

    TopologyHarness send(Object... events) {
        return send(List.of(events));
    }

    /** Pipes the events in this order, each on its raw topic (cpu keyed by instance, as ingest does). */
    public TopologyHarness send(List<?> events) {
        for (Object e : events) {
            if (e instanceof CpuEvent c) {
                cpu.pipeInput(c.getInstance().getBytes(), AdaSerdes.CPU_EVENT.serialize(null, c));
            } else if (e instanceof IntensityEvent i) {
                intensity.pipeInput(null, AdaSerdes.INTENSITY_EVENT.serialize(null, i));
            } else if (e instanceof WorkspaceEvent w) {
                workspace.pipeInput(null, AdaSerdes.WORKSPACE_EVENT.serialize(null, w));
            } else if (e instanceof UserEvent u) {
                user.pipeInput(null, AdaSerdes.USER_EVENT.serialize(null, u));
            } else {
                throw new IllegalArgumentException("not an event: " + e);
            }
        }
        return this;
    }

    void sendRaw(String topic, byte[] value) {
        driver.createInputTopic(topic, AdaSerdes.BYTES.serializer(), AdaSerdes.BYTES.serializer())
                .pipeInput(null, value);
    }

    /** The facts as the sink would hold them: latest value per key, tombstones removing rows. */
    public Map<FactId, Fact> facts() {
        writeChanges();
        for (TestRecord<FactId, Fact> r : facts.readRecordsToList()) {
            if (r.value() == null) {
                factTable.remove(r.key());
            } else {
                factTable.put(r.key(), r.value());
            }
        }
        return factTable;
    }

    Fact fact(String scope, String ts, String entity) {
        return facts().get(new FactId(scope, t(ts), entity));
    }

    public Map<SlotId, SlotIntensity> slots() {
        writeChanges();
        for (TestRecord<SlotId, SlotIntensity> r : slots.readRecordsToList()) {
            if (r.value() == null) {
                slotTable.remove(r.key());
            } else {
                slotTable.put(r.key(), r.value());
            }
        }
        return slotTable;
    }

    SlotIntensity slot(String ts) {
        return slots().get(new SlotId(t(ts)));
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetter.readRecordsToList();
    }

    /**
     * Lets the aggregator's wall-clock punctuations write what changed, as they do every 500 ms when live: the
     * host stage sends its sums, then the bucket stage writes the facts.
     */
    public void writeChanges() {
        driver.advanceWallClockTime(CarbonTopology.EMIT_INTERVAL);
        driver.advanceWallClockTime(CarbonTopology.EMIT_INTERVAL);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            deleteTree(stateDir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

package ada.carbon.aggregator.oracle;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.aggregator.CarbonTopology;
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
import ada.carbon.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The topology under TopologyTestDriver, fed with events and read back as the sink would hold it: the latest
 * value per key, a null value deleting the row. Converts what it reads into the oracle's row types.
 */
final class TopologyRun implements AutoCloseable {
    private final Path stateDir;
    /** Removes the state if the JVM ends first (jqwik may abandon a shrinking step that is still running). */
    private final Thread cleanUpAtExit;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> cpu;
    private final TestInputTopic<byte[], byte[]> intensity;
    private final TestInputTopic<byte[], byte[]> workspace;
    private final TestInputTopic<byte[], byte[]> user;
    private final TestOutputTopic<FactId, Fact> facts;
    private final TestOutputTopic<SlotId, SlotIntensity> slots;
    private final TestOutputTopic<byte[], byte[]> deadLetter;
    private final Map<SpecOracle.FactKey, Fact> factTable = new HashMap<>();
    private final Map<Long, SlotIntensity> slotTable = new HashMap<>();
    private int deadLetters;

    TopologyRun(AccountingConfig config) {
        try {
            // RocksDB state on a memory file system where there is one: the property opens hundreds of drivers.
            Path shm = Path.of("/dev/shm");
            stateDir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "ada-oracle-ttd")
                    : Files.createTempDirectory("ada-oracle-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cleanUpAtExit = new Thread(() -> deleteTree(stateDir));
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
        driver = new TopologyTestDriver(CarbonTopology.build(config),
                AggregatorSettings.of("ttd:9092", stateDir).streamsProperties());
        var bytes = AdaSerdes.BYTES.serializer();
        cpu = driver.createInputTopic(Topics.RAW_CPU, bytes, bytes);
        intensity = driver.createInputTopic(Topics.RAW_INTENSITY, bytes, bytes);
        workspace = driver.createInputTopic(Topics.RAW_WORKSPACE, bytes, bytes);
        user = driver.createInputTopic(Topics.RAW_USER, bytes, bytes);
        facts = driver.createOutputTopic(Topics.FACTS, AdaSerdes.FACT_ID.deserializer(), AdaSerdes.FACT.deserializer());
        slots = driver.createOutputTopic(Topics.SLOT_INTENSITY, AdaSerdes.SLOT_ID.deserializer(),
                AdaSerdes.SLOT_INTENSITY.deserializer());
        deadLetter = driver.createOutputTopic(Topics.DEAD_LETTER, AdaSerdes.BYTES.deserializer(),
                AdaSerdes.BYTES.deserializer());
    }

    /** Pipes the events in this order, each on its raw topic (cpu keyed by instance, as ingest does). */
    TopologyRun send(List<?> events) {
        for (Object e : events) {
            if (e instanceof CpuEvent c) {
                cpu.pipeInput(c.getInstance().getBytes(StandardCharsets.UTF_8), AdaSerdes.CPU_EVENT.serialize(null, c));
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

    /** The facts topic as a table, in the oracle's terms. */
    Map<SpecOracle.FactKey, SpecOracle.FactRow> facts() {
        for (TestRecord<FactId, Fact> r : facts.readRecordsToList()) {
            SpecOracle.FactKey key = new SpecOracle.FactKey(r.key().getScope(), r.key().getTs().toEpochMilli(),
                    r.key().getEntity());
            if (r.value() == null) {
                factTable.remove(key);
            } else {
                factTable.put(key, r.value());
            }
        }
        Map<SpecOracle.FactKey, SpecOracle.FactRow> out = new HashMap<>();
        factTable.forEach((k, f) -> {
            if (!k.scope().equals(f.getScope()) || k.bucketStart() != f.getTs().toEpochMilli()
                    || !java.util.Objects.equals(k.entity(), f.getEntity())) {
                throw new AssertionError("fact value " + f + " under a different key " + k);
            }
            out.put(k, new SpecOracle.FactRow(f.getBusyCpuSecondsTotal(), f.getIdleCpuSecondsTotal(), f.getBusyKwh(),
                    f.getIdleKwh(), f.getBusyGCo2eq(), f.getIdleGCo2eq(), f.getIntensityGCo2eqKwh()));
        });
        return out;
    }

    /** The slot-intensity topic as a table, in the oracle's terms. */
    Map<Long, SpecOracle.SlotRow> slots() {
        for (TestRecord<SlotId, SlotIntensity> r : slots.readRecordsToList()) {
            long slot = r.key().getTs().toEpochMilli();
            if (r.value() == null) {
                slotTable.remove(slot);
            } else {
                slotTable.put(slot, r.value());
            }
        }
        Map<Long, SpecOracle.SlotRow> out = new HashMap<>();
        slotTable.forEach((slot, s) -> out.put(slot, new SpecOracle.SlotRow(s.getTs().toEpochMilli(), s.getForecast(),
                s.getActual(), s.getIndex(), s.getIntensityGCo2eqKwh(), s.getSource(), s.getHasCpu())));
        return out;
    }

    /** How many records went to the dead-letter topic so far. */
    int deadLetters() {
        deadLetters += deadLetter.readRecordsToList().size();
        return deadLetters;
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
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

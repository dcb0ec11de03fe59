package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.json.ParseResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 2.6: the database is a function of the set of events after replacement by identity, not of their
 * order or repetition, nor of how they are split between runs. Each database here is compared, table by
 * table and view by view through natural keys, with the reference run's ({@link ReferenceLoad}, on the default
 * partitions). These runs use {@code load}'s own embedded broker, as a user would, on raw topics of one
 * partition and of four (SPEC 2.8: nor of how many partitions computed it).
 */
class LoadOrderTest {
    static final long SEED = 20250911L;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4})
    void shuffledAndDuplicatedLinesMakeTheSameDatabase(int partitions) {
        ReferenceLoad ref = ReferenceLoad.get();
        List<String> original = E2e.lines(ref.events);
        List<String> shuffled = shuffledKeepingReplacementOrder(withDuplicates(original), new Random(SEED));
        assertThat(shuffled).as("the shuffle moves lines").isNotEqualTo(withDuplicates(original));
        // 36 lines + 9 duplicates, one of them the not-JSON line 18.
        loadAndCompare(
                ref,
                "shuffled",
                partitions,
                shuffled,
                "read 45 events: 39 applied, 6 rejected to ada.dead-letter (invalid 2, malformed 4)");
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4})
    void theReverseOrderMakesTheSameDatabase(int partitions) {
        ReferenceLoad ref = ReferenceLoad.get();
        List<String> original = E2e.lines(ref.events);
        List<Integer> backwards = new ArrayList<>();
        for (int i = original.size() - 1; i >= 0; i--) {
            backwards.add(i);
        }
        // Registry records now come after the usage they explain, actuals before their slots' CPU time.
        List<String> reversed = reorderedKeepingReplacementOrder(original, backwards);
        loadAndCompare(
                ref,
                "reversed",
                partitions,
                reversed,
                "read 36 events: 31 applied, 5 rejected to ada.dead-letter (invalid 2, malformed 3)");
    }

    /** Loads the lines into a database of their own, as a user would, and compares it with the reference's. */
    private void loadAndCompare(ReferenceLoad ref, String name, int partitions, List<String> lines, String summary) {
        Path file = E2e.write(tmp.resolve(name + ".jsonl"), lines);
        Path db = tmp.resolve(name + ".db");

        E2e.CliRun run = E2e.cli(
                "load", "--db", db, "--data-dir", tmp.resolve("state-" + name), "--partitions", partitions, file);

        assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isZero();
        assertThat(run.summary()).isEqualTo(summary);
        Snapshots.assertSame(name, Snapshots.of(ref.db), Snapshots.of(db));
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4})
    void twoLoadsOfTheTwoHalvesOnOneDataDirMakeTheSameDatabaseAsOne(int partitions) {
        ReferenceLoad ref = ReferenceLoad.get();
        List<String> lines = E2e.lines(ref.events);
        Path first = E2e.write(tmp.resolve("first.jsonl"), lines.subList(0, 18));
        Path second = E2e.write(tmp.resolve("second.jsonl"), lines.subList(18, lines.size()));
        Path db = tmp.resolve("halves.db");
        Path state = tmp.resolve("state");

        E2e.CliRun one = E2e.cli("load", "--db", db, "--data-dir", state, "--partitions", partitions, first);
        assertThat(one.exitCode())
                .as("exit code of the first load; stderr:\n%s", one.stderr())
                .isZero();
        assertThat(one.summary()).isEqualTo("read 18 events: 17 applied, 1 rejected to ada.dead-letter (malformed 1)");
        // The second half holds the CPU correction, the actual that replaces the 10:00 forecast and ws-01's end:
        // each restates facts the first run wrote.
        E2e.CliRun two = E2e.cli("load", "--db", db, "--data-dir", state, "--partitions", partitions, second);
        assertThat(two.exitCode())
                .as("exit code of the second load; stderr:\n%s", two.stderr())
                .isZero();
        assertThat(two.summary())
                .isEqualTo("read 18 events: 14 applied, 4 rejected to ada.dead-letter (invalid 2, malformed 2)");

        Snapshots.assertSame("two halves", Snapshots.of(ref.db), Snapshots.of(db));
    }

    /**
     * SPEC 2.6 on a backfill longer than the horizon (here 1 day, of 4): each topic in time order, but every
     * intensity reading published before the first cpu event, as two sources catching up on their own would.
     * The aggregator merges its topics by event time, so none of it is late, and the database is the one the
     * interleaved order makes. Merged by publication instead, the readings would have moved the newest time
     * to the fourth day first, and the cpu time of the first two would have been dead-lettered as late. A
     * workspace sent last with both its times counts from its start: read at its end, its first days would
     * already be final without their owner.
     */
    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4})
    void aBackfillLongerThanTheHorizonWithItsReadingsPublishedFirstLosesNothing(int partitions) {
        Path config = E2e.write(tmp.resolve("horizon.properties"), List.of("horizon.days = 1"));
        List<String> readings = new ArrayList<>();
        List<String> usage = new ArrayList<>();
        List<String> interleaved = new ArrayList<>();
        Instant start = Instant.parse("2025-09-01T00:00:00Z");
        for (int halfHour = 0; halfHour < 4 * 48; halfHour++) {
            Instant from = start.plusSeconds(1800L * halfHour);
            String reading = "{\"kind\":\"intensity\",\"from\":\"" + from + "\",\"to\":\"" + from.plusSeconds(1800)
                    + "\",\"forecast\":" + (100 + halfHour % 50) + ",\"actual\":null,\"index\":\"moderate\"}";
            readings.add(reading);
            interleaved.add(reading);
            if (halfHour % 2 == 0) {
                String cpu = "{\"kind\":\"cpu\",\"instance\":\"host-10-0-0-1:9100\",\"cloud_project_name\":\"IDAaaS\","
                        + "\"machine_name\":\"Muon\",\"ts\":\"" + from + "\",\"period_seconds\":3600,"
                        + "\"busy_cpu_seconds\":" + (600 + halfHour) + ",\"idle_cpu_seconds\":3000}";
                usage.add(cpu);
                interleaved.add(cpu);
            }
        }
        // The registry's first read: a workspace long gone, sent once with both its times, after everything.
        String workspace = "{\"kind\":\"workspace\",\"workspace_key\":\"ws-1\",\"instance\":\"host-10-0-0-1:9100\","
                + "\"owner\":\"aa123456\",\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
                + "\"created_time\":\"" + start + "\",\"deleted_time\":\"" + start.plusSeconds(3 * 86_400) + "\"}";
        interleaved.add(workspace);
        List<String> readingsFirst = new ArrayList<>(readings);
        readingsFirst.addAll(usage);
        readingsFirst.add(workspace);

        Path inOrder = tmp.resolve("interleaved.db");
        Path backfilled = tmp.resolve("readings-first.db");
        for (var load : Map.of(inOrder, interleaved, backfilled, readingsFirst).entrySet()) {
            Path db = load.getKey();
            E2e.CliRun run = E2e.cli(
                    "load",
                    "--config",
                    config,
                    "--db",
                    db,
                    "--data-dir",
                    tmp.resolve("state-" + db.getFileName()),
                    "--partitions",
                    partitions,
                    E2e.write(tmp.resolve(db.getFileName() + ".jsonl"), load.getValue()));
            assertThat(run.exitCode())
                    .as("exit code; stderr:\n%s", run.stderr())
                    .isZero();
            assertThat(run.summary())
                    .as(db.getFileName().toString())
                    .isEqualTo("read 289 events: 289 applied, 0 rejected to ada.dead-letter");
        }
        assertThat(E2e.query(backfilled, "SELECT ts FROM fact_usage WHERE scope = 'ada'"))
                .hasSize(96);
        // Read at its start, the workspace owns its first day's usage too, before that day is final.
        assertThat(E2e.query(backfilled, "SELECT ts FROM fact_usage WHERE scope = 'user'"))
                .hasSize(72);
        Snapshots.assertSame("readings first", Snapshots.of(inOrder), Snapshots.of(backfilled));
    }

    /** Every fourth line (from the second) once more, right after itself. */
    static List<String> withDuplicates(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(lines.get(i));
            if (i % 4 == 1) {
                out.add(lines.get(i));
            }
        }
        return out;
    }

    /**
     * A random order in which the versions of one identity (a corrected cpu event, a forecast and its
     * actual, a workspace and its end) keep their order: "later replaces earlier" is part of the event set.
     */
    static List<String> shuffledKeepingReplacementOrder(List<String> lines, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return reorderedKeepingReplacementOrder(lines, order);
    }

    /** The lines in the given order, except that the versions of one identity keep their original order. */
    static List<String> reorderedKeepingReplacementOrder(List<String> lines, List<Integer> order) {
        Map<String, List<Integer>> slotsByIdentity = new LinkedHashMap<>();
        for (int position = 0; position < order.size(); position++) {
            int line = order.get(position);
            slotsByIdentity
                    .computeIfAbsent(identity(lines.get(line)), k -> new ArrayList<>())
                    .add(position);
        }
        String[] out = new String[lines.size()];
        for (List<Integer> positions : slotsByIdentity.values()) {
            List<Integer> versions = positions.stream()
                    .map(order::get)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            for (int k = 0; k < positions.size(); k++) {
                out[positions.get(k)] = lines.get(versions.get(k));
            }
        }
        return List.of(out);
    }

    /** SPEC 1: the identity of the event on a line; every unreadable line is its own. */
    static String identity(String line) {
        if (JsonEvents.parse(line) instanceof ParseResult.Event e) {
            if (e.record() instanceof CpuEvent c) {
                return "cpu|" + c.getInstance() + "|" + c.getTs() + "|" + c.getPeriodSeconds();
            }
            if (e.record() instanceof IntensityEvent i) {
                return "intensity|" + i.getRegion() + "|" + i.getFrom();
            }
            if (e.record() instanceof WorkspaceEvent w) {
                return "workspace|" + w.getWorkspaceKey();
            }
            if (e.record() instanceof UserEvent u) {
                return "user|" + u.getUserId();
            }
        }
        return "line|" + line;
    }
}

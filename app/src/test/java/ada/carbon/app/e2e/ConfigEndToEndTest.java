package ada.carbon.app.e2e;

import static ada.carbon.app.e2e.E2e.assertClose;
import static ada.carbon.app.e2e.E2e.number;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The accounting configuration end to end: bad settings stop {@code load} before anything starts; a
 * per-machine power override and the PUE reach the database; a data directory refuses other settings.
 * Also SPEC 2.6's horizon, on the same run: a cpu event older than 7 days behind the newest is not applied.
 */
class ConfigEndToEndTest {
    static final String DAY = "2025-09-11T";
    static final String HOST_MUON = "host-10-0-0-1.nubes.stfc.ac.uk:9100";
    static final String HOST_SANS = "host-10-0-0-2.nubes.stfc.ac.uk:9100";

    static final List<String> CONFIG = List.of(
            "# SANS nodes are bigger machines",
            "power.busy.watts.SANS = 30",
            "power.idle.watts.SANS = 4",
            "pue = 1.25");

    static final List<String> EVENTS = List.of(
            "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:00Z\",\"to\":\"2025-09-11T10:30Z\",\"forecast\":null,\"actual\":100,\"index\":\"low\"}",
            "{\"kind\":\"intensity\",\"from\":\"2025-09-11T10:30Z\",\"to\":\"2025-09-11T11:00Z\",\"forecast\":null,\"actual\":300,\"index\":\"high\"}",
            cpu(HOST_MUON, "Muon", "2025-09-11T10:00:00Z", 3600, 3600, 7200),
            cpu(HOST_SANS, "SANS", "2025-09-11T10:00:00Z", 3600, 3600, 7200),
            // Ten days behind the newest cpu time: beyond the default 7-day horizon (SPEC 2.6).
            cpu(HOST_MUON, "Muon", "2025-09-01T10:00:00Z", 3600, 100, 100));

    static String cpu(String instance, String machine, String ts, int period, double busy, double idle) {
        return "{\"kind\":\"cpu\",\"instance\":\"" + instance
                + "\",\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\""
                + machine + "\",\"ts\":\"" + ts + "\",\"period_seconds\":" + period + ",\"busy_cpu_seconds\":" + busy
                + ",\"idle_cpu_seconds\":" + idle + "}";
    }

    @TempDir
    static Path shared;

    static Path config;
    static Path db;
    static Path state;
    static E2e.CliRun run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadWithPowerOverride() {
        config = E2e.write(shared.resolve("sans.properties"), CONFIG);
        Path events = E2e.write(shared.resolve("events.jsonl"), EVENTS);
        db = shared.resolve("override.db");
        state = shared.resolve("state");
        run = E2e.cli("load", "--config", config, "--db", db, "--data-dir", state, events);
        assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "pue=abc                     | pue",
                "power.idle.watts.Muon=lots  | power.idle.watts.Muon",
                "power.busy.watts=-12        | power.busy.watts",
                "grain.seconds=900           | grain.seconds",
                "pue=0.5                     | pue",
                "colour=blue                 | colour"
            })
    void aBadSettingStopsLoadBeforeAnythingStarts(String setting, String key) throws Exception {
        Path bad = E2e.write(tmp.resolve("bad.properties"), List.of(setting));
        Set<Long> childrenBefore = children();

        E2e.CliRun r = E2e.cli(
                "load",
                "--config",
                bad,
                "--db",
                tmp.resolve("bad.db"),
                "--data-dir",
                tmp.resolve("state"),
                E2e.resource(ReferenceLoad.EVENTS));

        assertThat(r.exitCode()).as("exit code").isNotZero();
        assertThat(r.stderr()).as("the error names the key").contains(key);
        assertThat(r.stdout()).as("no summary").doesNotContain(" events: ");
        // Before any broker: no data directory (broker data, aggregator state), no database, no child JVM.
        assertThat(tmp.resolve("state")).doesNotExist();
        assertThat(tmp.resolve("bad.db")).doesNotExist();
        assertThat(children()).as("child processes").isEqualTo(childrenBefore);
    }

    @Test
    void perMachinePowerOverrideAndPueReachTheDatabase() {
        Map<String, Map<String, Object>> byMachine =
                E2e.query(db, "SELECT * FROM v_machine_timeseries WHERE ts = ?", DAY + "10:00:00Z").stream()
                        .collect(Collectors.toMap(r -> (String) r.get("machine_name"), r -> r));
        assertThat(byMachine).containsOnlyKeys("Muon", "SANS");
        // Muon keeps the defaults (12 W busy, 1 W idle per core) x PUE 1.25; half of each hour at 100, half at 300.
        Map<String, Object> muon = byMachine.get("Muon");
        assertClose("Muon busy kWh", 3600 * 12 * 1.25 / 3.6e6, number(muon.get("busy_kwh"))); // 0.015
        assertClose("Muon idle kWh", 7200 * 1 * 1.25 / 3.6e6, number(muon.get("idle_kwh"))); // 0.0025
        assertClose("Muon busy g", 0.0075 * 100 + 0.0075 * 300, number(muon.get("busy_gCo2eq")));
        assertClose("Muon idle g", 0.00125 * 100 + 0.00125 * 300, number(muon.get("idle_gCo2eq")));
        // SANS: 30 W busy, 4 W idle per core, x PUE 1.25.
        Map<String, Object> sans = byMachine.get("SANS");
        assertClose("SANS busy kWh", 3600 * 30 * 1.25 / 3.6e6, number(sans.get("busy_kwh"))); // 0.0375
        assertClose("SANS idle kWh", 7200 * 4 * 1.25 / 3.6e6, number(sans.get("idle_kwh"))); // 0.01
        assertClose("SANS busy g", 0.01875 * 100 + 0.01875 * 300, number(sans.get("busy_gCo2eq"))); // 7.5
        assertClose("SANS idle g", 0.005 * 100 + 0.005 * 300, number(sans.get("idle_gCo2eq"))); // 2.0
        assertClose("SANS intensity", 200, number(sans.get("intensity_gCo2eq_kwh")));
        Map<String, Object> ada = E2e.query(db, "SELECT * FROM v_ada_timeseries WHERE ts = ?", DAY + "10:00:00Z")
                .get(0);
        assertClose("ada busy kWh", 0.015 + 0.0375, number(ada.get("busy_kwh")));
        assertClose("ada idle g", 0.5 + 2.0, number(ada.get("idle_gCo2eq")));
        assertThat(LocalStack.settingsOf(state))
                .containsEntry("power.busy.watts.SANS", "30.0")
                .containsEntry("power.idle.watts.SANS", "4.0")
                .containsEntry("pue", "1.25");
    }

    @Test
    void aDataDirectoryRefusesOtherSettings() throws Exception {
        Path other = E2e.write(tmp.resolve("other.properties"), List.of("power.busy.watts.SANS = 31", "pue = 1.25"));
        long factsBefore = Files.size(db);
        Set<Long> childrenBefore = children();

        E2e.CliRun r =
                E2e.cli("load", "--config", other, "--db", db, "--data-dir", state, E2e.resource(ReferenceLoad.EVENTS));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("other settings");
        assertThat(r.stdout()).doesNotContain(" events: ");
        assertThat(children()).as("child processes").isEqualTo(childrenBefore);
        assertThat(Files.size(db)).isEqualTo(factsBefore);
        assertThat(number(E2e.query(db, "SELECT COUNT(*) AS n FROM dim_project WHERE cloud_project_name <> 'IDAaaS'")
                        .get(0)
                        .get("n")))
                .as("nothing of the refused file reached the database")
                .isZero();
    }

    /**
     * SPEC 2.6: a cpu event whose ts is more than the horizon (7 days) behind the newest seen is not
     * applied; it is dead-lettered with reason {@code late} and counted.
     */
    @Test
    void aCpuEventOlderThanTheHorizonIsDeadLetteredAsLate() {
        assertThat(E2e.query(db, "SELECT ts, scope FROM fact_usage WHERE ts < ?", DAY + "00:00:00Z"))
                .as("facts of the event 10 days behind the newest")
                .isEmpty();
        assertThat(E2e.query(db, "SELECT ts FROM fact_intensity WHERE ts < ?", DAY + "00:00:00Z"))
                .as("fact_intensity slots of the late event")
                .isEmpty();
        assertThat(run.summary()).isEqualTo("read 5 events: 4 applied, 1 rejected to ada.dead-letter (late 1)");
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}

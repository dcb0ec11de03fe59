package ada.carbon.app.e2e;

import static ada.carbon.app.e2e.E2e.assertClose;
import static ada.carbon.app.e2e.E2e.number;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's grid, the hardware's share and how much is measured (SPEC 2.3, 2.9, 2.10, 3.3), end to end through
 * the broker: {@code load --config} with {@code intensity.region = 12}, a per-machine embodied override, two
 * regions' series (region 12's forecast revised, region 13's never used), a scrape gap and a slot without any
 * reading. Every figure below is computed by hand from the SPEC; then {@code reprocess} brings a database whose
 * history predates the new tables up to the same figures.
 */
class FootprintEndToEndTest {
    static final String MUON = "host-10-0-1-1.nubes.stfc.ac.uk:9100"; // 4 cores
    static final String SANS = "host-10-0-1-2.nubes.stfc.ac.uk:9100"; // 8 cores

    static final List<String> CONFIG = List.of(
            "intensity.region = 12",
            "embodied.server.kgco2eq.Muon = 2400",
            "embodied.server.cores.Muon = 16",
            "embodied.lifetime.years = 5");

    static final List<String> EVENTS = List.of(
            national("10:00", 200, 180),
            national("10:30", 150, 160),
            national("11:30", 90, null),
            regional(12, "10:00", 100),
            regional(13, "10:00", 300),
            regional(13, "11:00", 50),
            // The region's forecast revised: the later event of the identity (12, 10:00) replaces the first.
            regional(12, "10:00", 120),
            "{\"kind\":\"user\",\"user_id\":\"u1\",\"display_name\":\"U One\",\"group_name\":\"G1\",\"projects\":[\"IDAaaS\"]}",
            "{\"kind\":\"workspace\",\"workspace_key\":\"ws-muon\",\"instance\":\"" + MUON + "\",\"owner\":\"u1\","
                    + "\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\"Muon\","
                    + "\"created_time\":\"2025-09-11T09:00:00Z\",\"deleted_time\":null}",
            // Muon reports 10:00-10:15, misses 10:15-10:30 (a scrape gap), reports 10:30-11:00.
            cpu(MUON, "Muon", "10:00", 900, 1800, 1800),
            cpu(MUON, "Muon", "10:30", 1800, 3600, 3600),
            // SANS: one interval over three slots, 10:30-12:00, split 1800 s to each.
            cpu(SANS, "SANS", "10:30", 5400, 21600, 21600));

    static String national(String from, Integer forecast, Integer actual) {
        return "{\"kind\":\"intensity\",\"from\":\"2025-09-11T" + from + "Z\",\"to\":\"2025-09-11T" + plus30(from)
                + "Z\",\"forecast\":" + forecast + ",\"actual\":" + actual + ",\"index\":\"moderate\"}";
    }

    static String regional(int region, String from, int forecast) {
        return "{\"kind\":\"intensity\",\"region\":" + region + ",\"from\":\"2025-09-11T" + from
                + "Z\",\"to\":\"2025-09-11T" + plus30(from) + "Z\",\"forecast\":" + forecast
                + ",\"actual\":null,\"index\":\"low\"}";
    }

    static String plus30(String from) {
        int h = Integer.parseInt(from.substring(0, 2));
        return from.endsWith(":00") ? from.substring(0, 3) + "30" : String.format("%02d:00", h + 1);
    }

    static String cpu(String instance, String machine, String from, int period, double busy, double idle) {
        return "{\"kind\":\"cpu\",\"instance\":\"" + instance
                + "\",\"cloud_project_name\":\"IDAaaS\",\"machine_name\":\""
                + machine + "\",\"ts\":\"2025-09-11T" + from + ":00Z\",\"period_seconds\":" + period
                + ",\"busy_cpu_seconds\":" + busy + ",\"idle_cpu_seconds\":" + idle + "}";
    }

    // ---- by hand (SPEC 2.1: 12 W busy, 1 W idle per core, PUE 1; 2.9: E = kg x 1000 / (years x 8760) / cores)
    static final double E_MUON = 2400 * 1000.0 / (5 * 8760) / 16; // 3.4247 g per core-hour (SPEC 4)
    static final double E_SANS = 1000 * 1000.0 / (5 * 8760) / 48; // defaults but the lifetime

    /** Muon's hour 10: slot 10:00 at region 12's revised forecast 120 (regional), slot 10:30 at the actual 160. */
    static final Figures MUON_10 = new Figures(
            5400,
            5400,
            0.006 + 0.012,
            0.0005 + 0.001,
            0.006 * 120 + 0.012 * 160,
            0.0005 * 120 + 0.001 * 160,
            10800 / 3600.0 * E_MUON,
            0.013,
            0,
            0.0065,
            0,
            900 + 1800,
            1);

    /** SANS's hour 10: slot 10:30 (7,200 busy and idle s each: 0.024 and 0.002 kWh) at the actual 160. */
    static final Figures SANS_10 = new Figures(
            7200, 7200, 0.024, 0.002, 0.024 * 160, 0.002 * 160, 14400 / 3600.0 * E_SANS, 0.026, 0, 0, 0, 1800, 1);

    /**
     * SANS's hour 11: slot 11:00 has only region 13's forecast, never used: the fallback 200; slot 11:30 has the
     * national forecast 90 and no regional one.
     */
    static final Figures SANS_11 = new Figures(
            14400,
            14400,
            0.048,
            0.004,
            0.024 * 200 + 0.024 * 90,
            0.002 * 200 + 0.002 * 90,
            28800 / 3600.0 * E_SANS,
            0,
            0.026,
            0,
            0.026,
            3600,
            1);

    record Figures(
            double busyS,
            double idleS,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG,
            double embodiedG,
            double kwhActual,
            double kwhForecast,
            double kwhRegional,
            double kwhFallback,
            double hostSeconds,
            long hosts) {
        Figures plus(Figures o) {
            return new Figures(
                    busyS + o.busyS,
                    idleS + o.idleS,
                    busyKwh + o.busyKwh,
                    idleKwh + o.idleKwh,
                    busyG + o.busyG,
                    idleG + o.idleG,
                    embodiedG + o.embodiedG,
                    kwhActual + o.kwhActual,
                    kwhForecast + o.kwhForecast,
                    kwhRegional + o.kwhRegional,
                    kwhFallback + o.kwhFallback,
                    hostSeconds + o.hostSeconds,
                    hosts + o.hosts);
        }
    }

    static final String FACT = "SELECT f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh, "
            + "f.busy_gCo2eq, f.idle_gCo2eq, e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, "
            + "q.kwh_fallback, q.host_seconds, q.hosts FROM fact_usage f "
            + "LEFT JOIN dim_project p ON p.project_id = f.project_id LEFT JOIN dim_machine m ON m.machine_id = f.machine_id "
            + "LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id LEFT JOIN fact_quality q ON q.usage_id = f.usage_id "
            + "WHERE f.scope = ? AND f.ts = ? AND IFNULL(p.cloud_project_name, '') = ? "
            + "AND IFNULL(m.machine_name, '') = ? AND IFNULL(f.user_id, '') = ?";

    @TempDir
    static Path dir;

    static Path db;
    static Path state;

    @BeforeAll
    static void load() {
        Path config = E2e.write(dir.resolve("site.properties"), CONFIG);
        Path events = E2e.write(dir.resolve("events.jsonl"), EVENTS);
        db = dir.resolve("footprint.db");
        state = dir.resolve("state");
        E2e.CliRun run = E2e.cli("load", "--config", config, "--db", db, "--data-dir", state, events);
        assertThat(run.exitCode())
                .as("load's exit code; stderr:\n%s", run.stderr())
                .isZero();
    }

    @Test
    void everyFactCarriesItsEmbodiedCarbonAndItsEnergyBySourceAndCoverage() {
        assertFact(db, "machine", "10:00", "", "Muon", "", MUON_10);
        assertFact(db, "machine", "10:00", "", "SANS", "", SANS_10);
        assertFact(db, "machine", "11:00", "", "SANS", "", SANS_11);
        assertFact(db, "ada", "10:00", "", "", "", MUON_10.plus(SANS_10));
        assertFact(db, "ada", "11:00", "", "", "", SANS_11);
        assertFact(db, "project", "10:00", "IDAaaS", "", "", MUON_10.plus(SANS_10));
        // Only Muon is held, by u1: the user's fact is Muon's.
        assertFact(db, "user", "10:00", "", "", "u1", MUON_10);
        assertThat(E2e.query(
                        db,
                        "SELECT COUNT(*) AS n FROM fact_usage f "
                                + "WHERE NOT EXISTS (SELECT 1 FROM fact_embodied e WHERE e.usage_id = f.usage_id) "
                                + "OR NOT EXISTS (SELECT 1 FROM fact_quality q WHERE q.usage_id = f.usage_id)"))
                .as("facts without their embodied or quality row")
                .containsExactly(Map.of("n", 0));
    }

    @Test
    void theSlotsSayWhichIntensityTheyUsedAndTheRegionsForecastBesideTheNationalOne() {
        List<Map<String, Object>> rows = E2e.query(
                db,
                "SELECT ts, forecast, actual, intensity_gCo2eq_kwh, source, "
                        + "region, regional_forecast FROM fact_intensity ORDER BY ts");
        assertThat(rows)
                .extracting(r -> r.get("ts") + " " + r.get("source") + " " + number(r.get("intensity_gCo2eq_kwh")) + " "
                        + r.get("region") + " " + r.get("regional_forecast"))
                .containsExactly(
                        "2025-09-11T10:00:00Z regional 120.0 12 120.0",
                        "2025-09-11T10:30:00Z actual 160.0 12 null",
                        // Region 13's event gives the slot its row; its forecast is never used.
                        "2025-09-11T11:00:00Z fallback 200.0 12 null",
                        "2025-09-11T11:30:00Z forecast 90.0 12 null");
        assertThat(rows.get(0)).containsEntry("forecast", 200.0).containsEntry("actual", 180.0);
    }

    @Test
    void theFootprintAndQualityTotalsAddUpPerScope() {
        Figures muon = MUON_10,
                sans = SANS_10.plus(SANS_11),
                ada = MUON_10.plus(SANS_10).plus(SANS_11);
        assertTotals("machine", "Muon", muon, 3600);
        assertTotals("machine", "SANS", sans, 2 * 3600);
        assertTotals("ada", null, ada, (2 + 1) * 3600);
        assertTotals("project", "IDAaaS", ada, (2 + 1) * 3600);
        assertTotals("user", "u1", muon, 3600);
        assertTotals("group", "G1", muon, 3600);
    }

    @Test
    void reprocessBringsHistoryWithoutTheNewFiguresUpToThem() throws Exception {
        // History computed before the new tables existed: its facts have no embodied or quality rows.
        Path old = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + old + "'");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM fact_embodied");
            s.execute("DELETE FROM fact_quality");
        }
        Map<String, Object> unknown = E2e.query(
                        old, "SELECT * FROM v_footprint_totals WHERE scope = 'machine' " + "AND entity = 'Muon'")
                .get(0);
        assertThat(unknown)
                .as("never counted as zero")
                .containsEntry("embodied_gCo2eq", null)
                .containsEntry("total_gCo2eq", null);
        assertClose("its operational carbon is still known", MUON_10.busyG, number(unknown.get("busy_gCo2eq")));

        Path renewed = dir.resolve("renewed.db");
        E2e.CliRun run =
                E2e.cli("reprocess", "--config", dir.resolve("site.properties"), "--db", renewed, "--data-dir", state);
        assertThat(run.exitCode())
                .as("reprocess's exit code; stderr:\n%s", run.stderr())
                .isZero();
        assertFact(renewed, "machine", "10:00", "", "Muon", "", MUON_10);
        assertFact(renewed, "ada", "11:00", "", "", "", SANS_11);
        Snapshots.assertSame("reprocessed", Snapshots.of(db), Snapshots.of(renewed));
    }

    /**
     * SPEC 2.6 and 2.8 with the regional series and the new tables: the lines reversed (the two versions of region
     * 12's 10:00 forecast keeping their order) and partly repeated, on raw topics of four partitions, make the
     * same database.
     */
    @Test
    void reversedAndRepeatedOnFourPartitionsTheEventsMakeTheSameDatabase() {
        List<Integer> backwards = new java.util.ArrayList<>();
        for (int i = EVENTS.size() - 1; i >= 0; i--) {
            backwards.add(i);
        }
        List<String> lines =
                LoadOrderTest.withDuplicates(LoadOrderTest.reorderedKeepingReplacementOrder(EVENTS, backwards));
        Path other = dir.resolve("reversed.db");
        E2e.CliRun run = E2e.cli(
                "load",
                "--config",
                dir.resolve("site.properties"),
                "--db",
                other,
                "--data-dir",
                dir.resolve("state-reversed"),
                "--partitions",
                4,
                E2e.write(dir.resolve("reversed.jsonl"), lines));
        assertThat(run.exitCode())
                .as("load's exit code; stderr:\n%s", run.stderr())
                .isZero();
        Snapshots.assertSame("reversed and repeated", Snapshots.of(db), Snapshots.of(other));
    }

    static void assertFact(
            Path file, String scope, String hour, String project, String machine, String user, Figures want) {
        String what = scope + " " + project + machine + user + " " + hour;
        List<Map<String, Object>> rows =
                E2e.query(file, FACT, scope, "2025-09-11T" + hour + ":00Z", project, machine, user);
        assertThat(rows).as(what).hasSize(1);
        Map<String, Object> r = rows.get(0);
        assertClose(what + " busy s", want.busyS, number(r.get("busy_cpu_seconds_total")));
        assertClose(what + " idle s", want.idleS, number(r.get("idle_cpu_seconds_total")));
        assertClose(what + " busy kWh", want.busyKwh, number(r.get("busy_kwh")));
        assertClose(what + " idle kWh", want.idleKwh, number(r.get("idle_kwh")));
        assertClose(what + " busy g", want.busyG, number(r.get("busy_gCo2eq")));
        assertClose(what + " idle g", want.idleG, number(r.get("idle_gCo2eq")));
        assertClose(what + " embodied g", want.embodiedG, number(r.get("embodied_gCo2eq")));
        assertClose(what + " kWh actual", want.kwhActual, number(r.get("kwh_actual")));
        assertClose(what + " kWh forecast", want.kwhForecast, number(r.get("kwh_forecast")));
        assertClose(what + " kWh regional", want.kwhRegional, number(r.get("kwh_regional")));
        assertClose(what + " kWh fallback", want.kwhFallback, number(r.get("kwh_fallback")));
        assertClose(what + " host seconds", want.hostSeconds, number(r.get("host_seconds")));
        assertThat(((Number) r.get("hosts")).longValue()).as(what + " hosts").isEqualTo(want.hosts);
    }

    static void assertTotals(String scope, String entity, Figures want, double hostGrainSeconds) {
        String what = scope + " " + entity;
        String where = " WHERE scope = ? AND entity IS ?";
        Map<String, Object> f = E2e.query(db, "SELECT * FROM v_footprint_totals" + where, scope, entity)
                .get(0);
        assertClose(what + " busy g", want.busyG, number(f.get("busy_gCo2eq")));
        assertClose(what + " idle g", want.idleG, number(f.get("idle_gCo2eq")));
        assertClose(what + " embodied g", want.embodiedG, number(f.get("embodied_gCo2eq")));
        assertClose(what + " total g", want.busyG + want.idleG + want.embodiedG, number(f.get("total_gCo2eq")));
        Map<String, Object> q = E2e.query(db, "SELECT * FROM v_quality_totals" + where, scope, entity)
                .get(0);
        double kwh = want.busyKwh + want.idleKwh;
        assertClose(what + " kWh", kwh, number(q.get("kwh")));
        assertClose(what + " measured share", want.kwhActual / kwh, number(q.get("measured_share")));
        assertClose(what + " fallback share", want.kwhFallback / kwh, number(q.get("fallback_share")));
        assertClose(what + " coverage", want.hostSeconds / hostGrainSeconds, number(q.get("coverage")));
    }
}

package ada.carbon.report;

import static ada.carbon.report.ReportFixture.close;
import static ada.carbon.report.ReportFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ada.carbon.report.ReportData.EntityRow;
import ada.carbon.report.ReportData.EntityTable;
import ada.carbon.report.WhenToRun.ForecastSlot;
import ada.carbon.schemas.Times;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's figures equal the views' figures, for the whole database and for a period. */
class ReportDataTest {
    @TempDir
    static Path dir;

    static Path db;

    /** Each table's entity column, view prefix, and the timeseries rows behind it for a period. */
    private static final Map<String, String[]> SCOPES = Map.of(
            "project",
                    new String[] {
                        "cloud_project_name",
                        "v_project",
                        "SELECT cloud_project_name AS name, * FROM v_project_timeseries"
                    },
            "machine",
                    new String[] {
                        "machine_name", "v_machine", "SELECT machine_name AS name, * FROM v_machine_timeseries"
                    },
            "user", new String[] {"user_id", "v_user", "SELECT user_id AS name, * FROM v_user_timeseries"},
            "group",
                    new String[] {
                        "group_name",
                        "v_group",
                        "SELECT g.group_name AS name, t.* FROM v_user_timeseries t"
                                + " JOIN dim_user u ON u.user_id = t.user_id JOIN dim_group g ON g.group_id = u.group_id"
                    });

    @BeforeAll
    static void database() {
        db = ReportFixture.create(dir.resolve("report.db"));
    }

    static ReportData read(ReportPeriod period) throws Exception {
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            return ReportReader.read(c, "report.db", period);
        }
    }

    @Test
    void wholeDatabaseShowsTheTotalsAndAveragesViewsExactly() throws Exception {
        ReportData d = read(ReportPeriod.ALL);
        Map<String, Object> ada = rows(db, "SELECT * FROM v_ada_totals").get(0);
        assertThat(d.summary().busyKwh()).isEqualTo(ada.get("busy_kwh"));
        assertThat(d.summary().idleKwh()).isEqualTo(ada.get("idle_kwh"));
        assertThat(d.summary().busyG()).isEqualTo(ada.get("busy_gCo2eq"));
        assertThat(d.summary().idleG()).isEqualTo(ada.get("idle_gCo2eq"));
        assertThat(d.summary().busyCpuSeconds()).isEqualTo(ada.get("busy_cpu_seconds_total"));
        assertThat(d.summary().facts()).isEqualTo(ReportFixture.HOURS);
        assertThat(d.summary().activeWorkspaces()).isEqualTo(ReportFixture.ACTIVE_WORKSPACES);
        assertThat(d.summary().firstTs()).isEqualTo(ReportFixture.START);
        assertThat(d.grain()).isEqualTo("hour");
        for (EntityTable t : d.tables()) {
            String[] scope = SCOPES.get(t.id());
            List<Map<String, Object>> totals = rows(db, "SELECT * FROM " + scope[1] + "_totals");
            List<Map<String, Object>> averages = rows(db, "SELECT * FROM " + scope[1] + "_averages");
            assertThat(t.rows()).as(t.id()).hasSize(totals.size()).hasSize(averages.size());
            for (Map<String, Object> view : totals) {
                EntityRow r = row(t, (String) view.get(scope[0]));
                assertThat(r.busyKwh()).isEqualTo(view.get("busy_kwh"));
                assertThat(r.idleKwh()).isEqualTo(view.get("idle_kwh"));
                assertThat(r.busyG()).isEqualTo(view.get("busy_gCo2eq"));
                assertThat(r.idleG()).isEqualTo(view.get("idle_gCo2eq"));
                assertThat(r.busyCpuSeconds()).isEqualTo(view.get("busy_cpu_seconds_total"));
                assertThat(r.idleCpuSeconds()).isEqualTo(view.get("idle_cpu_seconds_total"));
            }
            for (Map<String, Object> view : averages) {
                EntityRow r = row(t, (String) view.get(scope[0]));
                assertThat(r.avgBusyKwh()).isEqualTo(view.get("avg_busy_energy_kwh"));
                assertThat(r.avgIdleKwh()).isEqualTo(view.get("avg_idle_energy_kwh"));
                assertThat(r.avgBusyG()).isEqualTo(view.get("avg_busy_carbon_gCo2eq"));
                assertThat(r.avgIdleG()).isEqualTo(view.get("avg_idle_carbon_gCo2eq"));
                assertThat(r.avgIntensity()).isEqualTo(view.get("avg_intensity_gCo2eq_kwh"));
            }
        }
        // The fixture's own shape, so the comparisons above are not vacuous.
        assertThat(table(d, "project").rows())
                .extracting(EntityRow::name)
                .containsExactlyInAnyOrderElementsOf(ReportFixture.PROJECTS);
        assertThat(table(d, "group").rows())
                .extracting(EntityRow::name)
                .containsExactlyInAnyOrder("RB1", ReportFixture.CAROL_GROUP);
        assertThat(table(d, "user").rows())
                .extracting(EntityRow::name)
                .containsExactlyInAnyOrder("alice", "bob", "carol", "dave");
        assertThat(row(table(d, "user"), "alice").displayName()).isEqualTo(ReportFixture.ALICE_NAME);
        assertThat(row(table(d, "user"), "dave").groupName()).isNull();
        assertThat(row(table(d, "project"), ReportFixture.MARKUP_NAME).facts()).isEqualTo(ReportFixture.HOURS / 2);
        // Sorted by carbon, most first.
        List<Double> grams =
                table(d, "project").rows().stream().map(EntityRow::grams).toList();
        assertThat(grams).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void aPeriodCoveringEverythingAgreesWithTheViews() throws Exception {
        ReportData all = read(ReportPeriod.ALL);
        ReportData bounded = read(ReportPeriod.parse("2024-12-31", "2025-01-04"));
        assertThat(close(bounded.summary().kwh(), all.summary().kwh())).isTrue();
        assertThat(close(bounded.summary().grams(), all.summary().grams())).isTrue();
        for (EntityTable t : all.tables()) {
            EntityTable b = table(bounded, t.id());
            assertThat(b.rows()).hasSameSizeAs(t.rows());
            for (EntityRow r : t.rows()) {
                EntityRow s = row(b, r.name());
                assertThat(s.facts()).isEqualTo(r.facts());
                assertThat(s.displayName()).isEqualTo(r.displayName());
                assertThat(s.groupName()).isEqualTo(r.groupName());
                for (double[] pair : new double[][] {
                    {s.busyKwh(), r.busyKwh()},
                    {s.idleKwh(), r.idleKwh()},
                    {s.busyG(), r.busyG()},
                    {s.idleG(), r.idleG()},
                    {s.busyCpuSeconds(), r.busyCpuSeconds()},
                    {s.avgBusyKwh(), r.avgBusyKwh()},
                    {s.avgIdleG(), r.avgIdleG()},
                    {s.avgIntensity(), r.avgIntensity()}
                }) {
                    assertThat(close(pair[0], pair[1]))
                            .as(t.id() + " " + r.name())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aPeriodSumsTheTimeseriesRowsInsideIt() throws Exception {
        String from = "2025-01-01T06:00:00Z";
        String to = "2025-01-02T18:00:00Z";
        ReportData d = read(ReportPeriod.parse("2025-01-01T06:00Z", "2025-01-02T18:00:00+00:00"));
        assertThat(d.period()).isEqualTo(new ReportPeriod(from, to));
        List<Map<String, Object>> ada =
                rows(db, "SELECT * FROM v_ada_timeseries WHERE ts >= '" + from + "' AND ts < '" + to + "'");
        assertThat(ada).hasSize(36);
        assertThat(d.summary().facts()).isEqualTo(36);
        assertThat(d.summary().firstTs()).isEqualTo(from);
        assertThat(d.summary().lastTs()).isEqualTo("2025-01-02T17:00:00Z");
        assertThat(close(d.summary().busyKwh(), sum(ada, "busy_kwh"))).isTrue();
        assertThat(close(d.summary().idleG(), sum(ada, "idle_gCo2eq"))).isTrue();
        assertThat(d.series().get("day"))
                .extracting(ReportData.Bucket::key)
                .containsExactly("2025-01-01", "2025-01-02");
        assertThat(d.series().get("hour")).hasSize(36);
        assertThat(d.slots()).hasSize(72).allMatch(s -> s.ts().compareTo(from) >= 0 && s.ts().compareTo(to) < 0);
        for (String id : SCOPES.keySet()) {
            Map<String, List<Map<String, Object>>> byName = new HashMap<>();
            for (Map<String, Object> r : rows(
                    db, "SELECT * FROM (" + SCOPES.get(id)[2] + ") WHERE ts >= '" + from + "' AND ts < '" + to + "'")) {
                byName.computeIfAbsent((String) r.get("name"), k -> new ArrayList<>())
                        .add(r);
            }
            EntityTable t = table(d, id);
            assertThat(t.rows()).as(id).hasSize(byName.size());
            byName.forEach((name, rs) -> {
                EntityRow r = row(t, name);
                assertThat(r.facts()).isEqualTo(rs.size());
                assertThat(close(r.busyKwh(), sum(rs, "busy_kwh"))).isTrue();
                assertThat(close(r.idleG(), sum(rs, "idle_gCo2eq"))).isTrue();
                assertThat(close(r.avgBusyG(), sum(rs, "busy_gCo2eq") / rs.size()))
                        .isTrue();
                // The mean of carbon / energy over the rows with energy, as v_*_averages defines it.
                double ratios = 0;
                int n = 0;
                for (Map<String, Object> x : rs) {
                    double kwh = num(x, "busy_kwh") + num(x, "idle_kwh");
                    if (kwh > 0) {
                        ratios += (num(x, "busy_gCo2eq") + num(x, "idle_gCo2eq")) / kwh;
                        n++;
                    }
                }
                assertThat(close(r.avgIntensity(), ratios / n))
                        .as(id + " " + name)
                        .isTrue();
            });
        }
    }

    @Test
    void theFootprintIsTheViewsForTheWholeDatabase() throws Exception {
        ReportData d = read(ReportPeriod.ALL);
        assertFootprint(d.summary().footprint(), "ada", null);
        for (EntityTable t : d.tables()) {
            assertThat(t.rows()).isNotEmpty();
            for (EntityRow r : t.rows()) {
                assertFootprint(r.footprint(), t.id(), r.name());
            }
        }
        // The facts computed before embodied carbon and quality were: not known, never zero.
        ReportData.Footprint old =
                row(table(d, "project"), ReportFixture.OLD_PROJECT).footprint();
        assertThat(old.embodiedG()).isNull();
        assertThat(old.totalG()).isNull();
        assertThat(old.measuredShare()).isNull();
        assertThat(old.coverage()).isNull();
        assertThat(old.busyG())
                .isEqualTo(row(table(d, "project"), ReportFixture.OLD_PROJECT).busyG());
        assertThat(row(table(d, "group"), "RB1").footprint().embodiedG())
                .as("RB1 has bob")
                .isNull();
        assertThat(row(table(d, "group"), ReportFixture.CAROL_GROUP).footprint().embodiedG())
                .isPositive();
    }

    private static void assertFootprint(ReportData.Footprint f, String scope, String entity) {
        String where = " WHERE scope = '" + scope + "' AND entity "
                + (entity == null ? "IS NULL" : "= '" + entity.replace("'", "''") + "'");
        Map<String, Object> fp =
                rows(db, "SELECT * FROM v_footprint_totals" + where).get(0);
        Map<String, Object> q =
                rows(db, "SELECT * FROM v_quality_totals" + where).get(0);
        assertThat(f)
                .as(scope + " " + entity)
                .isEqualTo(new ReportData.Footprint(
                        (Double) fp.get("busy_gCo2eq"),
                        (Double) fp.get("idle_gCo2eq"),
                        (Double) fp.get("embodied_gCo2eq"),
                        (Double) fp.get("total_gCo2eq"),
                        (Double) q.get("kwh"),
                        (Double) q.get("measured_share"),
                        (Double) q.get("fallback_share"),
                        (Double) q.get("coverage")));
    }

    /**
     * The platform's footprint by hand: embodied carbon is its CPU-hours at 0.5946 g; of its energy, hour 5's was
     * priced with forecasts, half of hour 10's with the fallback and hours 15 and 16's with a region's forecast; its
     * hosts (four in even hours, three in odd ones) reported the whole of every hour but half of hours 3, 13, ...,
     * 53: 201 host-hours of 210.
     */
    @Test
    void thePlatformsFootprintByHand() throws Exception {
        List<Map<String, Object>> hours = rows(db, "SELECT * FROM v_ada_timeseries ORDER BY ts");
        double cpuHours = 0;
        double kwh = 0;
        double[] kwhOfHour = new double[hours.size()];
        for (int h = 0; h < hours.size(); h++) {
            cpuHours +=
                    (num(hours.get(h), "busy_cpu_seconds_total") + num(hours.get(h), "idle_cpu_seconds_total")) / 3600;
            kwhOfHour[h] = num(hours.get(h), "busy_kwh") + num(hours.get(h), "idle_kwh");
            kwh += kwhOfHour[h];
        }
        ReportData.Footprint f = read(ReportPeriod.ALL).summary().footprint();
        assertThat(f.embodiedG()).isCloseTo(cpuHours * 0.5946, within(cpuHours * 1e-4)); // SPEC 4: 0.5946 g a core-hour
        assertThat(close(f.embodiedG(), cpuHours * 1_000_000 / 35_040 / 48)).isTrue();
        assertThat(close(f.totalG(), f.busyG() + f.idleG() + f.embodiedG())).isTrue();
        assertThat(close(f.kwh(), kwh)).isTrue();
        assertThat(close(
                        f.measuredShare(),
                        (kwh - kwhOfHour[5] - kwhOfHour[10] / 2 - kwhOfHour[15] - kwhOfHour[16]) / kwh))
                .isTrue();
        assertThat(close(f.fallbackShare(), kwhOfHour[10] / 2 / kwh)).isTrue();
        assertThat(close(f.coverage(), 201.0 / 210))
                .as("coverage %s", f.coverage())
                .isTrue();

        // Hours 10 to 45: 126 host-hours, half of hours 13, 23, 33 and 43's three missing.
        ReportData.Footprint part = read(ReportPeriod.parse("2025-01-01T06:00Z", "2025-01-02T18:00Z"))
                .summary()
                .footprint();
        assertThat(close(part.coverage(), 120.0 / 126))
                .as("coverage %s", part.coverage())
                .isTrue();
        double partKwh = 0;
        for (int h = 10; h < 46; h++) {
            partKwh += kwhOfHour[h];
        }
        assertThat(close(part.fallbackShare(), kwhOfHour[10] / 2 / partKwh)).isTrue();
        assertThat(close(part.measuredShare(), (partKwh - kwhOfHour[10] / 2 - kwhOfHour[15] - kwhOfHour[16]) / partKwh))
                .isTrue();
        assertThat(close(part.totalG(), part.busyG() + part.idleG() + part.embodiedG()))
                .isTrue();
    }

    @Test
    void aPeriodsFootprintSumsTheFactsInsideIt() throws Exception {
        String from = "2025-01-01T06:00:00Z";
        String to = "2025-01-02T18:00:00Z";
        ReportData d = read(ReportPeriod.parse(from, to));
        String in = " AND ts >= '" + from + "' AND ts < '" + to + "'";
        EntityRow idaaas = row(table(d, "project"), "IDAaaS");
        double embodied = 0;
        for (Map<String, Object> r : rows(
                db,
                "SELECT e.embodied_gCo2eq FROM fact_usage f JOIN dim_project p USING"
                        + " (project_id) JOIN fact_embodied e USING (usage_id) WHERE p.cloud_project_name = 'IDAaaS'"
                        + in)) {
            embodied += num(r, "embodied_gCo2eq");
        }
        assertThat(embodied).isPositive();
        assertThat(close(idaaas.footprint().embodiedG(), embodied)).isTrue();
        assertThat(close(idaaas.footprint().totalG(), idaaas.grams() + embodied))
                .isTrue();
        assertThat(row(table(d, "project"), ReportFixture.OLD_PROJECT)
                        .footprint()
                        .embodiedG())
                .isNull();
        // RB1's facts are alice's, with embodied carbon, and bob's, without: RB1's is not known, not alice's alone.
        assertThat(row(table(d, "group"), "RB1").footprint().embodiedG()).isNull();
        assertThat(row(table(d, "group"), "RB1").footprint().totalG()).isNull();
        assertThat(row(table(d, "group"), "RB1").footprint().coverage()).isNull();
        assertThat(row(table(d, "user"), "alice").footprint().embodiedG()).isPositive();
        // A period in which the old project has no facts at all: nothing unknown, nothing emitted.
        ReportData none = read(ReportPeriod.parse("2030-01-01", null));
        assertThat(none.summary().footprint()).isEqualTo(ReportData.Footprint.NONE);
        assertThat(Figures.note(none.summary().footprint())).isNull();
        assertThat(Figures.note(
                        row(table(d, "project"), ReportFixture.OLD_PROJECT).footprint()))
                .contains("embodied carbon", "how much of it is measured", "reprocess");
    }

    @Test
    void whenToRunIsTheLowestSixConsecutiveForecastSlotsAfterTheNewestActual() throws Exception {
        WhenToRun.Result r = read(ReportPeriod.ALL).whenToRun();
        assertThat(r.newestActual()).isEqualTo(ReportFixture.NEWEST_ACTUAL);
        assertThat(r.forecastSlots()).isEqualTo(29); // the two forecast slots among the actuals are older
        assertThat(r.best().start()).isEqualTo(ReportFixture.WINDOW_START);
        assertThat(r.best().end()).isEqualTo(ReportFixture.WINDOW_END);
        assertThat(r.best().meanIntensity()).isEqualTo(ReportFixture.WINDOW_MEAN);
        assertThat(r.forecastUntil()).isEqualTo("2025-01-03T23:00:00Z");
    }

    /**
     * With intensity.region set, a slot with a national actual may still use the region's forecast (source regional),
     * and the forecast after the newest actual is the region's: "when to run" chooses among those.
     */
    @Test
    void whenToRunChoosesAmongTheRegionsForecastToo() throws Exception {
        Path regional = dir.resolve("regional.db");
        ada.carbon.sink.SinkBatch batch = new ada.carbon.sink.SinkBatch();
        Instant start = Times.parse("2025-03-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            boolean measured = i < 4;
            double f = i >= 6 && i < 12 ? 40 : 150;
            batch.add(ada.carbon.sink.SinkChange.SlotChange.upsert(new ada.carbon.avro.SlotIntensity(
                    start.plusSeconds(1800L * i), 180.0, measured ? 170.0 : null, null, f, "regional", false, 12, f)));
        }
        try (ada.carbon.sink.AdaDatabase sink = ada.carbon.sink.AdaDatabase.open(regional)) {
            assertThat(sink.apply(batch).skipped()).isZero();
        }
        try (Connection c = ReportDatabase.openReadOnly(regional)) {
            WhenToRun.Result r = WhenToRun.read(c);
            assertThat(r.newestActual()).isEqualTo("2025-03-01T01:30:00Z");
            assertThat(r.forecastSlots()).isEqualTo(8);
            assertThat(r.best().start()).isEqualTo("2025-03-01T03:00:00Z");
            assertThat(r.best().meanIntensity()).isEqualTo(40);
            assertThat(ReportReader.newestActual(c).source()).isEqualTo("regional");
            assertThat(ReportReader.newestActual(c).regionalForecast()).isEqualTo(150);
        }
    }

    @Test
    void whenToRunEdgeCases() {
        assertThat(WhenToRun.find("2025-01-01T00:00:00Z", List.of()).note())
                .contains("No slot after the newest actual");
        assertThat(WhenToRun.find(null, List.of()).note()).contains("no forecast slots");
        List<ForecastSlot> five = slots("2025-01-01T00:00:00Z", 100, 100, 100, 100, 100);
        WhenToRun.Result r = WhenToRun.find(null, five);
        assertThat(r.best()).isNull();
        assertThat(r.note()).contains("no 6 consecutive");
        // Equal windows: the earliest wins.
        r = WhenToRun.find(null, slots("2025-01-01T00:00:00Z", 5, 5, 5, 5, 5, 5, 5, 5));
        assertThat(r.best().start()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(r.best().end()).isEqualTo("2025-01-01T03:00:00Z");
        // The lowest window at the very end.
        r = WhenToRun.find(null, slots("2025-01-01T00:00:00Z", 9, 9, 1, 1, 1, 1, 1, 1));
        assertThat(r.best().start()).isEqualTo("2025-01-01T01:00:00Z");
        assertThat(r.best().meanIntensity()).isEqualTo(1);
    }

    @Test
    void periodsParseAndNormalise() {
        assertThat(ReportPeriod.parse("2025-09-01", null)).isEqualTo(new ReportPeriod("2025-09-01T00:00:00Z", null));
        assertThat(ReportPeriod.parse(null, "2025-09-01T10:00+01:00"))
                .isEqualTo(new ReportPeriod(null, "2025-09-01T09:00:00Z"));
        assertThat(ReportPeriod.parse(null, null).isAll()).isTrue();
        assertThatThrownBy(() -> ReportPeriod.parse("2025-09-02", "2025-09-01")).hasMessageContaining("is not before");
        assertThatThrownBy(() -> ReportPeriod.parse("2025-09-01", "2025-09-01")).hasMessageContaining("is not before");
        assertThatThrownBy(() -> ReportPeriod.parse("yesterday", null)).hasMessageContaining("--from");
        assertThatThrownBy(() -> ReportPeriod.parse(null, "2025-09-01T10:00:00.5Z"))
                .hasMessageContaining("fraction");
    }

    @Test
    void jsonForAScriptElementCannotCloseIt() {
        String json = Html.json(Map.of("name", ReportFixture.SCRIPT_NAME + "<!-- & \u2028"));
        assertThat(json)
                .doesNotContain("<")
                .doesNotContain(">")
                .doesNotContain("&")
                .doesNotContain("\u2028");
        assertThat(json).contains("\\u003C/script\\u003E");
        assertThat(Html.escape(ReportFixture.MARKUP_NAME))
                .isEqualTo("Tom &amp; Jerry&#39;s &quot;lab&quot;, &lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void aFileThatIsNotAnAdaCarbonDatabaseIsRefused() throws Exception {
        assertThatThrownBy(() -> ReportDatabase.openReadOnly(dir.resolve("missing.db")))
                .hasMessageContaining("no database at");
        assertThat(dir.resolve("missing.db")).doesNotExist();
        Path other = dir.resolve("other.db");
        try (Connection c = ReportFixture.connect(other)) {
            c.createStatement().execute("CREATE TABLE t (x)");
        }
        assertThatThrownBy(() -> ReportDatabase.openReadOnly(other)).hasMessageContaining("not an ada-carbon database");
    }

    @Test
    void aDatabaseOfAnEarlierSinkIsRefusedSayingHowToBringItUpToDate() throws Exception {
        Path old = dir.resolve("old.db");
        java.nio.file.Files.copy(db, old);
        try (Connection c = ReportFixture.connect(old)) {
            c.createStatement().execute("DROP VIEW v_footprint_totals");
        }
        assertThatThrownBy(() -> HtmlReport.write(old, ReportPeriod.ALL, dir.resolve("old.html")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks v_footprint_totals")
                .hasMessageContaining("this version's sink");
        ada.carbon.sink.AdaDatabase.open(old).close();
        HtmlReport.write(old, ReportPeriod.ALL, dir.resolve("old.html"));
    }

    private static List<ForecastSlot> slots(String start, double... values) {
        List<ForecastSlot> out = new ArrayList<>();
        Instant t = Times.parse(start);
        for (double v : values) {
            out.add(new ForecastSlot(Times.format(t), v));
            t = t.plusSeconds(1800);
        }
        return out;
    }

    static EntityTable table(ReportData d, String id) {
        return d.tables().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    static EntityRow row(EntityTable t, String name) {
        return t.rows().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(t.id() + " has no row " + name));
    }

    private static double sum(List<Map<String, Object>> rows, String column) {
        double s = 0;
        for (Map<String, Object> r : rows) {
            s += num(r, column);
        }
        return s;
    }

    private static double num(Map<String, Object> r, String column) {
        Object v = r.get(column);
        return v == null ? 0 : ((Number) v).doubleValue();
    }
}

package ada.carbon.report;

import static ada.carbon.report.ReportFixture.close;
import static ada.carbon.report.ReportFixture.real;
import static ada.carbon.report.ReportFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: written by {@code ada-carbon report}, opened in headless Chromium, and its
 * DOM (after the page's scripts ran) checked against the database.
 *
 * <p>Console errors are looked for in two places. The page's first script records every error event (uncaught
 * exceptions, script parse errors, resources that fail to load), unhandled rejection, blocked request
 * (its Content-Security-Policy allows no fetch at all) and {@code console.error}/{@code console.warn} call on
 * {@code <html data-errors|data-warnings>}, and its last statement sets {@code data-ready}. And Chromium,
 * run with {@code --enable-logging=stderr}, logs every console message of the page to stderr as
 * {@code INFO:CONSOLE}; the report logs nothing, so any such line fails the test. {@link #theErrorDetectionSeesErrors}
 * shows both catch real mistakes.
 */
class ReportBrowserTest {
    @TempDir
    static Path dir;

    static Path db;
    static Path html;
    static Chromium.Run run;
    static Document dom;

    @BeforeAll
    static void openTheReport() throws Exception {
        db = ReportFixture.create(dir.resolve("report.db"));
        html = dir.resolve("out/report.html");
        assertThat(Main.commandLine().execute("report", "--db", db.toString(), "--out", html.toString()))
                .isZero();
        run = Chromium.dumpDom(html.toUri().toString());
        dom = Jsoup.parse(run.stdout());
        // For a person to look at after the build.
        Files.createDirectories(Path.of("target"));
        Files.copy(html, Path.of("target/report.html"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(Path.of("target/report-dom.html"), run.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void thePageRanToTheEndWithoutErrors() {
        assertNoErrors(run, dom);
        assertThat(dom.title()).isEqualTo("ada-carbon report: report.db");
        // Nothing outside the file: no src or href to elsewhere, and the page's policy forbids fetching.
        assertThat(dom.select("[src]")).isEmpty();
        assertThat(dom.select("link[href]")).isEmpty();
        String policy = dom.select("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertThat(policy)
                .startsWith("default-src 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("connect-src");
        // Each inline script (error hook, Chart.js, the page's script) and the style, by its hash.
        assertThat(policy)
                .containsPattern("script-src 'sha256-[A-Za-z0-9+/=]{44}' 'sha256-[A-Za-z0-9+/=]{44}'"
                        + " 'sha256-[A-Za-z0-9+/=]{44}';")
                .containsPattern("style-src 'sha256-[A-Za-z0-9+/=]{44}';");
        assertThat(run.console())
                .as("Chromium logs a policy violation to the console")
                .noneMatch(l -> l.contains("Content Security Policy"));
    }

    @Test
    void theSummaryFiguresAreTheViews() {
        Map<String, Object> ada = rows(db, "SELECT * FROM v_ada_totals").get(0);
        double kwh = (Double) ada.get("busy_kwh") + (Double) ada.get("idle_kwh");
        double grams = (Double) ada.get("busy_gCo2eq") + (Double) ada.get("idle_gCo2eq");
        assertThat(v(dom, "#sum-energy")).isEqualTo(kwh);
        assertThat(v(dom, "#sum-carbon")).isEqualTo(grams);
        assertThat(v(dom, "#sum-busy-share")).isEqualTo(100 * (Double) ada.get("busy_kwh") / kwh);
        assertThat(v(dom, "#sum-active"))
                .isEqualTo(real(db, "SELECT COUNT(*) FROM active_workspace"))
                .isEqualTo(3);
        assertThat(v(dom, "#sum-facts")).isEqualTo(real(db, "SELECT COUNT(*) FROM v_ada_timeseries"));
        // And as a reader sees them.
        assertThat(dom.selectFirst("#sum-energy .value").text())
                .isEqualTo(String.format(Locale.ROOT, "%,.2f kWh", kwh));
        assertThat(dom.selectFirst("#sum-carbon .value").text())
                .isEqualTo(String.format(Locale.ROOT, "%,.2f kgCO2eq", grams / 1000));
        assertThat(dom.selectFirst("#sum-active .value").text()).isEqualTo("3");

        // The footprint beside it: embodied carbon, the two together, and how much is measured.
        Map<String, Object> fp =
                rows(db, "SELECT * FROM v_footprint_totals WHERE scope = 'ada'").get(0);
        Map<String, Object> q =
                rows(db, "SELECT * FROM v_quality_totals WHERE scope = 'ada'").get(0);
        assertThat(v(dom, "#sum-embodied")).isEqualTo(fp.get("embodied_gCo2eq"));
        assertThat(v(dom, "#sum-footprint")).isEqualTo(fp.get("total_gCo2eq"));
        assertThat(v(dom, "#sum-measured")).isEqualTo(q.get("measured_share"));
        assertThat(dom.selectFirst("#sum-footprint .value").text())
                .isEqualTo(String.format(Locale.ROOT, "%,.2f kgCO2eq", (Double) fp.get("total_gCo2eq") / 1000));
        assertThat(dom.selectFirst("#sum-measured .value").text())
                .isEqualTo(String.format(Locale.ROOT, "%.1f%% actual", 100 * (Double) q.get("measured_share")));
        assertThat(dom.selectFirst("#sum-measured .detail").text())
                .contains(String.format(Locale.ROOT, "hosts reported %.1f%%", 100 * (Double) q.get("coverage")));
        assertThat(dom.selectFirst("#footprint-note").hasAttr("hidden"))
                .as("every platform fact has its footprint")
                .isTrue();
    }

    @Test
    void theChartsDrewTheDatabaseFigures() {
        Element usage = dom.selectFirst("canvas#usage-chart");
        assertThat(usage.attr("data-grain")).isEqualTo("hour");
        assertThat(usage.attr("data-unit")).isEqualTo("kwh");
        assertThat(usage.attr("data-bars")).isEqualTo(String.valueOf(ReportFixture.HOURS));
        double kwh = real(db, "SELECT SUM(busy_kwh) + SUM(idle_kwh) FROM v_ada_timeseries");
        assertThat(close(Double.parseDouble(usage.attr("data-total")), kwh))
                .as("bars' total %s vs %s", usage.attr("data-total"), kwh)
                .isTrue();
        assertThat(Integer.parseInt(usage.attr("data-painted")))
                .as("pixels the bar chart painted")
                .isGreaterThan(1000);

        // The calendar: a year each, a square a day, the day's carbon on the squares with facts.
        assertThat(dom.select("#heatmap svg").eachAttr("data-year")).containsExactly("2025", "2024");
        assertThat(dom.select("#heatmap svg[data-year=2024] rect")).hasSize(366);
        Elements days = dom.select("#heatmap rect[data-g]");
        List<Map<String, Object>> daily = rows(
                db,
                "SELECT substr(ts, 1, 10) AS day, SUM(busy_gCo2eq) + SUM(idle_gCo2eq) AS g"
                        + " FROM v_ada_timeseries GROUP BY day ORDER BY day");
        assertThat(daily).hasSize(4);
        assertThat(days).hasSize(daily.size());
        for (Map<String, Object> d : daily) {
            Element rect = dom.selectFirst("#heatmap rect[data-date=" + d.get("day") + "]");
            assertThat(close(Double.parseDouble(rect.attr("data-g")), (Double) d.get("g")))
                    .as("%s", d)
                    .isTrue();
            assertThat(rect.selectFirst("title").text()).startsWith(d.get("day") + ": ");
        }

        // Intensity: every slot, the count of each source, and the window drawn.
        Element intensity = dom.selectFirst("canvas#intensity-chart");
        assertThat(intensity.attr("data-slots"))
                .isEqualTo(String.valueOf((long) real(db, "SELECT COUNT(*) FROM fact_intensity")));
        assertThat(intensity.attr("data-window-drawn")).isEqualTo("true");
        assertThat(Integer.parseInt(intensity.attr("data-painted"))).isGreaterThan(1000);
        for (String source : List.of("actual", "forecast", "regional", "fallback")) {
            assertThat(dom.selectFirst("#source-legend [data-source=" + source + "]")
                            .attr("data-count"))
                    .isEqualTo(String.valueOf(
                            (long) real(db, "SELECT COUNT(*) FROM fact_intensity WHERE source = '" + source + "'")));
        }
        assertThat(dom.selectFirst("#source-legend [data-source=regional]").attr("data-count"))
                .isEqualTo("4");
        // The national series and the region's beside the intensity used.
        assertThat(intensity.attr("data-regional-slots")).isEqualTo("4");
        assertThat(intensity.attr("data-series"))
                .isEqualTo("intensity used|national actual|national forecast|region " + ReportFixture.REGION
                        + " forecast");
        assertThat(dom.select("#source-legend [data-series]").eachAttr("data-series"))
                .hasSize(3);
        Element when = dom.selectFirst("#when-to-run");
        assertThat(when.attr("data-start")).isEqualTo(ReportFixture.WINDOW_START);
        assertThat(when.attr("data-end")).isEqualTo(ReportFixture.WINDOW_END);
        assertThat(Double.parseDouble(when.attr("data-mean"))).isEqualTo(ReportFixture.WINDOW_MEAN);
        assertThat(when.text()).contains(ReportFixture.WINDOW_START + " to " + ReportFixture.WINDOW_END);
    }

    @Test
    void eachTableHoldsItsViewsRows() {
        check("project", "cloud_project_name", "v_project");
        check("machine", "machine_name", "v_machine");
        check("group", "group_name", "v_group");
        check("user", "user_id", "v_user");
        // The facts computed before embodied carbon was: not known, and shown so.
        Element old = rowOf(dom.selectFirst("table#t-project"), ReportFixture.OLD_PROJECT);
        assertThat(cell(dom.selectFirst("table#t-project"), old, "total_gCo2eq").text())
                .isEqualTo("—");
        Element alice = rowOf(dom.selectFirst("table#t-user"), "alice");
        assertThat(cell(dom.selectFirst("table#t-user"), alice, "display_name").text())
                .isEqualTo(ReportFixture.ALICE_NAME);
        assertThat(cell(dom.selectFirst("table#t-user"), alice, "group_name").text())
                .isEqualTo("RB1");
    }

    private static void check(String id, String nameColumn, String views) {
        Element table = dom.selectFirst("table#t-" + id);
        assertThat(table).as(id).isNotNull();
        List<Map<String, Object>> totals = rows(db, "SELECT * FROM " + views + "_totals");
        assertThat(table.select("tbody tr")).as(id).hasSize(totals.size());
        for (Map<String, Object> view : totals) {
            String name = (String) view.get(nameColumn);
            Element tr = rowOf(table, name);
            for (String column : List.of(
                    "busy_cpu_seconds_total",
                    "idle_cpu_seconds_total",
                    "busy_kwh",
                    "idle_kwh",
                    "busy_gCo2eq",
                    "idle_gCo2eq")) {
                assertThat(Double.parseDouble(cell(table, tr, column).attr("data-v")))
                        .as("%s %s %s", id, name, column)
                        .isEqualTo(view.get(column));
            }
            assertThat(Double.parseDouble(cell(table, tr, "kwh").attr("data-v")))
                    .isEqualTo((Double) view.get("busy_kwh") + (Double) view.get("idle_kwh"));
            assertThat(cell(table, tr, "gCo2eq").text())
                    .isEqualTo(String.format(
                            Locale.ROOT,
                            "%,.3f",
                            ((Double) view.get("busy_gCo2eq") + (Double) view.get("idle_gCo2eq")) / 1000));
        }
        List<Map<String, Object>> footprints = rows(
                db,
                "SELECT * FROM v_footprint_totals f JOIN v_quality_totals q" + " USING (scope, entity) WHERE scope = '"
                        + id + "'");
        assertThat(footprints).hasSize(totals.size());
        for (Map<String, Object> view : footprints) {
            Element tr = rowOf(table, (String) view.get("entity"));
            for (String column : List.of("embodied_gCo2eq", "total_gCo2eq", "measured_share", "coverage")) {
                Element td = cell(table, tr, column);
                if (view.get(column) == null) {
                    assertThat(td.attr("data-v"))
                            .as("%s %s %s", id, view.get("entity"), column)
                            .isEmpty();
                    assertThat(td.text()).isEqualTo("—");
                } else {
                    assertThat(Double.parseDouble(td.attr("data-v")))
                            .as("%s %s %s", id, view.get("entity"), column)
                            .isEqualTo(view.get(column));
                }
            }
        }
        for (Map<String, Object> view : rows(db, "SELECT * FROM " + views + "_averages")) {
            Element tr = rowOf(table, (String) view.get(nameColumn));
            for (String column : List.of(
                    "avg_busy_energy_kwh",
                    "avg_idle_energy_kwh",
                    "avg_busy_carbon_gCo2eq",
                    "avg_idle_carbon_gCo2eq",
                    "avg_intensity_gCo2eq_kwh")) {
                assertThat(Double.parseDouble(cell(table, tr, column).attr("data-v")))
                        .as("%s %s", id, column)
                        .isEqualTo(view.get(column));
            }
        }
    }

    @Test
    void hostileNamesAreShownAsText() {
        Element table = dom.selectFirst("table#t-project");
        assertThat(rowOf(table, ReportFixture.SCRIPT_NAME)).isNotNull();
        assertThat(rowOf(table, ReportFixture.MARKUP_NAME)).isNotNull();
        assertThat(dom.title()).doesNotContain("pwned");
        assertThat(dom.select("table b")).as("markup from a name").isEmpty();
        // The four scripts of the report (error hook, data, Chart.js, the report's own) and no other.
        assertThat(dom.select("script")).hasSize(4);
        assertThat(rowOf(dom.selectFirst("table#t-group"), ReportFixture.CAROL_GROUP))
                .isNotNull();
    }

    @Test
    void theEquivalenciesStateTheirFactorsAndSources() {
        double grams = real(db, "SELECT busy_gCo2eq + idle_gCo2eq FROM v_ada_totals");
        Elements rows = dom.select("#t-equivalencies tbody tr");
        assertThat(rows).hasSize(Equivalencies.ALL.size());
        for (Equivalencies.Factor f : Equivalencies.ALL) {
            Element tr = dom.selectFirst("#t-equivalencies tr[data-id=" + f.id() + "]");
            assertThat(Double.parseDouble(tr.attr("data-v"))).isEqualTo(grams / f.gramsPerUnit());
            assertThat(tr.text()).contains(f.factor()).contains(f.source());
        }
        assertThat(dom.selectFirst("#t-equivalencies tr[data-id=miles]").text())
                .contains("393 gCO2e per mile", "US EPA");
    }

    @Test
    void theFragmentSwitchesTheChartAndSortsATable() throws Exception {
        Element head = dom.selectFirst("table#t-project thead tr:nth-child(2)");
        int kwhColumn = head.select("th").indexOf(head.selectFirst("th[data-col=kwh]"));
        Chromium.Run byDay = Chromium.dumpDom(html.toUri() + "#grain=day&unit=g&sort=project:" + kwhColumn + ":asc");
        Document d = Jsoup.parse(byDay.stdout());
        assertNoErrors(byDay, d);
        Element usage = d.selectFirst("canvas#usage-chart");
        assertThat(usage.attr("data-grain")).isEqualTo("day");
        assertThat(usage.attr("data-unit")).isEqualTo("g");
        assertThat(usage.attr("data-bars")).isEqualTo("4");
        assertThat(close(
                        Double.parseDouble(usage.attr("data-total")),
                        real(db, "SELECT SUM(busy_gCo2eq) + SUM(idle_gCo2eq) FROM v_ada_timeseries")))
                .isTrue();
        assertThat(d.selectFirst("#usage button[data-grain=day]").attr("aria-pressed"))
                .isEqualTo("true");
        Element table = d.selectFirst("table#t-project");
        List<Double> kwh = new ArrayList<>();
        for (Element tr : table.select("tbody tr")) {
            kwh.add(Double.parseDouble(tr.child(kwhColumn).attr("data-v")));
        }
        assertThat(kwh).hasSize(4).isSorted();
        assertThat(table.select("thead th[aria-sort]").eachAttr("data-col")).containsExactly("kwh");
        // Unsorted, the report lists the most carbon first: so the sort did something.
        List<Double> before = new ArrayList<>();
        for (Element tr : dom.select("table#t-project tbody tr")) {
            before.add(Double.parseDouble(tr.child(kwhColumn).attr("data-v")));
        }
        assertThat(before).isNotEqualTo(kwh);

        Document byMonth =
                Jsoup.parse(Chromium.dumpDom(html.toUri() + "#grain=month").stdout());
        assertThat(byMonth.selectFirst("canvas#usage-chart").attr("data-bars")).isEqualTo("2");
    }

    @Test
    void aReportOfAPeriodShowsThePeriodsFigures() throws Exception {
        Path part = dir.resolve("part.html");
        assertThat(Main.commandLine()
                        .execute(
                                "report",
                                "--db",
                                db.toString(),
                                "--from",
                                "2025-01-01",
                                "--to",
                                "2025-01-02T12:00Z",
                                "--out",
                                part.toString()))
                .isZero();
        Chromium.Run r = Chromium.dumpDom(part.toUri().toString());
        Document d = Jsoup.parse(r.stdout());
        assertNoErrors(r, d);
        String where = " WHERE ts >= '2025-01-01T00:00:00Z' AND ts < '2025-01-02T12:00:00Z'";
        assertThat(close(
                        v(d, "#sum-energy"),
                        real(db, "SELECT SUM(busy_kwh) + SUM(idle_kwh) FROM v_ada_timeseries" + where)))
                .isTrue();
        assertThat(close(
                        v(d, "#sum-carbon"),
                        real(db, "SELECT SUM(busy_gCo2eq) + SUM(idle_gCo2eq) FROM v_ada_timeseries" + where)))
                .isTrue();
        assertThat(v(d, "#sum-facts")).isEqualTo(36);
        assertThat(d.selectFirst("canvas#usage-chart").attr("data-bars")).isEqualTo("36");
        assertThat(d.selectFirst("canvas#intensity-chart").attr("data-slots")).isEqualTo("72");
        assertThat(d.select("#heatmap rect[data-g]").eachAttr("data-date")).containsExactly("2025-01-01", "2025-01-02");
        Element table = d.selectFirst("table#t-machine");
        for (Map<String, Object> m : rows(
                db,
                "SELECT machine_name, SUM(busy_kwh) AS b, COUNT(*) AS n FROM v_machine_timeseries" + where
                        + " GROUP BY machine_name")) {
            Element tr = rowOf(table, (String) m.get("machine_name"));
            assertThat(close(Double.parseDouble(cell(table, tr, "busy_kwh").attr("data-v")), (Double) m.get("b")))
                    .isTrue();
            assertThat(Double.parseDouble(cell(table, tr, "facts").attr("data-v")))
                    .isEqualTo(((Number) m.get("n")).doubleValue());
        }
        assertThat(d.selectFirst("#period").text())
                .isEqualTo("from 2025-01-01T00:00:00Z up to (not including) 2025-01-02T12:00:00Z");
    }

    @Test
    void aPeriodWithoutFactsSaysSo() throws Exception {
        Path empty = dir.resolve("empty.html");
        assertThat(Main.commandLine()
                        .execute("report", "--db", db.toString(), "--from", "2030-01-01", "--out", empty.toString()))
                .isZero();
        Chromium.Run r = Chromium.dumpDom(empty.toUri() + "#sort=project:99:asc");
        Document d = Jsoup.parse(r.stdout());
        assertNoErrors(r, d);
        assertThat(v(d, "#sum-energy")).isZero();
        assertThat(d.selectFirst("#no-facts")).isNotNull();
        assertThat(d.selectFirst("canvas#usage-chart").attr("data-bars")).isEqualTo("0");
        assertThat(d.selectFirst("#heatmap").attr("data-days")).isEqualTo("0");
        assertThat(d.select("table.sortable")).isEmpty();
        assertThat(d.select("p.empty")).hasSize(4);
        // The forecast does not depend on the period.
        assertThat(d.selectFirst("#when-to-run").attr("data-start")).isEqualTo(ReportFixture.WINDOW_START);
        assertThat(d.selectFirst("#when-to-run").text()).contains("outside the period");
    }

    @Test
    void aScreenshotIsSaved() throws Exception {
        Path png = Path.of("target/report.png");
        Chromium.Run r = Chromium.screenshot(html.toUri().toString(), png, 1400, 3000);
        assertThat(r.console()).isEmpty();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(50_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** The checks above would pass on a page that hides its errors; these pages have errors, and are caught. */
    @Test
    void theErrorDetectionSeesErrors() throws Exception {
        String report = Files.readString(html);

        // A script the page's policy does not list is blocked, and the violation noted; it never runs.
        String injected = report.replace("</body>", "<script>undefinedFunctionForTheTest();</script></body>");
        Chromium.Run blocked = open(injected);
        Document d = Jsoup.parse(blocked.stdout());
        assertThat(d.selectFirst("html").attr("data-errors"))
                .contains("blocked by the page policy: script-src-elem")
                .doesNotContain("undefinedFunctionForTheTest");
        assertThat(blocked.console()).anyMatch(l -> l.contains("Content Security Policy"));

        // Allowed by its hash, it runs, and its error is caught.
        Chromium.Run thrown = open(HtmlPage.withPolicy(injected, false));
        d = Jsoup.parse(thrown.stdout());
        assertThat(d.selectFirst("html").attr("data-errors")).contains("undefinedFunctionForTheTest");
        assertThat(thrown.console()).anyMatch(l -> l.contains("Uncaught ReferenceError"));

        // Without Chart.js the report's script fails at its first chart and never gets to data-ready.
        String chartJs = HtmlReport.chartJs();
        assertThat(report).contains(chartJs);
        Chromium.Run noCharts = open(HtmlPage.withPolicy(report.replace(chartJs, ""), false));
        d = Jsoup.parse(noCharts.stdout());
        assertThat(d.selectFirst("html").hasAttr("data-ready")).isFalse();
        assertThat(d.selectFirst("html").attr("data-errors")).contains("Chart is not defined");

        // Anything fetched from elsewhere is blocked by the page's policy, and noted.
        Chromium.Run fetch = open(report.replace("</main>", "<img src=\"http://example.invalid/x.png\"></main>"));
        d = Jsoup.parse(fetch.stdout());
        assertThat(d.selectFirst("html").attr("data-errors")).contains("blocked by the page policy");
        assertThat(fetch.console()).isNotEmpty();

        Chromium.Run logged = open(HtmlPage.withPolicy(
                report.replace("</body>", "<script>console.warn('a warning');</script></body>"), false));
        assertThat(Jsoup.parse(logged.stdout()).selectFirst("html").attr("data-warnings"))
                .contains("a warning");
    }

    private static Chromium.Run open(String page) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "broken-", ".html");
        Files.writeString(file, page, StandardCharsets.UTF_8);
        return Chromium.dumpDom(file.toUri().toString());
    }

    static void assertNoErrors(Chromium.Run run, Document dom) {
        Element root = dom.selectFirst("html");
        assertThat(root.attr("data-errors")).as("errors the page recorded").isEmpty();
        assertThat(root.attr("data-warnings")).as("warnings the page recorded").isEmpty();
        assertThat(run.console()).as("console messages Chromium logged").isEmpty();
        assertThat(root.attr("data-ready"))
                .as("the report's script ran to its end")
                .isEqualTo("true");
    }

    private static double v(Document d, String selector) {
        Element e = d.selectFirst(selector);
        assertThat(e).as(selector).isNotNull();
        return Double.parseDouble(e.attr("data-v"));
    }

    private static Element rowOf(Element table, String name) {
        for (Element tr : table.select("tbody tr")) {
            if (tr.child(0).text().equals(name) && tr.child(0).attr("data-v").equals(name)) {
                return tr;
            }
        }
        throw new AssertionError("no row for " + name + " in " + table.id());
    }

    private static Element cell(Element table, Element tr, String column) {
        Element head = table.selectFirst("thead tr:nth-child(2)");
        int i = head.select("th").indexOf(head.selectFirst("th[data-col=" + column + "]"));
        assertThat(i).as("column %s of %s", column, table.id()).isNotNegative();
        return tr.child(i);
    }
}

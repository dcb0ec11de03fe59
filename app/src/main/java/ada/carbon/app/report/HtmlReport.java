package ada.carbon.app.report;

import static ada.carbon.app.report.Html.escape;
import static ada.carbon.app.report.Html.number;
import static ada.carbon.app.report.Html.raw;

import ada.carbon.app.report.ReportData.Bucket;
import ada.carbon.app.report.ReportData.EntityRow;
import ada.carbon.app.report.ReportData.EntityTable;
import ada.carbon.app.report.ReportData.Slot;
import ada.carbon.app.report.ReportData.Summary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as one self-contained HTML file: the template, its CSS and script, Chart.js and the data (JSON) all
 * inline. Everything that comes from the database is escaped: names into HTML with {@link Html#escape}, the data
 * with {@link Html#json}, which keeps it from closing its script element.
 */
public final class HtmlReport {
    private static final String RESOURCES = "/ada/carbon/app/report/";
    private static final String CHARTJS_POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private HtmlReport() {}

    /** Reads {@code db} for {@code period} and writes the report to {@code out}; returns what it showed. */
    public static ReportData write(Path db, ReportPeriod period, Path out) throws SQLException, IOException {
        ReportData data;
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            data = ReportReader.read(c, db.getFileName().toString(), period);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, render(data), StandardCharsets.UTF_8);
        return data;
    }

    public static String render(ReportData d) {
        Summary s = d.summary();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("title", "ada-carbon report: " + escape(d.database()));
        values.put("database", escape(d.database()));
        values.put("period", escape(d.period().describe()));
        values.put("span", s.facts() == 0 ? "none" : escape(s.firstTs()) + " to " + escape(s.lastTs()));
        values.put("generated", escape(d.generatedAt()));
        values.put("summary", summary(d));
        values.put("noFacts", s.facts() == 0 ? "<p class=\"note\" id=\"no-facts\">No facts in this period.</p>" : "");
        values.put("sourceLegend", sourceLegend(d.slots()));
        values.put("whenToRun", whenToRun(d.whenToRun()));
        values.put("grain", escape(d.grain()));
        values.put("tablesNote", d.period().isAll() ? ""
                : " (for this period: the same sums and means over the timeseries views' rows in it)");
        values.put("tables", tables(d));
        values.put("carbonKg", number(s.grams() / 1000, 2));
        values.put("equivalencies", equivalencies(s.grams()));
        values.put("css", resource("report.css"));
        values.put("js", script(resource("report.js")));
        values.put("chartjsVersion", escape(chartJsVersion()));
        values.put("chartjs", script(chartJs()));
        values.put("data", Html.json(payload(d)));
        return fill(resource("report.html"), values::get);
    }

    /** Replaces each {{name}} of the template once, in one pass: a value is never scanned for placeholders. */
    static String fill(String template, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() * 2);
        int last = 0;
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null) {
                throw new IllegalStateException("report template: no value for {{" + m.group(1) + "}}");
            }
            out.append(template, last, m.start()).append(value);
            last = m.end();
        }
        return out.append(template, last, template.length()).toString();
    }

    // ---------------------------------------------------------------- sections

    private static String summary(ReportData d) {
        Summary s = d.summary();
        double kwh = s.kwh();
        double grams = s.grams();
        double busyShare = share(s.busyKwh(), kwh);
        StringBuilder b = new StringBuilder("<div class=\"cards\">\n");
        card(b, "sum-energy", "Energy", kwh, number(kwh, 2) + " <small>kWh</small>",
                "busy " + number(s.busyKwh(), 2) + " · idle " + number(s.idleKwh(), 2) + " kWh");
        card(b, "sum-carbon", "Carbon", grams, number(grams / 1000, 2) + " <small>kgCO2eq</small>",
                "busy " + number(s.busyG() / 1000, 2) + " · idle " + number(s.idleG() / 1000, 2) + " kgCO2eq");
        card(b, "sum-busy-share", "Busy vs idle", busyShare,
                number(busyShare, 1) + "% <small>busy</small>",
                "<div class=\"share\" title=\"busy " + number(busyShare, 1) + "% of energy\"><div class=\"busy\" style=\"width:"
                        + String.format(Locale.ROOT, "%.2f", busyShare) + "%\"></div></div>"
                        + "energy: idle " + number(share(s.idleKwh(), kwh), 1) + "% · carbon: busy "
                        + number(share(s.busyG(), grams), 1) + "%, idle " + number(share(s.idleG(), grams), 1) + "%");
        card(b, "sum-active", "Workspaces active now", (double) s.activeWorkspaces(),
                String.format(Locale.ROOT, "%,d", s.activeWorkspaces()),
                "claimed and not deleted, as the database last heard");
        card(b, "sum-intensity", "Mean intensity", kwh > 0 ? grams / kwh : null,
                number(kwh > 0 ? grams / kwh : null, 1) + " <small>gCO2eq/kWh</small>", "the period's carbon ÷ its energy");
        card(b, "sum-facts", "Facts", (double) s.facts(), String.format(Locale.ROOT, "%,d", s.facts())
                        + " <small>" + escape(d.grain()) + "s</small>",
                s.facts() == 0 ? "no facts in the period" : escape(s.firstTs()) + " to " + escape(s.lastTs()));
        Map<String, Long> src = s.cpuSlotsBySource();
        card(b, "sum-sources", "Intensity of slots with CPU time", (double) src.values().stream().mapToLong(Long::longValue).sum(),
                String.format(Locale.ROOT, "%,d", src.getOrDefault("actual", 0L)) + " <small>actual</small>",
                String.format(Locale.ROOT, "forecast %,d · fallback %,d half hours", src.getOrDefault("forecast", 0L),
                        src.getOrDefault("fallback", 0L)));
        return b.append("</div>").toString();
    }

    private static void card(StringBuilder b, String id, String label, Double value, String shown, String detail) {
        b.append("<div class=\"card\" id=\"").append(id).append("\" data-v=\"").append(raw(value)).append("\">")
                .append("<div class=\"label\">").append(escape(label)).append("</div>")
                .append("<div class=\"value\">").append(shown).append("</div>")
                .append("<div class=\"detail\">").append(detail).append("</div></div>\n");
    }

    private static String sourceLegend(List<Slot> slots) {
        StringBuilder b = new StringBuilder();
        for (String source : List.of("actual", "forecast", "fallback")) {
            long n = slots.stream().filter(s -> s.source().equals(source)).count();
            b.append("<span data-source=\"").append(source).append("\" data-count=\"").append(n).append("\">")
                    .append("<i class=\"swatch ").append(source).append("\"></i>").append(source).append(": ")
                    .append(String.format(Locale.ROOT, "%,d", n)).append(" half hours</span>");
        }
        return b.append("<span><i class=\"swatch window\"></i>when to run</span>").toString();
    }

    private static String whenToRun(WhenToRun.Result r) {
        StringBuilder b = new StringBuilder();
        if (r.best() == null) {
            b.append("<div class=\"when none\" id=\"when-to-run\"><h3>When to run</h3><p>")
                    .append(escape(r.note())).append("</p></div>");
            return b.toString();
        }
        WhenToRun.Window w = r.best();
        b.append("<div class=\"when\" id=\"when-to-run\" data-start=\"").append(escape(w.start())).append("\" data-end=\"")
                .append(escape(w.end())).append("\" data-mean=\"").append(raw(w.meanIntensity())).append("\">")
                .append("<h3>When to run</h3><p>The lowest-carbon three hours of the latest forecast: <strong>")
                .append(escape(w.start())).append(" to ").append(escape(w.end())).append("</strong>, a mean of <strong>")
                .append(number(w.meanIntensity(), 1)).append(" gCO2eq/kWh</strong> (highlighted in green above). ")
                .append("Chosen among the ").append(r.forecastSlots()).append(" forecast-only half hours after the newest actual (")
                .append(r.newestActual() == null ? "none" : escape(r.newestActual())).append("), which run to ")
                .append(escape(r.forecastUntil())).append(".</p></div>");
        return b.toString();
    }

    private static final String[][] TOTAL_COLUMNS = {
        {"busy_cpu_seconds_total", "Busy CPU-h"}, {"idle_cpu_seconds_total", "Idle CPU-h"},
        {"busy_kwh", "Busy kWh"}, {"idle_kwh", "Idle kWh"}, {"kwh", "kWh"}, {"busy_share", "Busy share"},
        {"busy_gCo2eq", "Busy kgCO2eq"}, {"idle_gCo2eq", "Idle kgCO2eq"}, {"gCo2eq", "kgCO2eq"}};
    private static final String[][] MEAN_COLUMNS = {
        {"avg_busy_energy_kwh", "Busy kWh"}, {"avg_idle_energy_kwh", "Idle kWh"},
        {"avg_busy_carbon_gCo2eq", "Busy gCO2eq"}, {"avg_idle_carbon_gCo2eq", "Idle gCO2eq"},
        {"avg_intensity_gCo2eq_kwh", "gCO2eq/kWh"}};

    private static String tables(ReportData d) {
        StringBuilder b = new StringBuilder();
        for (EntityTable t : d.tables()) {
            boolean users = t.id().equals("user");
            int nameColumns = users ? 3 : 1;
            b.append("<h3>").append(escape(t.title())).append(" <span class=\"note\">(")
                    .append(t.rows().size()).append(")</span></h3>\n");
            if (t.rows().isEmpty()) {
                b.append("<p class=\"note empty\" id=\"t-").append(t.id()).append("-empty\">No facts in this period.</p>\n");
                continue;
            }
            b.append("<div class=\"table-wrap\"><table class=\"sortable\" id=\"t-").append(t.id())
                    .append("\" data-rows=\"").append(t.rows().size()).append("\">\n<thead><tr><th colspan=\"")
                    .append(nameColumns + 1).append("\"></th><th class=\"group\" colspan=\"").append(TOTAL_COLUMNS.length)
                    .append("\">Totals</th><th class=\"group\" colspan=\"").append(MEAN_COLUMNS.length)
                    .append("\">Mean per ").append(escape(d.grain())).append("</th></tr>\n<tr>");
            th(b, "name", t.nameHeader(), false);
            if (users) {
                th(b, "display_name", "Name", false);
                th(b, "group_name", "Group", false);
            }
            th(b, "facts", "Facts", true);
            for (String[] c : TOTAL_COLUMNS) {
                th(b, c[0], c[1], true);
            }
            for (String[] c : MEAN_COLUMNS) {
                th(b, c[0], c[1], true);
            }
            b.append("</tr></thead>\n<tbody>\n");
            for (EntityRow r : t.rows()) {
                b.append("<tr>");
                text(b, r.name());
                if (users) {
                    text(b, r.displayName());
                    text(b, r.groupName());
                }
                num(b, (double) r.facts(), String.format(Locale.ROOT, "%,d", r.facts()));
                num(b, r.busyCpuSeconds(), number(div(r.busyCpuSeconds(), 3600), 1));
                num(b, r.idleCpuSeconds(), number(div(r.idleCpuSeconds(), 3600), 1));
                num(b, r.busyKwh(), number(r.busyKwh(), 3));
                num(b, r.idleKwh(), number(r.idleKwh(), 3));
                num(b, r.kwh(), number(r.kwh(), 3));
                double busyShare = share(r.busyKwh() == null ? 0 : r.busyKwh(), r.kwh());
                num(b, busyShare, number(busyShare, 1) + "%");
                num(b, r.busyG(), number(div(r.busyG(), 1000), 3));
                num(b, r.idleG(), number(div(r.idleG(), 1000), 3));
                num(b, r.grams(), number(r.grams() / 1000, 3));
                num(b, r.avgBusyKwh(), number(r.avgBusyKwh(), 4));
                num(b, r.avgIdleKwh(), number(r.avgIdleKwh(), 4));
                num(b, r.avgBusyG(), number(r.avgBusyG(), 2));
                num(b, r.avgIdleG(), number(r.avgIdleG(), 2));
                num(b, r.avgIntensity(), number(r.avgIntensity(), 1));
                b.append("</tr>\n");
            }
            b.append("</tbody></table></div>\n");
        }
        return b.toString();
    }

    private static void th(StringBuilder b, String column, String label, boolean numeric) {
        b.append("<th scope=\"col\" data-col=\"").append(column).append("\" data-type=\"").append(numeric ? "num" : "text")
                .append('"').append(numeric ? " class=\"num\"" : "").append('>').append(escape(label)).append("</th>");
    }

    private static void text(StringBuilder b, String value) {
        b.append("<td data-v=\"").append(escape(value)).append("\">").append(escape(value)).append("</td>");
    }

    private static void num(StringBuilder b, Double value, String shown) {
        b.append("<td class=\"num\" data-v=\"").append(raw(value)).append("\">").append(shown).append("</td>");
    }

    private static String equivalencies(double grams) {
        StringBuilder b = new StringBuilder("<table class=\"equiv\" id=\"t-equivalencies\"><thead><tr>"
                + "<th>Equivalent to</th><th></th><th>Factor</th><th>Source</th></tr></thead><tbody>\n");
        for (Equivalencies.Factor f : Equivalencies.ALL) {
            double units = f.units(grams);
            b.append("<tr data-id=\"").append(f.id()).append("\" data-v=\"").append(raw(units))
                    .append("\" data-grams-per-unit=\"").append(raw(f.gramsPerUnit())).append("\">")
                    .append("<td class=\"amount\">").append(number(units, units < 100 ? 1 : 0)).append(' ')
                    .append(escape(f.unit())).append("</td><td>").append(escape(f.label())).append("</td><td>")
                    .append(escape(f.factor())).append("</td><td>").append(escape(f.source()));
            if (f.url() != null) {
                // Shown, not linked: the page fetches nothing, and a reader can copy the address.
                b.append("<br><code>").append(escape(f.url())).append("</code>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody></table>").toString();
    }

    // ---------------------------------------------------------------- data for the charts

    private static Map<String, Object> payload(ReportData d) {
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> series = new LinkedHashMap<>();
        d.series().forEach((grain, buckets) -> series.put(grain, columns(buckets)));
        p.put("series", series);
        int hours = d.series().get("hour").size();
        int days = d.series().get("day").size();
        p.put("defaultGrain", hours <= 24 * 31 ? "hour" : days <= 2 * 366 ? "day" : "month");
        Map<String, Object> intensity = new LinkedHashMap<>();
        List<String> ts = new ArrayList<>();
        List<Double> used = new ArrayList<>();
        List<Double> forecast = new ArrayList<>();
        List<Double> actual = new ArrayList<>();
        List<String> source = new ArrayList<>();
        List<String> index = new ArrayList<>();
        for (Slot s : d.slots()) {
            ts.add(s.ts());
            used.add(s.used());
            forecast.add(s.forecast());
            actual.add(s.actual());
            source.add(s.source());
            index.add(s.index());
        }
        intensity.put("ts", ts);
        intensity.put("used", used);
        intensity.put("forecast", forecast);
        intensity.put("actual", actual);
        intensity.put("source", source);
        intensity.put("index", index);
        p.put("intensity", intensity);
        WhenToRun.Window w = d.whenToRun().best();
        if (w != null) {
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("start", w.start());
            window.put("end", w.end());
            window.put("mean", w.meanIntensity());
            window.put("slots", w.slots().stream().map(WhenToRun.ForecastSlot::ts).toList());
            p.put("window", window);
        } else {
            p.put("window", null);
        }
        return p;
    }

    private static Map<String, Object> columns(List<Bucket> buckets) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("key", buckets.stream().map(Bucket::key).toList());
        c.put("busyKwh", buckets.stream().map(Bucket::busyKwh).toList());
        c.put("idleKwh", buckets.stream().map(Bucket::idleKwh).toList());
        c.put("busyG", buckets.stream().map(Bucket::busyG).toList());
        c.put("idleG", buckets.stream().map(Bucket::idleG).toList());
        return c;
    }

    // ---------------------------------------------------------------- resources

    static String resource(String name) {
        return read(RESOURCES + name);
    }

    /** Chart.js's UMD build from its webjar, without the source-map comment (there is no map beside the file). */
    static String chartJs() {
        String js = read("/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js");
        return js.replaceAll("(?m)^//# sourceMappingURL=.*$", "");
    }

    static String chartJsVersion() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(CHARTJS_POM)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js's webjar is not on the classpath (" + CHARTJS_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script's text for an inline element: refused if it could end the element early. */
    private static String script(String js) {
        if (js.toLowerCase(Locale.ROOT).contains("</script")) {
            throw new IllegalStateException("a script to inline contains '</script'");
        }
        return js;
    }

    private static String read(String path) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double share(double part, double whole) {
        return whole > 0 ? 100 * part / whole : 0;
    }

    private static Double div(Double d, double by) {
        return d == null ? null : d / by;
    }
}

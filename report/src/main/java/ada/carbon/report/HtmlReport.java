package ada.carbon.report;

import static ada.carbon.report.Html.escape;

import ada.carbon.report.Figures.View;
import ada.carbon.report.ReportData.EntityTable;
import ada.carbon.report.ReportData.Summary;
import ada.carbon.report.ReportReader.Totals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as one self-contained HTML file ({@link HtmlPage}): its figures embedded as the API's JSON objects
 * ({@link Figures}, written with {@link Html#json}, which keeps them from closing their script element) and drawn
 * by the same script as serve's dashboard. Names from the database reach the page only as JSON, and the script
 * sets them as text.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Reads {@code db} for {@code period} and writes the report to {@code out}; returns what it showed. */
    public static ReportData write(Path db, ReportPeriod period, Path out) throws SQLException, IOException {
        ReportData data;
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            ReportDatabase.requireCurrentSchema(c, db);
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
        String header =
                "<p class=\"meta\">Database <code>" + escape(d.database()) + "</code> · period: <span id=\"period\">"
                        + escape(d.period().describe()) + "</span> · facts "
                        + (s.facts() == 0 ? "none" : escape(s.firstTs()) + " to " + escape(s.lastTs()))
                        + " · generated " + escape(d.generatedAt()) + "</p>";
        return HtmlPage.render(
                "report", "ada-carbon report: " + d.database(), header, Html.json(payload(d)), "report.js", false);
    }

    /** Chart.js as the page inlines it. */
    public static String chartJs() {
        return HtmlPage.chartJs();
    }

    /** What report.js draws: the API's objects for the platform over the period. */
    static Map<String, Object> payload(ReportData d) {
        Summary s = d.summary();
        Totals totals = new Totals(
                s.facts(),
                s.firstTs(),
                s.lastTs(),
                s.busyCpuSeconds(),
                s.idleCpuSeconds(),
                s.busyKwh(),
                s.idleKwh(),
                s.busyG(),
                s.idleG());
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("from", d.period().from());
        period.put("to", d.period().to());
        period.put("describe", d.period().describe());
        p.put("period", period);
        p.put("grain", d.grain());
        Map<String, Object> usage = new LinkedHashMap<>();
        for (View v : View.values()) {
            usage.put(
                    v.bucket().id(),
                    Figures.usage(
                            Selection.PLATFORM,
                            d.period(),
                            v,
                            totals,
                            d.series().get(v.bucket().id())));
        }
        p.put("usage", usage);
        p.put("footprint", Figures.footprint(Selection.PLATFORM, d.period(), s.footprint()));
        p.put("heatmaps", Figures.heatmaps(Selection.PLATFORM, d.series().get("day")));
        p.put("intensity", Figures.intensity(d.period(), d.slots()));
        p.put("forecast", Figures.forecast(d.whenToRun(), null));
        List<Figures.Table> tables = d.tables().stream()
                .map((EntityTable t) -> Figures.table(t, d.period()))
                .toList();
        p.put("tables", tables);
        p.put("equivalencies", Figures.equivalencies(s.grams(), Equivalencies.ALL.size()));
        p.put("active_workspaces", s.activeWorkspaces());
        return p;
    }
}

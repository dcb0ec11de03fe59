package ada.carbon.app.cli;

import ada.carbon.report.HtmlReport;
import ada.carbon.report.ReportData;
import ada.carbon.report.ReportPeriod;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (charts and data inline; nothing fetched when it is"
                + " viewed) of a database's energy, carbon, busy/idle split, grid intensity and per-entity totals.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE", required = true, description = "The ada-carbon database to read.")
    Path db;

    @Option(
            names = "--from",
            paramLabel = "T",
            description = "Facts at or after T: a date (2025-09-01, UTC) or an ISO-8601 time (2025-09-01T10:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Facts before T (the period is [from, to)).")
    String to;

    @Option(names = "--out", paramLabel = "FILE", description = "The HTML file to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("report.html");

    @Override
    public Integer call() throws Exception {
        ReportPeriod period = ReportPeriod.parse(from, to);
        ReportData data = HtmlReport.write(db, period, out);
        System.err.printf(
                Locale.ROOT,
                "report of %s (%s): %,d facts, %,.2f kWh, %,.2f kgCO2eq%n",
                db,
                period.describe(),
                data.summary().facts(),
                data.summary().kwh(),
                data.summary().grams() / 1000);
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}

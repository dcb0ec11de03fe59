package ada.carbon.app.cli;

import ada.carbon.report.Export;
import ada.carbon.report.ReportDatabase;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write any table or view of a database as CSV (RFC 4180) or JSON (an array of objects).",
            "CSV text cells a spreadsheet would run as a formula get a ' in front (see --no-formula-guard)."
        })
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE", required = true, description = "The ada-carbon database to read.")
    Path db;

    @Option(
            names = "--view",
            paramLabel = "NAME",
            required = true,
            description = "A table or view, e.g. v_project_totals or fact_intensity.")
    String view;

    @Option(names = "--format", paramLabel = "csv|json", description = "csv or json (default ${DEFAULT-VALUE}).")
    String format = "csv";

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of to standard output.")
    Path out;

    @Option(
            names = "--no-formula-guard",
            description = "CSV only: write text cells exactly as stored. By default a text cell starting with"
                    + " =, +, -, @, TAB, CR or NUL gets a ' in front, so a spreadsheet shows it rather than running"
                    + " it as a formula; use this when a program, not a person, reads the file.")
    boolean noFormulaGuard;

    @Override
    public Integer call() throws Exception {
        Export.Format f = Export.format(format);
        if (noFormulaGuard && f != Export.Format.CSV) {
            throw new IllegalArgumentException(
                    "--no-formula-guard is for --format csv; JSON keeps every text as it is");
        }
        Export.Cells cells = noFormulaGuard ? Export.Cells.AS_STORED : Export.Cells.FORMULAS_NEUTRALISED;
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            String name = Export.resolve(c, view); // before creating --out, so a bad name leaves no empty file
            if (out == null) {
                OutputStream stdout = new BufferedOutputStream(System.out);
                Export.write(c, name, f, cells, stdout);
                stdout.flush();
            } else {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                long rows;
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out))) {
                    rows = Export.write(c, name, f, cells, file);
                }
                System.err.printf("%s: %,d rows to %s%n", name, rows, out.toAbsolutePath());
            }
        }
        return 0;
    }
}

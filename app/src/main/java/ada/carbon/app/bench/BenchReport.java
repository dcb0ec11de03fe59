package ada.carbon.app.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's figures as a readable table, closed by the one machine-readable line
 * {@code ratio pipeline/raw-produce: R}.
 */
public final class BenchReport {
    /** One figure: the phase it belongs to, what it measures, and its value as printed. */
    public record Row(String phase, String measure, String value) {}

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private double ratio = Double.NaN;

    void header(String format, Object... args) {
        header.add(String.format(Locale.ROOT, format, args));
    }

    void row(String phase, String measure, String format, Object... args) {
        rows.add(new Row(phase, measure, String.format(Locale.ROOT, format, args)));
    }

    /** Pipeline events/s over raw produce events/s: how close the pipeline comes to the broker's limit. */
    void ratio(Rate pipeline, Rate rawProduce) {
        ratio = pipeline.perSecond() / rawProduce.perSecond();
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public double ratio() {
        return ratio;
    }

    /** The last line, exactly {@code ratio pipeline/raw-produce: R} with two decimals. */
    public String ratioLine() {
        return String.format(Locale.ROOT, "ratio pipeline/raw-produce: %.2f", ratio);
    }

    public void print(PrintWriter out) {
        header.forEach(out::println);
        out.println();
        int phaseWidth = Math.max(5, rows.stream().mapToInt(r -> r.phase().length()).max().orElse(0));
        int measureWidth = Math.max(7, rows.stream().mapToInt(r -> r.measure().length()).max().orElse(0));
        String format = "%-" + phaseWidth + "s  %-" + measureWidth + "s  %s%n";
        out.printf(Locale.ROOT, format, "phase", "measure", "figure");
        out.printf(Locale.ROOT, format, "-".repeat(phaseWidth), "-".repeat(measureWidth), "-".repeat(40));
        String previous = null;
        for (Row r : rows) {
            // The phase is named once, on its first row.
            out.printf(Locale.ROOT, format, r.phase().equals(previous) ? "" : r.phase(), r.measure(), r.value());
            previous = r.phase();
        }
        out.println();
        out.println(ratioLine());
        out.flush();
    }
}

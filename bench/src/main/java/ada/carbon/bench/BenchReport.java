package ada.carbon.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The bench's figures as readable tables (each phase's figures, then the backfill's configurations), then
 * what the reader must not miss (warnings, and what makes the run a failure), closed by exactly three
 * machine-readable lines:
 * <pre>
 * ratio pipeline/raw-produce: R
 * ratio pipeline/streams-floor: F
 * scaling backfill 2 threads/1 thread: S
 * </pre>
 */
public final class BenchReport {
    /** One figure: the phase it belongs to, what it measures, and its value as printed. */
    public record Row(String phase, String measure, String value) {}

    private static final List<String> BACKFILL_COLUMNS = List.of(
            "configuration",
            "tasks",
            "threads",
            "instances",
            "events/s",
            "time",
            "peak RSS per aggregator",
            "live heap per aggregator",
            "CPU-s per M events",
            "fact_usage rows",
            "late");

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<List<String>> backfill = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private double ratio = Double.NaN;
    private double floorRatio = Double.NaN;
    private double scaling = Double.NaN;

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

    /** Pipeline events/s over the no-op Kafka Streams application's: what the pipeline costs beyond Kafka Streams. */
    void floorRatio(Rate pipeline, Rate streamsFloor) {
        floorRatio = pipeline.perSecond() / streamsFloor.perSecond();
    }

    /** Backfill events/s with two threads over one thread's. */
    void scaling(double twoThreadsOverOne) {
        scaling = twoThreadsOverOne;
    }

    /** One configuration of the backfill, as a line of its table. */
    void backfill(Backfill.Result r) {
        List<Backfill.Instance> instances = r.aggregators();
        String tasks = r.setup().partitions()
                + (r.group().instances().size() > 1 ? " (" + r.group().hostTasks() + ")" : "");
        backfill.add(List.of(
                r.setup().describe(),
                tasks,
                r.group().threads(),
                Integer.toString(r.group().instances().size()),
                String.format(Locale.ROOT, "%,.0f", r.events().perSecond()),
                String.format(Locale.ROOT, "%.2f s", r.events().seconds()),
                mibEach(instances.stream()
                        .map(i -> Bench.kbToBytes(i.peakRssKb()))
                        .toList()),
                mibEach(instances.stream().map(Backfill.Instance::liveHeapBytes).toList()),
                String.format(
                        Locale.ROOT,
                        "%.1f (aggregators %.1f)",
                        r.cpuSecondsPerMillionEvents(),
                        r.aggregatorCpuSeconds() / r.events().count() * 1e6),
                String.format(Locale.ROOT, "%,d", r.figures().factUsageRows()),
                String.format(Locale.ROOT, "%,.0f", r.lateEvents())));
    }

    /** Something that makes the run a failure whatever its figures: printed before the last lines, exit code 1. */
    void fail(String what) {
        failures.add(what);
    }

    /** Something the reader must see that does not fail the run: printed before the last lines. */
    void warn(String what) {
        warnings.add(what);
    }

    public boolean failed() {
        return !failures.isEmpty();
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public double ratio() {
        return ratio;
    }

    /** The last three lines, each figure with two decimals. */
    public List<String> lastLines() {
        return List.of(
                String.format(Locale.ROOT, "ratio pipeline/raw-produce: %.2f", ratio),
                String.format(Locale.ROOT, "ratio pipeline/streams-floor: %.2f", floorRatio),
                String.format(Locale.ROOT, "scaling backfill 2 threads/1 thread: %.2f", scaling));
    }

    public void print(PrintWriter out) {
        header.forEach(out::println);
        out.println();
        List<List<String>> table = new ArrayList<>();
        String previous = null;
        for (Row r : rows) {
            // The phase is named once, on its first row.
            table.add(List.of(r.phase().equals(previous) ? "" : r.phase(), r.measure(), r.value()));
            previous = r.phase();
        }
        printTable(out, List.of("phase", "measure", "figure"), table);
        if (!backfill.isEmpty()) {
            out.println();
            out.println(
                    "6 backfill: the workload already on the broker, from the aggregators' start to the database complete");
            printTable(out, BACKFILL_COLUMNS, backfill);
        }
        if (!failures.isEmpty() || !warnings.isEmpty()) {
            out.println();
            warnings.forEach(w -> out.println("WARNING: " + w));
            failures.forEach(f -> out.println("FAILED: " + f));
        }
        out.println();
        lastLines().forEach(out::println);
        out.flush();
    }

    private static void printTable(PrintWriter out, List<String> columns, List<List<String>> lines) {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            int column = c;
            widths[c] = Math.max(
                    columns.get(c).length(),
                    lines.stream().mapToInt(l -> l.get(column).length()).max().orElse(0));
        }
        printLine(out, widths, columns);
        printLine(
                out,
                widths,
                java.util.Arrays.stream(widths).mapToObj("-"::repeat).toList());
        lines.forEach(l -> printLine(out, widths, l));
    }

    private static void printLine(PrintWriter out, int[] widths, List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(c == 0 ? "" : "  ")
                    .append(
                            c == cells.size() - 1
                                    ? cells.get(c)
                                    : String.format(Locale.ROOT, "%-" + widths[c] + "s", cells.get(c)));
        }
        out.println(line);
    }

    /** Bytes as e.g. {@code 765 MiB}, or {@code 401 + 398 MiB} for two instances; {@code n/a} if not known. */
    static String mibEach(List<OptionalLong> bytes) {
        if (bytes.stream().noneMatch(OptionalLong::isPresent)) {
            return "n/a";
        }
        return bytes.stream()
                        .map(b ->
                                b.isPresent() ? String.format(Locale.ROOT, "%,.0f", b.getAsLong() / 1048576.0) : "n/a")
                        .collect(Collectors.joining(" + "))
                + " MiB";
    }
}

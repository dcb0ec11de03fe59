package ada.carbon.report;

import ada.carbon.report.ReportData.Bucket;
import ada.carbon.report.ReportData.EntityRow;
import ada.carbon.report.ReportData.EntityTable;
import ada.carbon.report.ReportData.Slot;
import ada.carbon.report.ReportReader.Grain;
import ada.carbon.report.ReportReader.Totals;
import ada.carbon.schemas.Times;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures as JSON objects, in the shapes the API serves: what {@code serve}'s routes answer, what the
 * dashboard fetches, and what the static report embeds, so that the one page script draws both. Every figure is
 * read through {@link ReportReader}; nothing here computes a figure other than busy + idle. Field names are
 * written in snake case ({@link Html#json}); every object says its units.
 */
public final class Figures {
    private Figures() {}

    /** The units of every figure in a response. */
    public record Units(String energy, String carbon, String cpuTime, String intensity, String time, String share) {}

    public static final Units UNITS = new Units(
            "kWh",
            "gCO2eq",
            "CPU seconds, summed over cores",
            "gCO2eq/kWh",
            "ISO-8601 UTC; a period is [from, to)",
            "a fraction of 1");

    /** Facts and the six metrics of the views, summed. */
    public record Metrics(
            long facts,
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyGco2eq,
            double idleGco2eq) {
        static Metrics of(Totals t) {
            return new Metrics(
                    t.facts(), t.busyCpuSeconds(), t.idleCpuSeconds(), t.busyKwh(), t.idleKwh(), t.busyG(), t.idleG());
        }

        static Metrics of(Bucket b) {
            return new Metrics(
                    b.facts(), b.busyCpuSeconds(), b.idleCpuSeconds(), b.busyKwh(), b.idleKwh(), b.busyG(), b.idleG());
        }
    }

    // ---------------------------------------------------------------- usage and history

    /**
     * The span of one chart in the original Ada UI, and the bars it is cut into: a day's hours, a month's days, a
     * year's months.
     */
    public enum View {
        DAY("day", Grain.HOUR),
        MONTH("month", Grain.DAY),
        YEAR("year", Grain.MONTH);

        private final String id;
        private final Grain bucket;

        View(String id, Grain bucket) {
            this.id = id;
            this.bucket = bucket;
        }

        public String id() {
            return id;
        }

        public Grain bucket() {
            return bucket;
        }

        public static View of(String id) {
            for (View v : values()) {
                if (v.id.equals(id)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("view: '" + id + "' is not one of day, month, year");
        }

        public static View ofBucket(Grain g) {
            for (View v : values()) {
                if (v.bucket == g) {
                    return v;
                }
            }
            throw new IllegalArgumentException(g.id());
        }
    }

    /** One bar: its period (a prefix of ts: {@code 2025-09-01T10}, {@code 2025-09-01}, {@code 2025-09}) and metrics. */
    public record Period(
            String period,
            long facts,
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyGco2eq,
            double idleGco2eq) {}

    public record Usage(
            String scope,
            String id,
            String from,
            String to,
            String view,
            String bucket,
            String firstTs,
            String lastTs,
            Metrics total,
            List<Period> periods,
            Units units) {}

    /** A selection's facts over a period, per bar of the view and in total. */
    public static Usage usage(Connection c, Selection s, ReportPeriod period, View view) throws SQLException {
        List<Bucket> buckets = ReportReader.buckets(c, s, period, view.bucket());
        return usage(s, period, view, ReportReader.totals(c, s, period, buckets), buckets);
    }

    /** As read: the selection's totals over the period and its buckets of the view's width. */
    public static Usage usage(Selection s, ReportPeriod period, View view, Totals t, List<Bucket> buckets) {
        List<Period> periods = new ArrayList<>();
        for (Bucket b : buckets) {
            periods.add(new Period(
                    b.key(),
                    b.facts(),
                    b.busyCpuSeconds(),
                    b.idleCpuSeconds(),
                    b.busyKwh(),
                    b.idleKwh(),
                    b.busyG(),
                    b.idleG()));
        }
        return new Usage(
                s.scope().id(),
                s.name(),
                period.from(),
                period.to(),
                view.id(),
                view.bucket().id(),
                t.firstTs(),
                t.lastTs(),
                Metrics.of(t),
                periods,
                UNITS);
    }

    /** The original API's {@code /carbon/history}: busy and idle per bar, of carbon or of electricity. */
    public record History(
            String scope,
            String id,
            String view,
            String dataType,
            String bucket,
            String unit,
            String from,
            String to,
            List<String> labels,
            List<Double> busy,
            List<Double> idle,
            Metrics total,
            Units units) {}

    public static History history(Usage u, boolean carbon) {
        List<String> labels = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        for (Period p : u.periods()) {
            labels.add(p.period());
            busy.add(carbon ? p.busyGco2eq() : p.busyKwh());
            idle.add(carbon ? p.idleGco2eq() : p.idleKwh());
        }
        return new History(
                u.scope(),
                u.id(),
                u.view(),
                carbon ? "carbon" : "electricity",
                u.bucket(),
                carbon ? UNITS.carbon() : UNITS.energy(),
                u.from(),
                u.to(),
                labels,
                busy,
                idle,
                u.total(),
                UNITS);
    }

    // ---------------------------------------------------------------- heatmap

    public record Day(String date, double value) {}

    public record Heatmap(
            int year, String scope, String id, String unit, List<Day> days, double max, double total, Units units) {}

    /** Carbon per day (UTC) of one year: the selection's facts summed by date. */
    public static Heatmap heatmap(Connection c, Selection s, int year) throws SQLException {
        ReportPeriod of = new ReportPeriod(
                String.format(java.util.Locale.ROOT, "%04d-01-01T00:00:00Z", year),
                String.format(java.util.Locale.ROOT, "%04d-01-01T00:00:00Z", year + 1));
        return heatmap(s, year, ReportReader.buckets(c, s, of, Grain.DAY));
    }

    /** The heatmap of one year from day buckets (those of other years are left out). */
    public static Heatmap heatmap(Selection s, int year, List<Bucket> days) {
        String prefix = String.format(java.util.Locale.ROOT, "%04d-", year);
        List<Day> out = new ArrayList<>();
        double max = 0;
        double total = 0;
        for (Bucket b : days) {
            if (b.key().startsWith(prefix)) {
                double g = b.busyG() + b.idleG();
                out.add(new Day(b.key(), g));
                max = Math.max(max, g);
                total += g;
            }
        }
        return new Heatmap(year, s.scope().id(), s.name(), UNITS.carbon(), out, max, total, UNITS);
    }

    /** The heatmaps of every year with facts among the day buckets, newest first. */
    public static List<Heatmap> heatmaps(Selection s, List<Bucket> days) {
        List<Heatmap> out = new ArrayList<>();
        if (days.isEmpty()) {
            return out;
        }
        int first = Integer.parseInt(days.get(0).key().substring(0, 4));
        int last = Integer.parseInt(days.get(days.size() - 1).key().substring(0, 4));
        for (int y = last; y >= first; y--) {
            out.add(heatmap(s, y, days));
        }
        return out;
    }

    // ---------------------------------------------------------------- footprint

    /** Operational carbon (busy, idle, their sum), embodied carbon and the total; null where not known. */
    public record Carbon(
            double busyGco2eq, double idleGco2eq, double operationalGco2eq, Double embodiedGco2eq, Double totalGco2eq) {
        static Carbon of(ReportData.Footprint f) {
            return new Carbon(f.busyG(), f.idleG(), f.busyG() + f.idleG(), f.embodiedG(), f.totalG());
        }
    }

    /** The energy, the shares of it priced with the actual and with the fallback, and the coverage; null where not known. */
    public record Quality(double kwh, Double measuredShare, Double fallbackShare, Double coverage) {
        static Quality of(ReportData.Footprint f) {
            return new Quality(f.kwh(), f.measuredShare(), f.fallbackShare(), f.coverage());
        }
    }

    /** A selection's footprint and quality over a period (v_footprint_totals, v_quality_totals), and why any is null. */
    public record SelectionFootprint(
            String scope,
            String id,
            String from,
            String to,
            Carbon footprint,
            Quality quality,
            String note,
            Units units) {}

    public static SelectionFootprint footprint(Connection c, Selection s, ReportPeriod period) throws SQLException {
        return footprint(s, period, ReportReader.footprint(c, s, period));
    }

    public static SelectionFootprint footprint(Selection s, ReportPeriod period, ReportData.Footprint f) {
        return new SelectionFootprint(
                s.scope().id(), s.name(), period.from(), period.to(), Carbon.of(f), Quality.of(f), note(f), UNITS);
    }

    /** Why a figure of the footprint is null, or null when none is (SPEC 3.3's honesty rule, README). */
    static String note(ReportData.Footprint f) {
        List<String> unknown = new ArrayList<>();
        if (f.embodiedG() == null) {
            unknown.add("embodied carbon (and so the total)");
        }
        // Every fact has a host, so coverage is null only with no facts (NONE) or with one without its quality.
        if (f.coverage() == null && !f.equals(ReportData.Footprint.NONE)) {
            unknown.add("how much of it is measured");
        }
        if (unknown.isEmpty()) {
            return null;
        }
        return "Not known: " + String.join(", nor ", unknown) + ". Some of these facts were computed before ada-carbon"
                + " computed it: recompute them with ada-carbon reprocess.";
    }

    // ---------------------------------------------------------------- intensity

    /** A fact_intensity row; {@code region} and {@code regional_forecast} are those of intensity.region, if set. */
    public record IntensitySlot(
            String from,
            String to,
            Double forecast,
            Double actual,
            String index,
            double intensity,
            String source,
            boolean hasCpu,
            Integer region,
            Double regionalForecast) {
        static IntensitySlot of(Slot s) {
            return new IntensitySlot(
                    s.ts(),
                    end(s.ts()),
                    s.forecast(),
                    s.actual(),
                    s.index(),
                    s.used(),
                    s.source(),
                    s.hasCpu(),
                    s.region(),
                    s.regionalForecast());
        }
    }

    /** Slots of a period, with how many of them (and of those with CPU time) had each source. */
    public record Intensity(
            String from,
            String to,
            List<IntensitySlot> slots,
            Map<String, Long> bySource,
            Map<String, Long> cpuSlotsBySource,
            Units units) {}

    public static Intensity intensity(Connection c, ReportPeriod period) throws SQLException {
        return intensity(period, ReportReader.slots(c, period));
    }

    public static Intensity intensity(ReportPeriod period, List<Slot> slots) {
        Map<String, Long> bySource = new LinkedHashMap<>();
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String source : ReportReader.SOURCES) {
            bySource.put(
                    source,
                    slots.stream().filter(s -> s.source().equals(source)).count());
            cpu.put(
                    source,
                    slots.stream()
                            .filter(s -> s.hasCpu() && s.source().equals(source))
                            .count());
        }
        return new Intensity(
                period.from(),
                period.to(),
                slots.stream().map(IntensitySlot::of).toList(),
                bySource,
                cpu,
                UNITS);
    }

    /** The original API's current intensity: the slot in force at {@code now}, and the newest measured one. */
    public record CurrentIntensity(
            String timestamp,
            String from,
            String to,
            Double intensity,
            String index,
            String source,
            Double forecast,
            Double actual,
            Integer region,
            Double regionalForecast,
            IntensitySlot newestActual,
            String note,
            Units units) {}

    public static CurrentIntensity current(Connection c, String now) throws SQLException {
        Slot s = ReportReader.slotAt(c, now);
        Slot a = ReportReader.newestActual(c);
        IntensitySlot newest = a == null ? null : IntensitySlot.of(a);
        if (s == null) {
            return new CurrentIntensity(
                    now,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    newest,
                    "no intensity slot starts at or before " + now,
                    UNITS);
        }
        String note = end(s.ts()).compareTo(now) <= 0
                ? "the newest slot ended before now: the database has no intensity for the current half hour"
                : null;
        return new CurrentIntensity(
                now,
                s.ts(),
                end(s.ts()),
                s.used(),
                s.index(),
                s.source(),
                s.forecast(),
                s.actual(),
                s.region(),
                s.regionalForecast(),
                newest,
                note,
                UNITS);
    }

    public record ForecastSlotJson(String fromTime, String toTime, double intensityForecast, String intensityIndex) {}

    public record Window(String from, String to, double meanIntensity, List<String> slots) {}

    /** The forecast-only slots after the newest actual, and the lowest-carbon window among them. */
    public record Forecast(
            String newestActual,
            Integer hours,
            double windowHours,
            String forecastUntil,
            List<ForecastSlotJson> forecasts,
            Window bestWindow,
            String note,
            Units units) {}

    public static Forecast forecast(WhenToRun.Result r, Integer hours) {
        List<ForecastSlotJson> slots = r.slots().stream()
                .map(s -> new ForecastSlotJson(s.ts(), end(s.ts()), s.intensity(), s.index()))
                .toList();
        WhenToRun.Window w = r.best();
        Window best = w == null
                ? null
                : new Window(
                        w.start(),
                        w.end(),
                        w.meanIntensity(),
                        w.slots().stream().map(WhenToRun.ForecastSlot::ts).toList());
        return new Forecast(
                r.newestActual(), hours, r.windowSlots() / 2.0, r.forecastUntil(), slots, best, r.note(), UNITS);
    }

    // ---------------------------------------------------------------- tables and summaries

    /**
     * A row of a per-entity table: totals and means over the entity's facts in the period, then its embodied carbon,
     * its total (operational and embodied) and how much of it is measured (null where not known).
     */
    public record Row(
            String name,
            String displayName,
            String groupName,
            long facts,
            Double busyCpuSeconds,
            Double idleCpuSeconds,
            Double busyKwh,
            Double idleKwh,
            Double busyGco2eq,
            Double idleGco2eq,
            Double avgBusyEnergyKwh,
            Double avgIdleEnergyKwh,
            Double avgBusyCarbonGco2eq,
            Double avgIdleCarbonGco2eq,
            Double avgIntensityGco2eqKwh,
            Double embodiedGco2eq,
            Double totalGco2eq,
            Double measuredShare,
            Double fallbackShare,
            Double coverage) {
        static Row of(EntityRow r) {
            ReportData.Footprint f = r.footprint();
            return new Row(
                    r.name(),
                    r.displayName(),
                    r.groupName(),
                    r.facts(),
                    r.busyCpuSeconds(),
                    r.idleCpuSeconds(),
                    r.busyKwh(),
                    r.idleKwh(),
                    r.busyG(),
                    r.idleG(),
                    r.avgBusyKwh(),
                    r.avgIdleKwh(),
                    r.avgBusyG(),
                    r.avgIdleG(),
                    r.avgIntensity(),
                    f.embodiedG(),
                    f.totalG(),
                    f.measuredShare(),
                    f.fallbackShare(),
                    f.coverage());
        }
    }

    public record Table(
            String scope,
            String title,
            String nameHeader,
            String from,
            String to,
            int count,
            List<Row> rows,
            Units units) {}

    /** A scope's table over the period; {@code only} limits it to those entities (null: all). */
    public static Table table(Connection c, ViewScope scope, ReportPeriod period, Collection<String> only)
            throws SQLException {
        return table(ReportReader.table(c, scope, period, only), period);
    }

    public static Table table(EntityTable t, ReportPeriod period) {
        List<Row> rows = t.rows().stream().map(Row::of).toList();
        return new Table(t.id(), t.title(), t.nameHeader(), period.from(), period.to(), rows.size(), rows, UNITS);
    }

    public record BusyIdle(double busy, double idle, double total) {}

    public record CpuSeconds(double busySeconds, double idleSeconds, double totalSeconds) {}

    /** An entity over all its facts: its totals and averages view rows, shaped as the original API's summary. */
    public record Summary(
            String scope,
            String id,
            String displayName,
            String groupName,
            List<String> members,
            long workspaceCount,
            long facts,
            String firstTs,
            String lastTs,
            CpuSeconds totalCpuSeconds,
            double totalEnergyKwh,
            double totalCarbonGco2eq,
            BusyIdle energyKwh,
            BusyIdle carbonGco2eq,
            Row totalsAndAverages,
            CarbonEquivalencies carbonEquivalencies,
            Carbon footprint,
            Quality quality,
            String note,
            Units units) {}

    /**
     * @param members the group's users, for a group (else null)
     * @param workspaces the active workspaces counted toward it
     */
    public static Summary summary(Connection c, Selection s, List<String> members, long workspaces)
            throws SQLException {
        Totals t =
                ReportReader.totals(c, s, ReportPeriod.ALL, ReportReader.buckets(c, s, ReportPeriod.ALL, Grain.MONTH));
        Row row = null;
        String displayName = null;
        String groupName = null;
        if (s.scope().named()) {
            List<EntityRow> rows = ReportReader.table(c, s.scope(), ReportPeriod.ALL, List.of(s.name()))
                    .rows();
            if (!rows.isEmpty()) {
                row = Row.of(rows.get(0));
            }
            if (s.scope() == ViewScope.USER) {
                ReportReader.UserInfo u = ReportReader.user(c, s.name());
                if (u != null) {
                    displayName = u.displayName();
                    groupName = u.groupName();
                }
            }
        }
        double grams = t.busyG() + t.idleG();
        ReportData.Footprint f = ReportReader.footprint(c, s, ReportPeriod.ALL);
        return new Summary(
                s.scope().id(),
                s.name(),
                displayName,
                groupName,
                members,
                workspaces,
                t.facts(),
                t.firstTs(),
                t.lastTs(),
                new CpuSeconds(t.busyCpuSeconds(), t.idleCpuSeconds(), t.busyCpuSeconds() + t.idleCpuSeconds()),
                t.busyKwh() + t.idleKwh(),
                grams,
                new BusyIdle(t.busyKwh(), t.idleKwh(), t.busyKwh() + t.idleKwh()),
                new BusyIdle(t.busyG(), t.idleG(), grams),
                row,
                equivalencies(grams, ada.carbon.report.Equivalencies.ALL.size()),
                Carbon.of(f),
                Quality.of(f),
                note(f),
                UNITS);
    }

    // ---------------------------------------------------------------- equivalencies and workspaces

    public record Equivalency(
            double value,
            String unit,
            String description,
            String factor,
            double gramsPerUnit,
            String source,
            String url) {}

    public record CarbonEquivalencies(double totalGco2eq, Map<String, Equivalency> topEquivalencies, Units units) {}

    /** The first {@code count} of the report's equivalencies of {@code grams}, each with its factor and source. */
    public static CarbonEquivalencies equivalencies(double grams, int count) {
        Map<String, Equivalency> out = new LinkedHashMap<>();
        for (ada.carbon.report.Equivalencies.Factor f : ada.carbon.report.Equivalencies.ALL.subList(0, count)) {
            out.put(
                    f.id(),
                    new Equivalency(
                            f.units(grams), f.unit(), f.label(), f.factor(), f.gramsPerUnit(), f.source(), f.url()));
        }
        return new CarbonEquivalencies(grams, out, UNITS);
    }

    public record ActiveWorkspace(
            String workspaceKey,
            String instance,
            String hostname,
            String machineName,
            String cloudProjectName,
            String owner,
            String ownerGroup,
            String startedAt) {
        public static ActiveWorkspace of(ReportReader.Workspace w) {
            return new ActiveWorkspace(
                    w.workspaceKey(),
                    w.instance(),
                    w.host(),
                    w.machineName(),
                    w.cloudProjectName(),
                    w.owner(),
                    w.ownerGroup(),
                    w.startedAt());
        }
    }

    public record Workspaces(int count, List<ActiveWorkspace> workspaces, Units units) {}

    public static Workspaces workspaces(List<ReportReader.Workspace> ws) {
        return new Workspaces(ws.size(), ws.stream().map(ActiveWorkspace::of).toList(), UNITS);
    }

    private static String end(String slotStart) {
        return Times.format(Times.parse(slotStart).plus(Duration.ofMinutes(30)));
    }
}

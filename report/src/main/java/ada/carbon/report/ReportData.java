package ada.carbon.report;

import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows, as read from the database's views by {@link ReportReader}. Figures are in
 * the views' units: kWh, gCO2eq, CPU seconds, gCO2eq/kWh. A nullable figure is one the views leave NULL.
 */
public record ReportData(
        String database,
        String generatedAt,
        ReportPeriod period,
        String grain,
        Summary summary,
        Map<String, List<Bucket>> series,
        List<Slot> slots,
        WhenToRun.Result whenToRun,
        List<EntityTable> tables) {

    /**
     * The platform over the period: the scope-ada facts summed, its footprint and quality, and the workspaces
     * active now.
     */
    public record Summary(
            String firstTs,
            String lastTs,
            long facts,
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG,
            Footprint footprint,
            long activeWorkspaces,
            Map<String, Long> cpuSlotsBySource) {
        public double kwh() {
            return busyKwh + idleKwh;
        }

        public double grams() {
            return busyG + idleG;
        }
    }

    /**
     * One bar of the busy/idle chart: an hour ({@code 2025-09-01T10}), a day or a month ({@code 2025-09}), with its
     * facts, their six metrics summed, and its first and last fact's ts.
     */
    public record Bucket(
            String key,
            long facts,
            double busyCpuSeconds,
            double idleCpuSeconds,
            double busyKwh,
            double idleKwh,
            double busyG,
            double idleG,
            String firstTs,
            String lastTs) {}

    /** One fact_intensity row; {@code region} and {@code regionalForecast} are null without intensity.region. */
    public record Slot(
            String ts,
            Double forecast,
            Double actual,
            String index,
            double used,
            String source,
            boolean hasCpu,
            Integer region,
            Double regionalForecast) {}

    /**
     * A selection's footprint and how much of it is measured (SPEC 2.9, 2.10), over a period: the figures of
     * v_footprint_totals and v_quality_totals. Null where they are not known: the embodied carbon and total of
     * facts of which any was computed before embodied carbon was, the shares and coverage likewise, and the
     * shares of no energy.
     *
     * @param busyG operational carbon of busy time, gCO2eq
     * @param idleG operational carbon of idle time, gCO2eq
     * @param embodiedG embodied carbon, gCO2eq
     * @param totalG busy + idle + embodied, gCO2eq
     * @param kwh energy
     * @param measuredShare the share of the energy priced with a measured (actual) intensity, 0 to 1
     * @param fallbackShare the share priced with the configured fallback, 0 to 1
     * @param coverage the share of the facts' buckets their hosts reported, 0 to 1
     */
    public record Footprint(
            double busyG,
            double idleG,
            Double embodiedG,
            Double totalG,
            double kwh,
            Double measuredShare,
            Double fallbackShare,
            Double coverage) {
        /** No facts: nothing emitted, and no energy to take a share of. */
        public static final Footprint NONE = new Footprint(0, 0, 0.0, 0.0, 0, null, null, null);
    }

    /**
     * One row of a per-entity table: totals and averages over the entity's facts in the period, and its
     * footprint.
     */
    public record EntityRow(
            String name,
            String displayName,
            String groupName,
            long facts,
            Double busyCpuSeconds,
            Double idleCpuSeconds,
            Double busyKwh,
            Double idleKwh,
            Double busyG,
            Double idleG,
            Double avgBusyKwh,
            Double avgIdleKwh,
            Double avgBusyG,
            Double avgIdleG,
            Double avgIntensity,
            Footprint footprint) {
        public double kwh() {
            return nz(busyKwh) + nz(idleKwh);
        }

        public double grams() {
            return nz(busyG) + nz(idleG);
        }

        private static double nz(Double d) {
            return d == null ? 0 : d;
        }
    }

    /** A per-entity table: project, machine type, group or user. */
    public record EntityTable(String id, String title, String nameHeader, List<EntityRow> rows) {}
}

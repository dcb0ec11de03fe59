package ada.carbon.aggregator.oracle;

import ada.carbon.schemas.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Compares what the topology wrote with what the oracle expects, and says every difference. */
final class Agreement {
    static final double RELATIVE = 1e-9;
    static final double ABSOLUTE = 1e-12;

    private static final Comparator<SpecOracle.FactKey> FACT_ORDER = Comparator.comparingLong(
                    SpecOracle.FactKey::bucketStart)
            .thenComparing(SpecOracle.FactKey::scope)
            .thenComparing(k -> Objects.toString(k.entity(), ""));

    private Agreement() {}

    /** SPEC 2.6: equal up to a relative tolerance of 1e-9 (and an absolute one for figures near zero). */
    static boolean close(double expected, double actual) {
        if (Double.isNaN(expected)
                || Double.isNaN(actual)
                || Double.isInfinite(expected)
                || Double.isInfinite(actual)) {
            return false;
        }
        double d = Math.abs(expected - actual);
        return d <= ABSOLUTE || d <= RELATIVE * Math.max(Math.abs(expected), Math.abs(actual));
    }

    static String describe(SpecOracle.FactKey k) {
        return k.scope() + "/" + Times.format(k.bucketStart()) + (k.entity() == null ? "" : "/" + k.entity());
    }

    static List<String> factDifferences(
            Map<SpecOracle.FactKey, SpecOracle.FactRow> expected, Map<SpecOracle.FactKey, SpecOracle.FactRow> actual) {
        List<String> out = new ArrayList<>();
        TreeSet<SpecOracle.FactKey> keys = new TreeSet<>(FACT_ORDER);
        keys.addAll(expected.keySet());
        keys.addAll(actual.keySet());
        for (SpecOracle.FactKey k : keys) {
            SpecOracle.FactRow e = expected.get(k);
            SpecOracle.FactRow a = actual.get(k);
            if (a == null) {
                out.add("missing fact " + describe(k) + " expected " + e);
            } else if (e == null) {
                out.add("unexpected fact " + describe(k) + " = " + a);
            } else {
                field(out, k, "busy_cpu_seconds_total", e.busyCpuSeconds(), a.busyCpuSeconds());
                field(out, k, "idle_cpu_seconds_total", e.idleCpuSeconds(), a.idleCpuSeconds());
                field(out, k, "busy_kwh", e.busyKwh(), a.busyKwh());
                field(out, k, "idle_kwh", e.idleKwh(), a.idleKwh());
                field(out, k, "busy_gCo2eq", e.busyGrams(), a.busyGrams());
                field(out, k, "idle_gCo2eq", e.idleGrams(), a.idleGrams());
                field(out, k, "intensity_gCo2eq_kwh", e.intensity(), a.intensity());
                field(out, k, "embodied_gCo2eq", e.embodiedGrams(), a.embodiedGrams());
                field(out, k, "kwh_actual", e.kwhActual(), a.kwhActual());
                field(out, k, "kwh_forecast", e.kwhForecast(), a.kwhForecast());
                field(out, k, "kwh_regional", e.kwhRegional(), a.kwhRegional());
                field(out, k, "kwh_fallback", e.kwhFallback(), a.kwhFallback());
                field(out, k, "host_seconds", e.hostSeconds(), a.hostSeconds());
                if (e.hosts() != a.hosts()) {
                    out.add(describe(k) + " hosts: expected " + e.hosts() + " but was " + a.hosts());
                }
            }
        }
        return out;
    }

    static List<String> slotDifferences(Map<Long, SpecOracle.SlotRow> expected, Map<Long, SpecOracle.SlotRow> actual) {
        List<String> out = new ArrayList<>();
        TreeSet<Long> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (long slot : keys) {
            SpecOracle.SlotRow e = expected.get(slot);
            SpecOracle.SlotRow a = actual.get(slot);
            String at = "slot " + Times.format(slot);
            if (a == null) {
                out.add("missing " + at + " expected " + e);
            } else if (e == null) {
                out.add("unexpected " + at + " = " + a);
            } else if (e.slot() != a.slot()
                    || !Objects.equals(e.forecast(), a.forecast())
                    || !Objects.equals(e.actual(), a.actual())
                    || !Objects.equals(e.index(), a.index())
                    || !e.source().equals(a.source())
                    || e.hasCpu() != a.hasCpu()
                    || !close(e.intensity(), a.intensity())
                    || !Objects.equals(e.region(), a.region())
                    || !Objects.equals(e.regionalForecast(), a.regionalForecast())) {
                out.add(at + ": expected " + e + " but topology wrote " + a);
            }
        }
        return out;
    }

    private static void field(List<String> out, SpecOracle.FactKey k, String name, double e, double a) {
        if (!close(e, a)) {
            out.add(describe(k) + " " + name + ": expected " + e + " but was " + a + " (difference " + (a - e) + ")");
        }
    }

    /** Fails with every difference listed, or returns quietly. */
    static void assertAgree(
            String what,
            SpecOracle.Expected expected,
            Map<SpecOracle.FactKey, SpecOracle.FactRow> facts,
            Map<Long, SpecOracle.SlotRow> slots) {
        List<String> diffs = new ArrayList<>(factDifferences(expected.facts(), facts));
        diffs.addAll(slotDifferences(expected.slots(), slots));
        if (!diffs.isEmpty()) {
            StringBuilder sb = new StringBuilder(what)
                    .append(": ")
                    .append(diffs.size())
                    .append(" difference(s) between oracle and topology:");
            diffs.stream().limit(40).forEach(d -> sb.append("\n  ").append(d));
            if (diffs.size() > 40) {
                sb.append("\n  ...");
            }
            throw new AssertionError(sb.toString());
        }
    }
}

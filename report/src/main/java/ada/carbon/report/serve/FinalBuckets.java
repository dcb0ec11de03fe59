package ada.carbon.report.serve;

import ada.carbon.core.ExactSum;
import ada.carbon.report.ReportData.Bucket;
import ada.carbon.report.ReportPeriod;
import ada.carbon.report.ReportReader;
import ada.carbon.report.ReportReader.Grain;
import ada.carbon.report.Selection;
import ada.carbon.report.ViewScope;
import ada.carbon.schemas.Times;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ReportReader#buckets} by day or month, remembering the days that can no longer change. A fact more than
 * the restatement horizon behind the newest event time is final (SPEC 2.6): nothing the pipeline admits changes
 * it again. So each selection's days wholly before (newest fact − horizon) are read from the database once and
 * kept; a request reads only the open days (and the part of a day its period cuts), and a month's bar is the sum
 * of its days' (the same rows, summed a day at a time, exactly). Hourly bars are read as they are.
 *
 * <p>The newest fact is never ahead of the aggregator's clock, so this cut is never later than the aggregator's.
 * A group's days also depend on who is in it (dim_user's group, which a user event may change): its key holds
 * the members. {@code --horizon-days} must be at least the aggregator's {@code horizon.days}.
 */
final class FinalBuckets {
    /** Days kept at most, all selections together (about 150 bytes each): about a year of 1,000 selections. */
    private static final int MAX_DAYS = 400_000;

    private record Key(Selection selection, List<String> members) {}

    /** A selection's final days read so far: all of [from, to) ("" for the very start), those with facts by day. */
    private static final class Days {
        String from;
        String to;
        final TreeMap<String, Bucket> byDay = new TreeMap<>();
    }

    private final Duration horizon;
    private final Map<Key, Days> kept = new LinkedHashMap<>(256, 0.75f, true);
    private long size;

    FinalBuckets(Duration horizon) {
        this.horizon = horizon;
    }

    List<Bucket> buckets(Connection c, Selection s, ReportPeriod period, Grain grain) throws SQLException {
        String newest = grain == Grain.HOUR ? null : ReportReader.newestFact(c);
        if (newest == null) {
            return ReportReader.buckets(c, s, period, grain);
        }
        String cut = day(Times.parse(newest).minus(horizon));
        // [lower, d0): the part of a day the period starts in; [d0, d1): whole final days; [d1, upper): the rest.
        String d0 = period.from() == null
                ? ""
                : period.from().equals(day(Times.parse(period.from())))
                        ? period.from()
                        : day(Times.parse(period.from()).plus(Duration.ofDays(1)));
        String d1 = period.to() == null || period.to().compareTo(cut) > 0 ? cut : day(Times.parse(period.to()));
        if (d0.compareTo(d1) >= 0) {
            return ReportReader.buckets(c, s, period, grain);
        }
        List<Bucket> days = new ArrayList<>();
        if (!d0.isEmpty() && period.lower().compareTo(d0) < 0) {
            days.addAll(ReportReader.buckets(c, s, new ReportPeriod(period.from(), d0), Grain.DAY));
        }
        days.addAll(finalDays(c, s, d0, d1));
        if (d1.compareTo(period.upper()) < 0) {
            days.addAll(ReportReader.buckets(c, s, new ReportPeriod(d1, period.to()), Grain.DAY));
        }
        return grain == Grain.DAY ? days : months(days);
    }

    /** The selection's day bars of [from, to), whole final days, from what is kept or read once now. */
    private List<Bucket> finalDays(Connection c, Selection s, String from, String to) throws SQLException {
        Key key = new Key(s, s.scope() == ViewScope.GROUP ? ReportReader.members(c, s.name()) : null);
        synchronized (this) {
            Days d = kept.get(key);
            if (d != null && d.from.compareTo(from) <= 0 && d.to.compareTo(to) >= 0) {
                return new ArrayList<>(d.byDay.subMap(dayKey(from), dayKey(to)).values());
            }
        }
        // Read what is missing outside the range kept, so that it stays one range (gaps are read too).
        Days d;
        synchronized (this) {
            d = kept.get(key);
        }
        String readFrom = d == null ? from : d.from;
        String readTo = d == null ? from : d.to;
        String newFrom = from.compareTo(readFrom) < 0 ? from : readFrom;
        String newTo = to.compareTo(readTo) > 0 ? to : readTo;
        List<Bucket> read = new ArrayList<>();
        if (newFrom.compareTo(readFrom) < 0) {
            read.addAll(ReportReader.buckets(
                    c, s, new ReportPeriod(newFrom.isEmpty() ? null : newFrom, readFrom), Grain.DAY));
        }
        if (readTo.compareTo(newTo) < 0) {
            read.addAll(
                    ReportReader.buckets(c, s, new ReportPeriod(readTo.isEmpty() ? null : readTo, newTo), Grain.DAY));
        }
        synchronized (this) {
            Days old = kept.get(key);
            Days now = old != null && old == d ? old : new Days();
            if (now != old && d != null) { // another request replaced it, or it was evicted: start from what was read
                now.byDay.putAll(d.byDay);
            }
            long before = now == old ? now.byDay.size() : 0;
            for (Bucket b : read) {
                now.byDay.put(b.key(), b);
            }
            now.from = newFrom;
            now.to = newTo;
            kept.put(key, now);
            size += now.byDay.size() - before - (old != null && old != now ? old.byDay.size() : 0);
            evict(key);
            return new ArrayList<>(now.byDay.subMap(dayKey(from), dayKey(to)).values());
        }
    }

    private void evict(Key keep) {
        var eldest = kept.entrySet().iterator();
        while (size > MAX_DAYS && eldest.hasNext()) {
            var e = eldest.next();
            if (!e.getKey().equals(keep)) {
                size -= e.getValue().byDay.size();
                eldest.remove();
            }
        }
    }

    /** Day bars summed into month bars, each sum exact then rounded once. */
    static List<Bucket> months(List<Bucket> days) {
        Map<String, List<Bucket>> byMonth = new LinkedHashMap<>();
        for (Bucket b : days) {
            byMonth.computeIfAbsent(b.key().substring(0, 7), k -> new ArrayList<>())
                    .add(b);
        }
        List<Bucket> out = new ArrayList<>();
        byMonth.forEach((month, list) -> {
            ExactSum[] sums = new ExactSum[6];
            for (int i = 0; i < 6; i++) {
                sums[i] = new ExactSum();
            }
            long facts = 0;
            for (Bucket b : list) {
                facts += b.facts();
                sums[0].add(b.busyCpuSeconds());
                sums[1].add(b.idleCpuSeconds());
                sums[2].add(b.busyKwh());
                sums[3].add(b.idleKwh());
                sums[4].add(b.busyG());
                sums[5].add(b.idleG());
            }
            out.add(new Bucket(
                    month,
                    facts,
                    sums[0].doubleValue(),
                    sums[1].doubleValue(),
                    sums[2].doubleValue(),
                    sums[3].doubleValue(),
                    sums[4].doubleValue(),
                    sums[5].doubleValue(),
                    list.get(0).firstTs(),
                    list.get(list.size() - 1).lastTs()));
        });
        return out;
    }

    /** A day bar's key ({@code 2025-09-01}) for a day's start ("" for the very start). */
    private static String dayKey(String dayStart) {
        return dayStart.isEmpty() ? "" : dayStart.substring(0, 10);
    }

    /** The start of the UTC day holding {@code t}, as a fact ts. */
    static String day(Instant t) {
        return Times.format(
                t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant());
    }
}

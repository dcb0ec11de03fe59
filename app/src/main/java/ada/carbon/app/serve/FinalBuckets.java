package ada.carbon.app.serve;

import ada.carbon.app.report.ReportData.Bucket;
import ada.carbon.app.report.ReportPeriod;
import ada.carbon.app.report.ReportReader;
import ada.carbon.app.report.ReportReader.Grain;
import ada.carbon.app.report.Selection;
import ada.carbon.app.report.ViewScope;
import ada.carbon.core.Times;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ReportReader#buckets}, remembering the buckets that can no longer change. A fact more than the
 * restatement horizon behind the newest event time is final (SPEC 2.6): nothing the pipeline admits changes it
 * again. So the bars of a period that lie wholly before (newest fact − horizon) are read once and kept, and
 * only the open tail is read on each request: for a year's view, the current month's rows instead of the year's.
 *
 * <p>The newest fact is never ahead of the aggregator's clock, so this cut is never later than the aggregator's.
 * A group's bars also depend on who is in it (dim_user's group, which a user event may change): its key holds
 * the members. {@code --horizon-days} must be at least the aggregator's {@code horizon.days}.
 */
final class FinalBuckets {
    /** Bars kept at most, all keys together (about 150 bytes each). */
    private static final int MAX_BUCKETS = 400_000;

    private record Key(Selection selection, Grain grain, String from, String to, List<String> members) {}

    private final Duration horizon;
    private final Map<Key, List<Bucket>> kept = new LinkedHashMap<>(256, 0.75f, true);
    private long size;

    FinalBuckets(Duration horizon) {
        this.horizon = horizon;
    }

    List<Bucket> buckets(Connection c, Selection s, ReportPeriod period, Grain grain) throws SQLException {
        String newest = ReportReader.newestFact(c);
        if (newest == null) {
            return ReportReader.buckets(c, s, period, grain);
        }
        String cut = Times.format(start(Times.parse(newest).minus(horizon), grain));
        if (period.lower().compareTo(cut) >= 0) {
            return ReportReader.buckets(c, s, period, grain);
        }
        String finalTo = period.upper().compareTo(cut) < 0 ? period.to() : cut;
        List<String> members = s.scope() == ViewScope.GROUP ? ReportReader.members(c, s.name()) : null;
        Key key = new Key(s, grain, period.from(), finalTo, members);
        List<Bucket> closed = get(key);
        if (closed == null) {
            closed = List.copyOf(ReportReader.buckets(c, s, new ReportPeriod(period.from(), finalTo), grain));
            put(key, closed);
        }
        if (finalTo.equals(period.to())) { // the whole period is final
            return closed;
        }
        List<Bucket> out = new ArrayList<>(closed);
        out.addAll(ReportReader.buckets(c, s, new ReportPeriod(cut, period.to()), grain));
        return out;
    }

    /** The start of the bar of {@code grain} that holds {@code t}: bars before it are wholly before t. */
    static Instant start(Instant t, Grain grain) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return switch (grain) {
            case HOUR -> z.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> z.truncatedTo(ChronoUnit.DAYS).toInstant();
            case MONTH -> z.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        };
    }

    private synchronized List<Bucket> get(Key key) {
        return kept.get(key);
    }

    private synchronized void put(Key key, List<Bucket> buckets) {
        List<Bucket> old = kept.put(key, buckets);
        size += buckets.size() + 1 - (old == null ? 0 : old.size() + 1);
        var eldest = kept.entrySet().iterator();
        while (size > MAX_BUCKETS && eldest.hasNext()) {
            var e = eldest.next();
            size -= e.getValue().size() + 1;
            eldest.remove();
        }
    }
}

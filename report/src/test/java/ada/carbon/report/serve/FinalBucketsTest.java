package ada.carbon.report.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.Fact;
import ada.carbon.avro.UserEvent;
import ada.carbon.report.ReportData.Bucket;
import ada.carbon.report.ReportDatabase;
import ada.carbon.report.ReportPeriod;
import ada.carbon.report.ReportReader;
import ada.carbon.report.ReportReader.Grain;
import ada.carbon.report.Selection;
import ada.carbon.report.ViewScope;
import ada.carbon.sink.AdaDatabase;
import ada.carbon.sink.SinkBatch;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.UserChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bars serve remembers are the bars the views give, and only the final ones are remembered: a fact restated
 * within the horizon is seen at once, one behind it (which the pipeline never writes) is not.
 */
class FinalBucketsTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final int DAYS = 40;

    @TempDir
    Path dir;

    private static Fact fact(String scope, int hour, String entity, double busyKwh) {
        return new Fact(
                scope,
                START.plus(Duration.ofHours(hour)),
                entity,
                busyKwh * 300_000,
                3600.0,
                busyKwh,
                0.001,
                busyKwh * 150,
                0.15,
                150.0,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static SinkBatch hours(int from, int to, double kwh) {
        SinkBatch b = new SinkBatch();
        for (int h = from; h < to; h++) {
            b.add(FactChange.upsert(fact("ada", h, null, kwh + h * 1e-3)));
            b.add(FactChange.upsert(fact("user", h, "u1", kwh / 2 + h * 1e-4)));
            b.add(FactChange.upsert(fact("user", h, "u2", kwh / 4)));
        }
        return b;
    }

    @Test
    void theBarsAreTheViewsAndOnlyFinalOnesAreKept() throws Exception {
        Path db = dir.resolve("final.db");
        try (AdaDatabase writer = AdaDatabase.open(db)) {
            writer.apply(new SinkBatch()
                    .add(UserChange.of(new UserEvent("u1", null, "G", List.of())))
                    .add(UserChange.of(new UserEvent("u2", null, "G", List.of()))));
            writer.apply(hours(0, 24 * DAYS, 1.0));
            FinalBuckets cache = new FinalBuckets(Duration.ofDays(7));
            List<Selection> selections =
                    List.of(Selection.PLATFORM, Selection.of(ViewScope.USER, "u1"), Selection.of(ViewScope.GROUP, "G"));
            List<ReportPeriod> periods = List.of(
                    ReportPeriod.ALL,
                    ReportPeriod.parse("2025-01-03", "2025-02-01"),
                    ReportPeriod.parse("2025-01-20T05:00Z", null),
                    ReportPeriod.parse(null, "2025-01-05"),
                    ReportPeriod.parse("2025-02-05", "2025-02-09"));
            try (Connection c = ReportDatabase.openReadOnly(db)) {
                for (int round = 0; round < 2; round++) { // the second round from what was kept
                    for (Selection s : selections) {
                        for (ReportPeriod p : periods) {
                            for (Grain g : Grain.values()) {
                                assertSame(
                                        cache.buckets(c, s, p, g),
                                        ReportReader.buckets(c, s, p, g),
                                        s + " " + p + " " + g);
                            }
                        }
                    }
                }
                // Restate the newest hour (open) and the first (final: the pipeline never would).
                int newest = 24 * DAYS - 1;
                writer.apply(new SinkBatch()
                        .add(FactChange.upsert(fact("ada", newest, null, 9)))
                        .add(FactChange.upsert(fact("ada", 0, null, 9))));
                List<Bucket> bars = cache.buckets(c, Selection.PLATFORM, ReportPeriod.ALL, Grain.DAY);
                List<Bucket> views = ReportReader.buckets(c, Selection.PLATFORM, ReportPeriod.ALL, Grain.DAY);
                assertThat(bars.get(bars.size() - 1))
                        .as("the open day: read again")
                        .isEqualTo(views.get(views.size() - 1));
                assertThat(bars.get(0)).as("the final day: kept").isNotEqualTo(views.get(0));
                assertThat(bars.subList(1, bars.size() - 1)).isEqualTo(views.subList(1, views.size() - 1));
                // A group's bars are kept for its members as they were: a new member reads them again.
                writer.apply(new SinkBatch()
                        .add(UserChange.of(new UserEvent("u3", null, "G", List.of())))
                        .add(FactChange.upsert(fact("user", 10, "u3", 5))));
                Selection g = Selection.of(ViewScope.GROUP, "G");
                assertThat(cache.buckets(c, g, ReportPeriod.ALL, Grain.DAY))
                        .isEqualTo(ReportReader.buckets(c, g, ReportPeriod.ALL, Grain.DAY));
            }
        }
    }

    /**
     * Day and hour bars are the views' to the bit (the same query per day); a month's is its days' sums added, the
     * same rows summed a day at a time, so equal up to the last bits (SPEC 2.6: relative 1e-9).
     */
    private static void assertSame(List<Bucket> bars, List<Bucket> views, String what) {
        assertThat(bars).as(what).hasSameSizeAs(views);
        for (int i = 0; i < bars.size(); i++) {
            Bucket a = bars.get(i);
            Bucket b = views.get(i);
            assertThat(List.of(a.key(), a.facts(), a.firstTs(), a.lastTs()))
                    .as(what)
                    .isEqualTo(List.of(b.key(), b.facts(), b.firstTs(), b.lastTs()));
            double[] x = {a.busyCpuSeconds(), a.idleCpuSeconds(), a.busyKwh(), a.idleKwh(), a.busyG(), a.idleG()};
            double[] y = {b.busyCpuSeconds(), b.idleCpuSeconds(), b.busyKwh(), b.idleKwh(), b.busyG(), b.idleG()};
            for (int k = 0; k < 6; k++) {
                if (a.key().length() == 7) {
                    assertThat(Math.abs(x[k] - y[k]))
                            .as(what + " " + a.key())
                            .isLessThanOrEqualTo(1e-12 * Math.abs(y[k]));
                } else {
                    assertThat(x[k]).as(what + " " + a.key()).isEqualTo(y[k]);
                }
            }
        }
    }

    @Test
    void aDayStartsAtMidnightUtc() {
        assertThat(FinalBuckets.day(Instant.parse("2025-03-17T10:42:00Z"))).isEqualTo("2025-03-17T00:00:00Z");
        assertThat(FinalBuckets.day(Instant.parse("2025-03-17T00:00:00Z"))).isEqualTo("2025-03-17T00:00:00Z");
    }
}

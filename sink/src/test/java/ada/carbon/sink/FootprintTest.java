package ada.carbon.sink;

import static ada.carbon.sink.FactsTest.row;
import static ada.carbon.sink.TestDb.at;
import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.regional;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.scalar;
import static ada.carbon.sink.TestDb.withFootprint;
import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import org.junit.jupiter.api.Test;

/** fact_embodied and fact_quality are written with their fact, replaced with it, and deleted with it. */
class FootprintTest extends OpenDatabaseTest {
    private static final String T10 = "2025-09-11T10:00:00Z";
    private static final String T1030 = "2025-09-11T10:30:00Z";

    private static Fact ada(String ts, double busyS) {
        return fact("ada", ts, null, busyS, 0, busyS * 12 / 3.6e6, 0, busyS * 12 / 3.6e6 * 185, 0, 185);
    }

    @Test
    void aFactWithItsFootprintWritesOneRowOfEach() {
        // SPEC 4: a 4-vCPU host reporting 300 s, 1,200 CPU-seconds, carries 0.1982 g.
        Fact f = withFootprint(ada(T10, 1200), 0.1982, 0.004, 0, 0, 0, 300, 1);
        assertThat(db.apply(new SinkBatch().add(FactChange.upsert(f))).skipped())
                .isZero();

        Object usageId = scalar(file, "SELECT usage_id FROM fact_usage");
        assertThat(rows(file, "SELECT * FROM fact_embodied"))
                .containsExactly(row("usage_id", usageId, "embodied_gCo2eq", 0.1982));
        assertThat(rows(file, "SELECT * FROM fact_quality"))
                .containsExactly(row(
                        "usage_id",
                        usageId,
                        "kwh_actual",
                        0.004,
                        "kwh_forecast",
                        0.0,
                        "kwh_regional",
                        0.0,
                        "kwh_fallback",
                        0.0,
                        "host_seconds",
                        300.0,
                        "hosts",
                        1));
    }

    @Test
    void aLaterFactReplacesTheFootprintAndOneWithoutItRemovesIt() {
        db.apply(new SinkBatch().add(FactChange.upsert(withFootprint(ada(T10, 1200), 0.1982, 0.004, 0, 0, 0, 300, 1))));
        db.apply(new SinkBatch()
                .add(FactChange.upsert(withFootprint(ada(T10, 2400), 0.3964, 0, 0.002, 0.006, 0, 600, 2))));
        assertThat(count(file, "SELECT * FROM fact_usage")).isEqualTo(1);
        assertThat(scalar(file, "SELECT embodied_gCo2eq FROM fact_embodied")).isEqualTo(0.3964);
        assertThat(rows(file, "SELECT kwh_forecast, kwh_regional, host_seconds, hosts FROM fact_quality"))
                .containsExactly(row("kwh_forecast", 0.002, "kwh_regional", 0.006, "host_seconds", 600.0, "hosts", 2));

        // The same fact from an aggregator that does not compute them: its figures no longer include them.
        db.apply(new SinkBatch().add(FactChange.upsert(ada(T10, 2400))));
        assertThat(count(file, "SELECT * FROM fact_usage")).isEqualTo(1);
        assertThat(count(file, "SELECT * FROM fact_embodied")).isZero();
        assertThat(count(file, "SELECT * FROM fact_quality")).isZero();
    }

    @Test
    void aTombstoneDeletesTheFactWithItsFootprint() {
        db.apply(new SinkBatch()
                .add(FactChange.upsert(withFootprint(ada(T10, 1200), 0.1982, 0.004, 0, 0, 0, 300, 1)))
                .add(FactChange.upsert(
                        withFootprint(fact("project", T10, "IDAaaS", 1, 1, 1, 1, 1, 1, 1), 0.5, 1, 1, 0, 0, 3600, 1))));
        db.apply(new SinkBatch().add(FactChange.delete(new FactId("ada", at(T10), null))));

        assertThat(rows(file, "SELECT scope FROM fact_usage")).containsExactly(row("scope", "project"));
        Object project = scalar(file, "SELECT usage_id FROM fact_usage");
        assertThat(rows(file, "SELECT usage_id FROM fact_embodied")).containsExactly(row("usage_id", project));
        assertThat(rows(file, "SELECT usage_id FROM fact_quality")).containsExactly(row("usage_id", project));
    }

    @Test
    void qualityFiguresComeAllTogetherOrNotAtAll() {
        Fact partial =
                Fact.newBuilder(ada(T10, 1200)).setKwhActual(0.004).setHosts(1L).build();
        Fact negative = withFootprint(ada(T10, 1200), -0.1, 0.004, 0, 0, 0, 300, 1);
        ApplyResult result =
                db.apply(new SinkBatch().add(FactChange.upsert(partial)).add(FactChange.upsert(negative)));

        assertThat(result.skipped()).isEqualTo(2);
        assertThat(result.rejected().get(0).detail())
                .contains("kwh_forecast, kwh_regional, kwh_fallback, host_seconds null");
        assertThat(result.rejected().get(1).detail()).contains("embodied_gCo2eq must be a finite number >= 0");
        assertThat(count(file, "SELECT * FROM fact_usage"))
                .as("nothing of a refused fact is written")
                .isZero();
    }

    @Test
    void aFactThatDoesNotStartABucketIsRefused() {
        ApplyResult result = db.apply(new SinkBatch().add(FactChange.upsert(ada("2025-09-11T10:05:00Z", 1))));
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.rejected().get(0).detail()).contains("does not start a bucket");
    }

    @Test
    void theGrainIsAnHourUntilAFactStartsAtHalfPast() {
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(3600);
        // One host reporting the first 30 minutes of 10:00: half of an hour's bucket.
        db.apply(new SinkBatch().add(FactChange.upsert(withFootprint(ada(T10, 1), 0, 0, 0, 0, 0, 1800, 1))));
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(3600);
        assertThat(scalar(file, "SELECT coverage FROM v_quality_totals")).isEqualTo(0.5);
        // A fact at 10:30: the buckets are half hours, and 10:00's was complete.
        db.apply(new SinkBatch().add(FactChange.upsert(withFootprint(ada(T1030, 1), 0, 0, 0, 0, 0, 1800, 1))));
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(1800);
        assertThat(scalar(file, "SELECT coverage FROM v_quality_totals")).isEqualTo(1.0);
        // It stays: the facts are of a pipeline whose grain is 30 minutes.
        db.apply(new SinkBatch().add(FactChange.delete(new FactId("ada", at(T1030), null))));
        assertThat(scalar(file, "SELECT grain_seconds FROM sink_settings")).isEqualTo(1800);
        assertThat(count(file, "SELECT * FROM sink_settings")).isEqualTo(1);
    }

    @Test
    void aRegionalSlotKeepsItsRegionAndForecast() {
        db.apply(new SinkBatch()
                .add(SlotChange.upsert(regional(T10, 185.0, 190.0, 120, "regional", 12, 120.0)))
                .add(SlotChange.upsert(regional(T1030, 185.0, null, 185, "forecast", 12, null))));
        assertThat(rows(
                        file,
                        "SELECT ts, actual, intensity_gCo2eq_kwh, source, region, regional_forecast "
                                + "FROM fact_intensity ORDER BY ts"))
                .containsExactly(
                        row(
                                "ts",
                                T10,
                                "actual",
                                190.0,
                                "intensity_gCo2eq_kwh",
                                120.0,
                                "source",
                                "regional",
                                "region",
                                12,
                                "regional_forecast",
                                120.0),
                        row(
                                "ts",
                                T1030,
                                "actual",
                                null,
                                "intensity_gCo2eq_kwh",
                                185.0,
                                "source",
                                "forecast",
                                "region",
                                12,
                                "regional_forecast",
                                null));
    }
}

package ada.carbon.sink;

import static ada.carbon.sink.TestDb.at;
import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.real;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.scalar;
import static ada.carbon.sink.TestDb.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsTest extends OpenDatabaseTest {
    private static final String T10 = "2025-09-11T10:00:00Z";

    @Test
    void upsertsOneRowPerScopeWithItsKeyResolved() {
        ApplyResult result = db.apply(new SinkBatch()
                .add(FactChange.upsert(fact("ada", T10, null, 1000, 5000, 0.003333, 0.001389, 0.6167, 0.2569, 185)))
                .add(FactChange.upsert(
                        fact("project", T10, "IDAaaS", 1000, 5000, 0.003333, 0.001389, 0.6167, 0.2569, 185)))
                .add(FactChange.upsert(
                        fact("machine", T10, "Muon", 1000, 5000, 0.003333, 0.001389, 0.6167, 0.2569, 185)))
                .add(FactChange.upsert(
                        fact("user", T10, "aa123456", 1000, 5000, 0.003333, 0.001389, 0.6167, 0.2569, 185))));

        assertThat(result)
                .extracting(ApplyResult::applied, ApplyResult::skipped)
                .containsExactly(4, 0);
        List<Map<String, Object>> facts = rows(
                file,
                "SELECT ts, scope, project_id, machine_id, user_id, busy_cpu_seconds_total, idle_gCo2eq, intensity_gCo2eq_kwh "
                        + "FROM fact_usage ORDER BY usage_id");
        assertThat(facts).extracting(r -> r.get("scope")).containsExactly("ada", "project", "machine", "user");
        assertThat(facts).extracting(r -> r.get("ts")).containsOnly(T10);
        assertThat(facts.get(0))
                .containsEntry("project_id", null)
                .containsEntry("machine_id", null)
                .containsEntry("user_id", null);
        assertThat(facts.get(1))
                .containsEntry("project_id", 1)
                .containsEntry("machine_id", null)
                .containsEntry("user_id", null);
        assertThat(facts.get(2))
                .containsEntry("project_id", null)
                .containsEntry("machine_id", 1)
                .containsEntry("user_id", null);
        assertThat(facts.get(3))
                .containsEntry("project_id", null)
                .containsEntry("machine_id", null)
                .containsEntry("user_id", "aa123456");
        assertThat(real(facts.get(3).get("busy_cpu_seconds_total"))).isEqualTo(1000.0);
        assertThat(real(facts.get(3).get("idle_gCo2eq"))).isEqualTo(0.2569);
        assertThat(real(facts.get(3).get("intensity_gCo2eq_kwh"))).isEqualTo(185.0);

        assertThat(scalar(file, "SELECT cloud_project_name FROM dim_project WHERE project_id = 1"))
                .isEqualTo("IDAaaS");
        assertThat(scalar(file, "SELECT machine_name FROM dim_machine WHERE machine_id = 1"))
                .isEqualTo("Muon");
        assertThat(rows(file, "SELECT user_id, display_name, group_id FROM dim_user"))
                .containsExactly(row("user_id", "aa123456", "display_name", null, "group_id", null));
    }

    @Test
    void aLaterFactReplacesTheFiguresInPlace() {
        db.apply(new SinkBatch().add(FactChange.upsert(fact("project", T10, "IDAaaS", 1, 2, 3, 4, 5, 6, 7))));
        Object usageId = scalar(file, "SELECT usage_id FROM fact_usage");

        db.apply(new SinkBatch().add(FactChange.upsert(fact("project", T10, "IDAaaS", 10, 20, 30, 40, 50, 60, 70))));

        List<Map<String, Object>> facts = rows(file, "SELECT * FROM fact_usage");
        assertThat(facts).hasSize(1);
        assertThat(facts.get(0).get("usage_id")).isEqualTo(usageId);
        assertThat(facts.get(0))
                .containsEntry("busy_cpu_seconds_total", 10.0)
                .containsEntry("idle_cpu_seconds_total", 20.0)
                .containsEntry("busy_kwh", 30.0)
                .containsEntry("idle_kwh", 40.0)
                .containsEntry("busy_gCo2eq", 50.0)
                .containsEntry("idle_gCo2eq", 60.0)
                .containsEntry("intensity_gCo2eq_kwh", 70.0);
    }

    @Test
    void theSameKeyInOneBatchKeepsTheLast() {
        db.apply(new SinkBatch()
                .add(FactChange.upsert(fact("ada", T10, null, 1, 1, 1, 1, 1, 1, 1)))
                .add(FactChange.upsert(fact("ada", T10, null, 2, 2, 2, 2, 2, 2, 2))));
        assertThat(rows(file, "SELECT busy_kwh FROM fact_usage")).containsExactly(row("busy_kwh", 2.0));
    }

    @Test
    void aTombstoneDeletesOnlyItsRow() {
        db.apply(new SinkBatch()
                .add(FactChange.upsert(fact("ada", T10, null, 1, 1, 1, 1, 1, 1, 1)))
                .add(FactChange.upsert(fact("ada", "2025-09-11T11:00:00Z", null, 1, 1, 1, 1, 1, 1, 1)))
                .add(FactChange.upsert(fact("project", T10, "IDAaaS", 1, 1, 1, 1, 1, 1, 1)))
                .add(FactChange.upsert(fact("project", T10, "CDAaaS", 1, 1, 1, 1, 1, 1, 1)))
                .add(FactChange.upsert(fact("user", T10, "u1", 1, 1, 1, 1, 1, 1, 1))));

        db.apply(new SinkBatch()
                .add(FactChange.delete(new FactId("ada", at(T10), null)))
                .add(FactChange.delete(new FactId("project", at(T10), "CDAaaS")))
                .add(FactChange.delete(new FactId("user", at(T10), "u1"))));

        assertThat(rows(
                        file,
                        "SELECT scope, ts, cloud_project_name FROM fact_usage LEFT JOIN dim_project USING (project_id) "
                                + "ORDER BY usage_id"))
                .containsExactly(
                        row("scope", "ada", "ts", "2025-09-11T11:00:00Z", "cloud_project_name", null),
                        row("scope", "project", "ts", T10, "cloud_project_name", "IDAaaS"));
        // Dimensions only grow.
        assertThat(count(file, "SELECT * FROM dim_project")).isEqualTo(2);
        assertThat(count(file, "SELECT * FROM dim_user")).isEqualTo(1);
    }

    @Test
    void aTombstoneForAnUnseenEntityChangesNothing() {
        ApplyResult result = db.apply(new SinkBatch()
                .add(FactChange.delete(new FactId("project", at(T10), "Nowhere")))
                .add(FactChange.delete(new FactId("machine", at(T10), "Nothing"))));
        assertThat(result)
                .extracting(ApplyResult::applied, ApplyResult::skipped)
                .containsExactly(2, 0);
        assertThat(count(file, "SELECT * FROM dim_project")).isZero();
        assertThat(count(file, "SELECT * FROM dim_machine")).isZero();
    }

    @Test
    void anInvalidFactIsSkippedAndTheRestOfTheBatchApplied() {
        ApplyResult result = db.apply(new SinkBatch()
                .add(
                        FactChange.upsert(fact("cluster", T10, "x", 1, 1, 1, 1, 1, 1, 1)),
                        new SinkBatch.SourceRecord("ada.facts", 0, 1, null, null))
                .add(
                        FactChange.upsert(fact("ada", T10, "not-allowed", 1, 1, 1, 1, 1, 1, 1)),
                        new SinkBatch.SourceRecord("ada.facts", 0, 2, null, null))
                .add(
                        FactChange.upsert(fact("project", T10, null, 1, 1, 1, 1, 1, 1, 1)),
                        new SinkBatch.SourceRecord("ada.facts", 0, 3, null, null))
                .add(
                        FactChange.upsert(fact("machine", T10, "Muon", 1, 1, 1, 1, 1, 1, 1)),
                        new SinkBatch.SourceRecord("ada.facts", 0, 4, null, null))
                .offset(new SourcePartition("ada.facts", 0), 5));

        assertThat(result)
                .extracting(ApplyResult::applied, ApplyResult::skipped)
                .containsExactly(1, 3);
        assertThat(result.rejected())
                .extracting(r -> r.entry().source().offset(), ApplyResult.Rejected::reason)
                .containsExactly(tuple(1L, "invalid"), tuple(2L, "invalid"), tuple(3L, "invalid"));
        assertThat(rows(file, "SELECT scope FROM fact_usage")).containsExactly(row("scope", "machine"));
        assertThat(db.storedOffsets()).containsEntry(new SourcePartition("ada.facts", 0), 5L);
    }

    @Test
    void aMissingKeyFallsBackToTheValuesIdentity() {
        db.apply(new SinkBatch().add(new FactChange(null, fact("machine", T10, "SANS", 1, 1, 1, 1, 1, 1, 1))));
        assertThat(rows(file, "SELECT machine_name, ts FROM fact_usage JOIN dim_machine USING (machine_id)"))
                .containsExactly(row("machine_name", "SANS", "ts", T10));
    }

    @Test
    void aNonFiniteIntensityIsStoredAsNull() {
        db.apply(new SinkBatch().add(FactChange.upsert(fact("ada", T10, null, 0, 0, 0, 0, 0, 0, Double.NaN))));
        assertThat(scalar(file, "SELECT intensity_gCo2eq_kwh FROM fact_usage")).isNull();
    }

    @Test
    void slotIntensityIsUpsertedAndDeleted() {
        String slot = "2025-09-11T10:30:00Z";
        db.apply(new SinkBatch()
                .add(SlotChange.upsert(slot(T10, 185.0, null, "moderate", 185, "forecast", true)))
                .add(SlotChange.upsert(slot(slot, null, null, null, 200, "fallback", false))));
        db.apply(new SinkBatch().add(SlotChange.upsert(slot(T10, 185.0, 190.0, "moderate", 190, "actual", true))));

        assertThat(rows(file, "SELECT * FROM fact_intensity ORDER BY ts"))
                .containsExactly(
                        row(
                                "ts",
                                T10,
                                "forecast",
                                185.0,
                                "actual",
                                190.0,
                                "index",
                                "moderate",
                                "intensity_gCo2eq_kwh",
                                190.0,
                                "source",
                                "actual",
                                "has_cpu",
                                1,
                                "region",
                                null,
                                "regional_forecast",
                                null),
                        row(
                                "ts",
                                slot,
                                "forecast",
                                null,
                                "actual",
                                null,
                                "index",
                                null,
                                "intensity_gCo2eq_kwh",
                                200.0,
                                "source",
                                "fallback",
                                "has_cpu",
                                0,
                                "region",
                                null,
                                "regional_forecast",
                                null));

        db.apply(new SinkBatch().add(new SlotChange(new SlotId(at(slot)), null)));
        assertThat(rows(file, "SELECT ts FROM fact_intensity")).containsExactly(row("ts", T10));
    }

    @Test
    void aSlotWithAnUnknownSourceIsSkipped() {
        ApplyResult result =
                db.apply(new SinkBatch().add(SlotChange.upsert(slot(T10, 1.0, 1.0, null, 1, "guess", true))));
        assertThat(result)
                .extracting(ApplyResult::applied, ApplyResult::skipped)
                .containsExactly(0, 1);
        assertThat(count(file, "SELECT * FROM fact_intensity")).isZero();
    }

    /** A row as TestDb.rows returns it, from alternating names and values. */
    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }
}

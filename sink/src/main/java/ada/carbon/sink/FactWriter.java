package ada.carbon.sink;

import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.core.IntensitySource;
import ada.carbon.core.Scope;
import ada.carbon.core.Times;
import ada.carbon.schemas.EventRules;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** fact_usage and fact_intensity: upserts of absolute figures, and deletes for tombstones. */
final class FactWriter implements AutoCloseable {
    // The conflict target repeats ux_fact_usage_key's expressions: SQLite matches the index by them.
    private static final String FACT_KEY = "scope, ts, IFNULL(project_id, -1), IFNULL(machine_id, -1), IFNULL(user_id, '')";
    private static final String METRICS = "busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, "
            + "busy_gCo2eq, idle_gCo2eq, intensity_gCo2eq_kwh";

    private final Dimensions dims;
    private final PreparedStatement upsertFact;
    private final PreparedStatement deleteFact;
    private final PreparedStatement upsertSlot;
    private final PreparedStatement deleteSlot;

    FactWriter(Connection c, Dimensions dims) throws SQLException {
        this.dims = dims;
        this.upsertFact = c.prepareStatement("INSERT INTO fact_usage (ts, scope, project_id, machine_id, user_id, " + METRICS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + FACT_KEY + ") DO UPDATE SET "
                + String.join(", ", Arrays.stream(METRICS.split(", ")).map(m -> m + " = excluded." + m).toList()));
        this.deleteFact = c.prepareStatement("DELETE FROM fact_usage WHERE scope = ? AND ts = ? "
                + "AND IFNULL(project_id, -1) = ? AND IFNULL(machine_id, -1) = ? AND IFNULL(user_id, '') = ?");
        this.upsertSlot = c.prepareStatement(
                "INSERT INTO fact_intensity (ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source, has_cpu) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ts) DO UPDATE SET forecast = excluded.forecast, "
                        + "actual = excluded.actual, \"index\" = excluded.\"index\", "
                        + "intensity_gCo2eq_kwh = excluded.intensity_gCo2eq_kwh, source = excluded.source, has_cpu = excluded.has_cpu");
        this.deleteSlot = c.prepareStatement("DELETE FROM fact_intensity WHERE ts = ?");
    }

    void write(FactChange change) throws InvalidChangeException, SQLException {
        FactId id = change.id() != null ? change.id() : identityOf(change.fact());
        Scope scope = scopeOf(id.getScope());
        String entity = id.getEntity();
        if (id.getTs() == null) {
            throw new InvalidChangeException("fact has no ts");
        }
        if ((scope == Scope.ADA) != (entity == null) || (entity != null && entity.isBlank())) {
            throw new InvalidChangeException("scope " + scope.label() + " with entity '" + entity + "': "
                    + "an ada fact names no entity and every other fact names one");
        }
        if (entity != null) {
            InvalidChangeException.unless(EventRules.name(scope.label(), entity));
        }
        InvalidChangeException.unless(EventRules.time("fact ts", id.getTs(), System.currentTimeMillis(),
                EventRules.AHEAD));
        String ts = Times.format(id.getTs());
        Fact fact = change.fact();
        if (fact != null) {
            requireFigures(fact);
        }
        if (fact == null) {
            delete(scope, ts, entity);
        } else {
            upsert(scope, ts, entity, fact);
        }
    }

    void write(SlotChange change) throws InvalidChangeException, SQLException {
        Instant start = change.id() != null ? change.id().getTs() : change.slot() == null ? null : change.slot().getTs();
        if (start == null) {
            throw new InvalidChangeException("slot intensity names no slot");
        }
        String ts = Times.format(start);
        SlotIntensity slot = change.slot();
        if (slot == null) {
            deleteSlot.setString(1, ts);
            deleteSlot.executeUpdate();
            return;
        }
        String source = slot.getSource() == null ? null : slot.getSource().toLowerCase(Locale.ROOT);
        if (Arrays.stream(IntensitySource.values()).noneMatch(s -> s.label().equals(source))) {
            throw new InvalidChangeException("slot " + ts + " has an unknown source '" + slot.getSource() + "'");
        }
        if (!Double.isFinite(slot.getIntensityGCo2eqKwh())) {
            throw new InvalidChangeException("slot " + ts + " has intensity " + slot.getIntensityGCo2eqKwh());
        }
        requireFigure("forecast", slot.getForecast());
        requireFigure("actual", slot.getActual());
        upsertSlot.setString(1, ts);
        Sql.setReal(upsertSlot, 2, slot.getForecast());
        Sql.setReal(upsertSlot, 3, slot.getActual());
        upsertSlot.setString(4, slot.getIndex());
        upsertSlot.setDouble(5, slot.getIntensityGCo2eqKwh());
        upsertSlot.setString(6, source);
        upsertSlot.setInt(7, slot.getHasCpu() ? 1 : 0);
        upsertSlot.executeUpdate();
    }

    private void upsert(Scope scope, String ts, String entity, Fact fact) throws SQLException {
        Long projectId = null;
        Long machineId = null;
        String userId = null;
        switch (scope) {
            case PROJECT -> projectId = dims.projects.ensure(entity);
            case MACHINE -> machineId = dims.machines.ensure(entity);
            case USER -> {
                dims.ensureUser(entity);
                userId = entity;
            }
            case ADA -> { }
        }
        upsertFact.setString(1, ts);
        upsertFact.setString(2, scope.label());
        Sql.setLongOrNull(upsertFact, 3, projectId);
        Sql.setLongOrNull(upsertFact, 4, machineId);
        upsertFact.setString(5, userId);
        Sql.setReal(upsertFact, 6, fact.getBusyCpuSecondsTotal());
        Sql.setReal(upsertFact, 7, fact.getIdleCpuSecondsTotal());
        Sql.setReal(upsertFact, 8, fact.getBusyKwh());
        Sql.setReal(upsertFact, 9, fact.getIdleKwh());
        Sql.setReal(upsertFact, 10, fact.getBusyGCo2eq());
        Sql.setReal(upsertFact, 11, fact.getIdleGCo2eq());
        Sql.setReal(upsertFact, 12, fact.getIntensityGCo2eqKwh());
        upsertFact.executeUpdate();
    }

    private void delete(Scope scope, String ts, String entity) throws SQLException {
        long projectKey = -1;
        long machineKey = -1;
        String userKey = "";
        // An entity never seen has no row to delete, and a tombstone must not create its dimension.
        switch (scope) {
            case PROJECT -> {
                Long id = dims.projects.find(entity);
                if (id == null) {
                    return;
                }
                projectKey = id;
            }
            case MACHINE -> {
                Long id = dims.machines.find(entity);
                if (id == null) {
                    return;
                }
                machineKey = id;
            }
            case USER -> userKey = entity;
            case ADA -> { }
        }
        deleteFact.setString(1, scope.label());
        deleteFact.setString(2, ts);
        deleteFact.setLong(3, projectKey);
        deleteFact.setLong(4, machineKey);
        deleteFact.setString(5, userKey);
        deleteFact.executeUpdate();
    }

    /** The aggregator writes finite, non-negative sums only; anything else was not written by it. */
    private static void requireFigures(Fact f) throws InvalidChangeException {
        requireFigure("busy_cpu_seconds_total", f.getBusyCpuSecondsTotal());
        requireFigure("idle_cpu_seconds_total", f.getIdleCpuSecondsTotal());
        requireFigure("busy_kwh", f.getBusyKwh());
        requireFigure("idle_kwh", f.getIdleKwh());
        requireFigure("busy_gCo2eq", f.getBusyGCo2eq());
        requireFigure("idle_gCo2eq", f.getIdleGCo2eq());
        // A non-finite intensity is stored as NULL: the views then show carbon / energy (SPEC 3.2).
    }

    private static void requireFigure(String field, Double value) throws InvalidChangeException {
        if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new InvalidChangeException(field + " must be a finite number >= 0, not " + value);
        }
    }

    private static FactId identityOf(Fact fact) throws InvalidChangeException {
        if (fact == null) {
            throw new InvalidChangeException("fact record has neither key nor value");
        }
        return new FactId(fact.getScope(), fact.getTs(), fact.getEntity());
    }

    private static Scope scopeOf(String label) throws InvalidChangeException {
        try {
            return Scope.fromLabel(label);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidChangeException("unknown scope '" + label + "'");
        }
    }

    @Override
    public void close() throws SQLException {
        upsertFact.close();
        deleteFact.close();
        upsertSlot.close();
        deleteSlot.close();
    }
}

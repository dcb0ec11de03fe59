package ada.carbon.sink;

import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.core.Scope;
import ada.carbon.schemas.EventRules;
import ada.carbon.schemas.Times;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * fact_usage with its fact_embodied and fact_quality rows, and fact_intensity: upserts of absolute figures, and
 * deletes for tombstones.
 */
final class FactWriter implements AutoCloseable {
    /** fact_intensity.source's values, as its CHECK in schema.sql lists them (SPEC 3.3). */
    static final List<String> SOURCES = List.of("actual", "forecast", "regional", "fallback");
    /** A fact's bucket starts on a half hour (SPEC 2.5: the grain is an hour or 30 minutes). */
    private static final long HALF_HOUR_MS = 1_800_000;
    // The conflict target repeats ux_fact_usage_key's expressions: SQLite matches the index by them.
    private static final String FACT_KEY =
            "scope, ts, IFNULL(project_id, -1), IFNULL(machine_id, -1), IFNULL(user_id, '')";
    private static final String METRICS = "busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, "
            + "busy_gCo2eq, idle_gCo2eq, intensity_gCo2eq_kwh";
    private static final String QUALITY = "kwh_actual, kwh_forecast, kwh_regional, kwh_fallback, host_seconds, hosts";

    private final Dimensions dims;
    private final PreparedStatement upsertFact;
    private final PreparedStatement deleteFact;
    private final PreparedStatement upsertEmbodied;
    private final PreparedStatement deleteEmbodied;
    private final PreparedStatement upsertQuality;
    private final PreparedStatement deleteQuality;
    private final PreparedStatement halfHourGrain;
    private final PreparedStatement upsertSlot;
    private final PreparedStatement deleteSlot;

    FactWriter(Connection c, Dimensions dims) throws SQLException {
        this.dims = dims;
        this.upsertFact =
                c.prepareStatement("INSERT INTO fact_usage (ts, scope, project_id, machine_id, user_id, " + METRICS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + FACT_KEY + ") DO UPDATE SET "
                        + String.join(
                                ", ",
                                Arrays.stream(METRICS.split(", "))
                                        .map(m -> m + " = excluded." + m)
                                        .toList())
                        + " RETURNING usage_id");
        // A tombstone's delete takes the fact's fact_embodied and fact_quality rows with it (ON DELETE CASCADE).
        this.deleteFact = c.prepareStatement("DELETE FROM fact_usage WHERE scope = ? AND ts = ? "
                + "AND IFNULL(project_id, -1) = ? AND IFNULL(machine_id, -1) = ? AND IFNULL(user_id, '') = ?");
        this.upsertEmbodied = c.prepareStatement("INSERT INTO fact_embodied (usage_id, embodied_gCo2eq) VALUES (?, ?) "
                + "ON CONFLICT (usage_id) DO UPDATE SET embodied_gCo2eq = excluded.embodied_gCo2eq");
        this.deleteEmbodied = c.prepareStatement("DELETE FROM fact_embodied WHERE usage_id = ?");
        this.upsertQuality = c.prepareStatement("INSERT INTO fact_quality (usage_id, " + QUALITY
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (usage_id) DO UPDATE SET "
                + String.join(
                        ", ",
                        Arrays.stream(QUALITY.split(", "))
                                .map(m -> m + " = excluded." + m)
                                .toList()));
        this.deleteQuality = c.prepareStatement("DELETE FROM fact_quality WHERE usage_id = ?");
        this.halfHourGrain =
                c.prepareStatement("UPDATE sink_settings SET grain_seconds = 1800 WHERE grain_seconds <> 1800");
        this.upsertSlot = c.prepareStatement("INSERT INTO fact_intensity (ts, forecast, actual, \"index\", "
                + "intensity_gCo2eq_kwh, source, has_cpu, region, regional_forecast) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (ts) DO UPDATE SET forecast = excluded.forecast, actual = excluded.actual, "
                + "\"index\" = excluded.\"index\", intensity_gCo2eq_kwh = excluded.intensity_gCo2eq_kwh, "
                + "source = excluded.source, has_cpu = excluded.has_cpu, region = excluded.region, "
                + "regional_forecast = excluded.regional_forecast");
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
        InvalidChangeException.unless(
                EventRules.time("fact ts", id.getTs(), System.currentTimeMillis(), EventRules.AHEAD));
        if (id.getTs().toEpochMilli() % HALF_HOUR_MS != 0) {
            throw new InvalidChangeException("fact ts " + id.getTs() + " does not start a bucket: a bucket starts on"
                    + " the hour or the half hour");
        }
        String ts = Times.format(id.getTs());
        Fact fact = change.fact();
        if (fact != null) {
            requireFigures(fact);
        }
        if (fact == null) {
            delete(scope, ts, entity);
        } else {
            upsert(scope, ts, entity, fact, id.getTs().toEpochMilli() % (2 * HALF_HOUR_MS) != 0);
        }
    }

    void write(SlotChange change) throws InvalidChangeException, SQLException {
        Instant start = change.id() != null
                ? change.id().getTs()
                : change.slot() == null ? null : change.slot().getTs();
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
        if (source == null || !SOURCES.contains(source)) {
            throw new InvalidChangeException("slot " + ts + " has an unknown source '" + slot.getSource() + "': one of "
                    + String.join(", ", SOURCES));
        }
        if (!Double.isFinite(slot.getIntensityGCo2eqKwh())) {
            throw new InvalidChangeException("slot " + ts + " has intensity " + slot.getIntensityGCo2eqKwh());
        }
        requireFigure("forecast", slot.getForecast());
        requireFigure("actual", slot.getActual());
        requireFigure("regional_forecast", slot.getRegionalForecast());
        upsertSlot.setString(1, ts);
        Sql.setReal(upsertSlot, 2, slot.getForecast());
        Sql.setReal(upsertSlot, 3, slot.getActual());
        upsertSlot.setString(4, slot.getIndex());
        upsertSlot.setDouble(5, slot.getIntensityGCo2eqKwh());
        upsertSlot.setString(6, source);
        upsertSlot.setInt(7, slot.getHasCpu() ? 1 : 0);
        Sql.setLongOrNull(
                upsertSlot,
                8,
                slot.getRegion() == null ? null : slot.getRegion().longValue());
        Sql.setReal(upsertSlot, 9, slot.getRegionalForecast());
        upsertSlot.executeUpdate();
    }

    /** @param halfPast whether the bucket starts at half past an hour, which only a grain of 30 minutes does */
    private void upsert(Scope scope, String ts, String entity, Fact fact, boolean halfPast) throws SQLException {
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
            case ADA -> {}
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
        long usageId;
        try (ResultSet r = upsertFact.executeQuery()) {
            r.next();
            usageId = r.getLong(1);
        }
        // A fact without the figures (written by an aggregator that did not compute them) has no such rows.
        if (fact.getEmbodiedGCo2eq() == null) {
            deleteEmbodied.setLong(1, usageId);
            deleteEmbodied.executeUpdate();
        } else {
            upsertEmbodied.setLong(1, usageId);
            upsertEmbodied.setDouble(2, fact.getEmbodiedGCo2eq());
            upsertEmbodied.executeUpdate();
        }
        if (fact.getHosts() == null) {
            deleteQuality.setLong(1, usageId);
            deleteQuality.executeUpdate();
        } else {
            upsertQuality.setLong(1, usageId);
            upsertQuality.setDouble(2, fact.getKwhActual());
            upsertQuality.setDouble(3, fact.getKwhForecast());
            upsertQuality.setDouble(4, fact.getKwhRegional());
            upsertQuality.setDouble(5, fact.getKwhFallback());
            upsertQuality.setDouble(6, fact.getHostSeconds());
            upsertQuality.setLong(7, fact.getHosts());
            upsertQuality.executeUpdate();
        }
        if (halfPast) {
            halfHourGrain.executeUpdate();
        }
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
            case ADA -> {}
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
        requireFigure("embodied_gCo2eq", f.getEmbodiedGCo2eq());
        // The measured split and coverage (SPEC 2.10) are one fact_quality row: all of them, or none.
        Object[] quality = {
            f.getKwhActual(),
            f.getKwhForecast(),
            f.getKwhRegional(),
            f.getKwhFallback(),
            f.getHostSeconds(),
            f.getHosts()
        };
        List<String> missing = new ArrayList<>();
        String[] names = QUALITY.split(", ");
        for (int i = 0; i < quality.length; i++) {
            if (quality[i] == null) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty() && missing.size() < quality.length) {
            throw new InvalidChangeException("fact has " + String.join(", ", missing) + " null but not the other "
                    + "quality figures: they come all together or not at all");
        }
        requireFigure("kwh_actual", f.getKwhActual());
        requireFigure("kwh_forecast", f.getKwhForecast());
        requireFigure("kwh_regional", f.getKwhRegional());
        requireFigure("kwh_fallback", f.getKwhFallback());
        requireFigure("host_seconds", f.getHostSeconds());
        if (f.getHosts() != null && f.getHosts() < 0) {
            throw new InvalidChangeException("hosts must be >= 0, not " + f.getHosts());
        }
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
        upsertEmbodied.close();
        deleteEmbodied.close();
        upsertQuality.close();
        deleteQuality.close();
        halfHourGrain.close();
        upsertSlot.close();
        deleteSlot.close();
    }
}

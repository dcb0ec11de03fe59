-- The Ada star schema (SPEC 3.1), its views (SPEC 3.2), the tables and views of SPEC 3.3 and the sink's
-- own bookkeeping. The single source of the database's DDL: AdaDatabase runs it on every open, so every
-- statement is idempotent. Statements end with ';' and no literal below contains one. A change that
-- CREATE ... IF NOT EXISTS cannot make to an existing database (a new column or CHECK of a table) is
-- SchemaScript's to migrate.

-- ---------------------------------------------------------------- dimensions

CREATE TABLE IF NOT EXISTS dim_group (
    group_id   INTEGER PRIMARY KEY,
    group_name TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS dim_user (
    user_id      TEXT PRIMARY KEY,
    display_name TEXT,
    group_id     INTEGER REFERENCES dim_group (group_id)
);
CREATE INDEX IF NOT EXISTS ix_dim_user_group ON dim_user (group_id);

CREATE TABLE IF NOT EXISTS dim_project (
    project_id         INTEGER PRIMARY KEY,
    cloud_project_name TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS dim_machine (
    machine_id   INTEGER PRIMARY KEY,
    machine_name TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS dim_instance (
    instance_id INTEGER PRIMARY KEY,
    host        TEXT NOT NULL,
    port        INTEGER,
    raw_label   TEXT UNIQUE
);
-- Tenure matching compares hosts without regard to case (SPEC 1.3).
CREATE INDEX IF NOT EXISTS ix_dim_instance_host ON dim_instance (host COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS map_user_project (
    user_id    TEXT    NOT NULL REFERENCES dim_user (user_id),
    project_id INTEGER NOT NULL REFERENCES dim_project (project_id),
    PRIMARY KEY (user_id, project_id)
);
CREATE INDEX IF NOT EXISTS ix_map_user_project_project ON map_user_project (project_id);

CREATE TABLE IF NOT EXISTS map_project_machine (
    project_id INTEGER NOT NULL REFERENCES dim_project (project_id),
    machine_id INTEGER NOT NULL REFERENCES dim_machine (machine_id),
    PRIMARY KEY (project_id, machine_id)
);
CREATE INDEX IF NOT EXISTS ix_map_project_machine_machine ON map_project_machine (machine_id);

-- ---------------------------------------------------------------- facts

CREATE TABLE IF NOT EXISTS fact_usage (
    usage_id               INTEGER PRIMARY KEY,
    ts                     TEXT NOT NULL,
    scope                  TEXT NOT NULL,
    project_id             INTEGER REFERENCES dim_project (project_id),
    machine_id             INTEGER REFERENCES dim_machine (machine_id),
    user_id                TEXT REFERENCES dim_user (user_id),
    busy_cpu_seconds_total REAL,
    idle_cpu_seconds_total REAL,
    busy_kwh               REAL,
    idle_kwh               REAL,
    busy_gCo2eq            REAL,
    idle_gCo2eq            REAL,
    intensity_gCo2eq_kwh   REAL,
    -- Exactly the key of the row's scope is set.
    CHECK (
        (scope = 'ada'     AND project_id IS NULL     AND machine_id IS NULL     AND user_id IS NULL) OR
        (scope = 'project' AND project_id IS NOT NULL AND machine_id IS NULL     AND user_id IS NULL) OR
        (scope = 'machine' AND project_id IS NULL     AND machine_id IS NOT NULL AND user_id IS NULL) OR
        (scope = 'user'    AND project_id IS NULL     AND machine_id IS NULL     AND user_id IS NOT NULL)
    )
);
-- One row per (scope, ts, key). A plain UNIQUE would let NULL keys repeat (NULLs are distinct to it),
-- so the index maps them to values no real key takes. The sink's upsert names these same expressions.
CREATE UNIQUE INDEX IF NOT EXISTS ux_fact_usage_key
    ON fact_usage (scope, ts, IFNULL(project_id, -1), IFNULL(machine_id, -1), IFNULL(user_id, ''));
CREATE INDEX IF NOT EXISTS ix_fact_usage_ts ON fact_usage (ts);
CREATE INDEX IF NOT EXISTS ix_fact_usage_project ON fact_usage (project_id, ts) WHERE project_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_fact_usage_machine ON fact_usage (machine_id, ts) WHERE machine_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_fact_usage_user ON fact_usage (user_id, ts) WHERE user_id IS NOT NULL;

-- The hardware's manufacturing emissions each fact's CPU time holds (SPEC 2.9), and how much of the
-- fact's energy used a measured intensity and how much of its bucket its hosts reported (SPEC 2.10): one
-- row per fact whose figures include them, deleted with the fact. A fact computed before they were has
-- no row here until it is recomputed (reprocess), and the views below never count it as zero.
CREATE TABLE IF NOT EXISTS fact_embodied (
    usage_id        INTEGER PRIMARY KEY REFERENCES fact_usage (usage_id) ON DELETE CASCADE,
    embodied_gCo2eq REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_quality (
    usage_id     INTEGER PRIMARY KEY REFERENCES fact_usage (usage_id) ON DELETE CASCADE,
    kwh_actual   REAL NOT NULL,
    kwh_forecast REAL NOT NULL,
    kwh_regional REAL NOT NULL,
    kwh_fallback REAL NOT NULL,
    host_seconds REAL NOT NULL,
    hosts        INTEGER NOT NULL
);

-- One row per half-hour slot with an intensity event or CPU time: the intensity its facts used and
-- where it came from, so a reader can tell measured from estimated (SPEC 2.3, 3.3). With intensity.region
-- set, region and regional_forecast are that region's (a source of 'regional' means its forecast was used).
CREATE TABLE IF NOT EXISTS fact_intensity (
    ts                   TEXT PRIMARY KEY,
    forecast             REAL,
    actual               REAL,
    "index"              TEXT,
    intensity_gCo2eq_kwh REAL NOT NULL,
    source               TEXT NOT NULL CHECK (source IN ('actual', 'forecast', 'regional', 'fallback')),
    has_cpu              INTEGER NOT NULL CHECK (has_cpu IN (0, 1)),
    region               INTEGER,
    regional_forecast    REAL
);

-- ---------------------------------------------------------------- workspaces

CREATE TABLE IF NOT EXISTS active_workspace (
    workspace_id  INTEGER PRIMARY KEY,
    instance_id   INTEGER NOT NULL REFERENCES dim_instance (instance_id),
    machine_id    INTEGER NOT NULL REFERENCES dim_machine (machine_id),
    user_id       TEXT REFERENCES dim_user (user_id),
    project_id    INTEGER REFERENCES dim_project (project_id),
    started_at    TEXT NOT NULL,
    workspace_key TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS ix_active_workspace_instance ON active_workspace (instance_id);
CREATE INDEX IF NOT EXISTS ix_active_workspace_user ON active_workspace (user_id);

-- ---------------------------------------------------------------- the sink's own state
-- map_user_project is the union of the latest user event's projects and every workspace's
-- (owner, project), deleted workspaces included. Both sides are kept here so the map of one user can
-- be recomputed when either changes.

CREATE TABLE IF NOT EXISTS sink_workspace (
    workspace_key TEXT PRIMARY KEY,
    instance_id   INTEGER NOT NULL REFERENCES dim_instance (instance_id),
    owner         TEXT REFERENCES dim_user (user_id),
    project_id    INTEGER NOT NULL REFERENCES dim_project (project_id),
    machine_id    INTEGER NOT NULL REFERENCES dim_machine (machine_id),
    created_time  TEXT NOT NULL,
    deleted_time  TEXT
);
CREATE INDEX IF NOT EXISTS ix_sink_workspace_owner ON sink_workspace (owner);

CREATE TABLE IF NOT EXISTS sink_user_project (
    user_id    TEXT    NOT NULL REFERENCES dim_user (user_id),
    project_id INTEGER NOT NULL REFERENCES dim_project (project_id),
    PRIMARY KEY (user_id, project_id)
);

-- The length of the facts' buckets (SPEC 2.5's grain), which v_quality_totals' coverage divides by. The
-- aggregator's setting does not travel with the facts, so the sink learns it from them: 3600 until a fact
-- starts at half past an hour, then 1800 (a grain of an hour never starts one there). A database from
-- before this table learns it from the facts it holds when it is first opened.
CREATE TABLE IF NOT EXISTS sink_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    grain_seconds INTEGER NOT NULL CHECK (grain_seconds IN (1800, 3600))
);
INSERT INTO sink_settings (id, grain_seconds)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM fact_usage WHERE substr(ts, 15, 2) <> '00') THEN 1800 ELSE 3600 END
WHERE NOT EXISTS (SELECT 1 FROM sink_settings);

-- The next Kafka offset to read per partition, written in the same transaction as the rows it
-- produced: the database, not Kafka, says how far the sink has got.
CREATE TABLE IF NOT EXISTS sink_offset (
    topic       TEXT    NOT NULL,
    "partition" INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, "partition")
);

-- ---------------------------------------------------------------- views
-- v_fact_usage_derived is the helper the SPEC 3.2 views share: each fact with its carbon and energy
-- and the two intensities the views report. NULL metrics count as zero in those sums.

CREATE VIEW IF NOT EXISTS v_fact_usage_derived AS
SELECT usage_id, ts, scope, project_id, machine_id, user_id,
       busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq,
       intensity_gCo2eq_kwh AS stored_intensity_gCo2eq_kwh,
       energy_kwh, carbon_gCo2eq,
       CASE WHEN energy_kwh > 0 THEN carbon_gCo2eq / energy_kwh END AS carbon_per_energy
FROM (SELECT f.*,
             IFNULL(busy_kwh, 0) + IFNULL(idle_kwh, 0)       AS energy_kwh,
             IFNULL(busy_gCo2eq, 0) + IFNULL(idle_gCo2eq, 0) AS carbon_gCo2eq
      FROM fact_usage f);

-- Timeseries: one row per fact of the scope.

CREATE VIEW IF NOT EXISTS v_ada_timeseries AS
SELECT ts, busy_cpu_seconds_total, idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq,
       IFNULL(stored_intensity_gCo2eq_kwh, carbon_per_energy) AS intensity_gCo2eq_kwh
FROM v_fact_usage_derived
WHERE scope = 'ada';

CREATE VIEW IF NOT EXISTS v_project_timeseries AS
SELECT p.cloud_project_name, f.ts, f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh,
       f.busy_gCo2eq, f.idle_gCo2eq,
       IFNULL(f.stored_intensity_gCo2eq_kwh, f.carbon_per_energy) AS intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
JOIN dim_project p ON p.project_id = f.project_id
WHERE f.scope = 'project';

CREATE VIEW IF NOT EXISTS v_machine_timeseries AS
SELECT m.machine_name, f.ts, f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh,
       f.busy_gCo2eq, f.idle_gCo2eq,
       IFNULL(f.stored_intensity_gCo2eq_kwh, f.carbon_per_energy) AS intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
JOIN dim_machine m ON m.machine_id = f.machine_id
WHERE f.scope = 'machine';

CREATE VIEW IF NOT EXISTS v_user_timeseries AS
SELECT f.user_id, f.ts, f.busy_cpu_seconds_total, f.idle_cpu_seconds_total, f.busy_kwh, f.idle_kwh,
       f.busy_gCo2eq, f.idle_gCo2eq,
       IFNULL(f.stored_intensity_gCo2eq_kwh, f.carbon_per_energy) AS intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
WHERE f.scope = 'user';

-- Totals: per entity with at least one fact, the sums of the six metrics. v_ada_totals, the platform's
-- own, is an extra beyond SPEC 3.2 in the same shape (one row, no entity column).

CREATE VIEW IF NOT EXISTS v_ada_totals AS
SELECT SUM(busy_cpu_seconds_total) AS busy_cpu_seconds_total, SUM(idle_cpu_seconds_total) AS idle_cpu_seconds_total,
       SUM(busy_kwh) AS busy_kwh, SUM(idle_kwh) AS idle_kwh,
       SUM(busy_gCo2eq) AS busy_gCo2eq, SUM(idle_gCo2eq) AS idle_gCo2eq
FROM fact_usage
WHERE scope = 'ada'
GROUP BY scope; -- no facts, no row, like the per-entity views

CREATE VIEW IF NOT EXISTS v_project_totals AS
SELECT p.cloud_project_name,
       SUM(f.busy_cpu_seconds_total) AS busy_cpu_seconds_total, SUM(f.idle_cpu_seconds_total) AS idle_cpu_seconds_total,
       SUM(f.busy_kwh) AS busy_kwh, SUM(f.idle_kwh) AS idle_kwh,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq
FROM fact_usage f
JOIN dim_project p ON p.project_id = f.project_id
WHERE f.scope = 'project'
GROUP BY p.project_id, p.cloud_project_name;

CREATE VIEW IF NOT EXISTS v_machine_totals AS
SELECT m.machine_name,
       SUM(f.busy_cpu_seconds_total) AS busy_cpu_seconds_total, SUM(f.idle_cpu_seconds_total) AS idle_cpu_seconds_total,
       SUM(f.busy_kwh) AS busy_kwh, SUM(f.idle_kwh) AS idle_kwh,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq
FROM fact_usage f
JOIN dim_machine m ON m.machine_id = f.machine_id
WHERE f.scope = 'machine'
GROUP BY m.machine_id, m.machine_name;

CREATE VIEW IF NOT EXISTS v_user_totals AS
SELECT f.user_id,
       SUM(f.busy_cpu_seconds_total) AS busy_cpu_seconds_total, SUM(f.idle_cpu_seconds_total) AS idle_cpu_seconds_total,
       SUM(f.busy_kwh) AS busy_kwh, SUM(f.idle_kwh) AS idle_kwh,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq
FROM fact_usage f
WHERE f.scope = 'user'
GROUP BY f.user_id;

CREATE VIEW IF NOT EXISTS v_group_totals AS
SELECT g.group_name,
       SUM(f.busy_cpu_seconds_total) AS busy_cpu_seconds_total, SUM(f.idle_cpu_seconds_total) AS idle_cpu_seconds_total,
       SUM(f.busy_kwh) AS busy_kwh, SUM(f.idle_kwh) AS idle_kwh,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq
FROM fact_usage f
JOIN dim_user u ON u.user_id = f.user_id
JOIN dim_group g ON g.group_id = u.group_id
WHERE f.scope = 'user'
GROUP BY g.group_id, g.group_name;

-- Averages: per entity, the means over the same rows as the totals. The intensity is the mean of the
-- rows' own carbon / energy, over the rows with energy above zero (AVG skips the NULLs of the others).
-- v_ada_averages is an extra like v_ada_totals.

CREATE VIEW IF NOT EXISTS v_ada_averages AS
SELECT AVG(busy_kwh) AS avg_busy_energy_kwh, AVG(idle_kwh) AS avg_idle_energy_kwh,
       AVG(busy_gCo2eq) AS avg_busy_carbon_gCo2eq, AVG(idle_gCo2eq) AS avg_idle_carbon_gCo2eq,
       AVG(carbon_per_energy) AS avg_intensity_gCo2eq_kwh
FROM v_fact_usage_derived
WHERE scope = 'ada'
GROUP BY scope;

CREATE VIEW IF NOT EXISTS v_project_averages AS
SELECT p.cloud_project_name,
       AVG(f.busy_kwh) AS avg_busy_energy_kwh, AVG(f.idle_kwh) AS avg_idle_energy_kwh,
       AVG(f.busy_gCo2eq) AS avg_busy_carbon_gCo2eq, AVG(f.idle_gCo2eq) AS avg_idle_carbon_gCo2eq,
       AVG(f.carbon_per_energy) AS avg_intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
JOIN dim_project p ON p.project_id = f.project_id
WHERE f.scope = 'project'
GROUP BY p.project_id, p.cloud_project_name;

CREATE VIEW IF NOT EXISTS v_machine_averages AS
SELECT m.machine_name,
       AVG(f.busy_kwh) AS avg_busy_energy_kwh, AVG(f.idle_kwh) AS avg_idle_energy_kwh,
       AVG(f.busy_gCo2eq) AS avg_busy_carbon_gCo2eq, AVG(f.idle_gCo2eq) AS avg_idle_carbon_gCo2eq,
       AVG(f.carbon_per_energy) AS avg_intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
JOIN dim_machine m ON m.machine_id = f.machine_id
WHERE f.scope = 'machine'
GROUP BY m.machine_id, m.machine_name;

CREATE VIEW IF NOT EXISTS v_user_averages AS
SELECT f.user_id,
       AVG(f.busy_kwh) AS avg_busy_energy_kwh, AVG(f.idle_kwh) AS avg_idle_energy_kwh,
       AVG(f.busy_gCo2eq) AS avg_busy_carbon_gCo2eq, AVG(f.idle_gCo2eq) AS avg_idle_carbon_gCo2eq,
       AVG(f.carbon_per_energy) AS avg_intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
WHERE f.scope = 'user'
GROUP BY f.user_id;

CREATE VIEW IF NOT EXISTS v_group_averages AS
SELECT g.group_name,
       AVG(f.busy_kwh) AS avg_busy_energy_kwh, AVG(f.idle_kwh) AS avg_idle_energy_kwh,
       AVG(f.busy_gCo2eq) AS avg_busy_carbon_gCo2eq, AVG(f.idle_gCo2eq) AS avg_idle_carbon_gCo2eq,
       AVG(f.carbon_per_energy) AS avg_intensity_gCo2eq_kwh
FROM v_fact_usage_derived f
JOIN dim_user u ON u.user_id = f.user_id
JOIN dim_group g ON g.group_id = u.group_id
WHERE f.scope = 'user'
GROUP BY g.group_id, g.group_name;

-- ---------------------------------------------------------------- footprint and quality (SPEC 3.3)
-- v_fact_footprint is the helper both share: each fact once per scope it counts toward, named as that
-- scope names its entities (ada: NULL, then project, machine type, user, and a user's facts once more under
-- the user's group), with its fact_embodied and fact_quality figures, NULL where it has no such row.

CREATE VIEW IF NOT EXISTS v_fact_footprint AS
SELECT f.usage_id, 'ada' AS scope, NULL AS entity, f.ts, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,
       e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, q.hosts
FROM fact_usage f
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'ada'
UNION ALL
SELECT f.usage_id, 'project', p.cloud_project_name, f.ts, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,
       e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, q.hosts
FROM fact_usage f
JOIN dim_project p ON p.project_id = f.project_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'project'
UNION ALL
SELECT f.usage_id, 'machine', m.machine_name, f.ts, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,
       e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, q.hosts
FROM fact_usage f
JOIN dim_machine m ON m.machine_id = f.machine_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'machine'
UNION ALL
SELECT f.usage_id, 'user', f.user_id, f.ts, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,
       e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, q.hosts
FROM fact_usage f
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'user'
UNION ALL
-- CROSS JOIN keeps the order group, its users, their facts (by ix_fact_usage_user), as ViewScope does.
SELECT f.usage_id, 'group', g.group_name, f.ts, f.busy_kwh, f.idle_kwh, f.busy_gCo2eq, f.idle_gCo2eq,
       e.embodied_gCo2eq, q.kwh_actual, q.kwh_forecast, q.kwh_regional, q.kwh_fallback, q.host_seconds, q.hosts
FROM dim_group g
CROSS JOIN dim_user u ON u.group_id = g.group_id
CROSS JOIN fact_usage f ON f.user_id = u.user_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'user';

-- v_footprint_totals and v_quality_totals sum the same facts per scope and entity, each scope an arm of its
-- own (rather than a GROUP BY over v_fact_footprint) so that SQLite takes a reader's WHERE scope = ... AND
-- entity = ... into the arm and reads one entity's facts by its index, not every fact.

-- Per scope and entity with facts: operational carbon (busy, idle), embodied carbon and their total. The
-- honesty rule: an entity with any fact lacking its fact_embodied row has embodied_gCo2eq and
-- total_gCo2eq NULL (not known), never a sum that counts the missing facts as zero.
CREATE VIEW IF NOT EXISTS v_footprint_totals AS
SELECT 'ada' AS scope, NULL AS entity,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*) THEN SUM(e.embodied_gCo2eq) END AS embodied_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*)
            THEN IFNULL(SUM(f.busy_gCo2eq), 0) + IFNULL(SUM(f.idle_gCo2eq), 0) + SUM(e.embodied_gCo2eq) END AS total_gCo2eq
FROM fact_usage f
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
WHERE f.scope = 'ada'
GROUP BY f.scope
UNION ALL
SELECT 'project', p.cloud_project_name,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*) THEN SUM(e.embodied_gCo2eq) END AS embodied_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*)
            THEN IFNULL(SUM(f.busy_gCo2eq), 0) + IFNULL(SUM(f.idle_gCo2eq), 0) + SUM(e.embodied_gCo2eq) END AS total_gCo2eq
FROM fact_usage f
JOIN dim_project p ON p.project_id = f.project_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
WHERE f.scope = 'project'
GROUP BY p.project_id, p.cloud_project_name
UNION ALL
SELECT 'machine', m.machine_name,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*) THEN SUM(e.embodied_gCo2eq) END AS embodied_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*)
            THEN IFNULL(SUM(f.busy_gCo2eq), 0) + IFNULL(SUM(f.idle_gCo2eq), 0) + SUM(e.embodied_gCo2eq) END AS total_gCo2eq
FROM fact_usage f
JOIN dim_machine m ON m.machine_id = f.machine_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
WHERE f.scope = 'machine'
GROUP BY m.machine_id, m.machine_name
UNION ALL
SELECT 'user', f.user_id,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*) THEN SUM(e.embodied_gCo2eq) END AS embodied_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*)
            THEN IFNULL(SUM(f.busy_gCo2eq), 0) + IFNULL(SUM(f.idle_gCo2eq), 0) + SUM(e.embodied_gCo2eq) END AS total_gCo2eq
FROM fact_usage f
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
WHERE f.scope = 'user'
GROUP BY f.user_id
UNION ALL
SELECT 'group', g.group_name,
       SUM(f.busy_gCo2eq) AS busy_gCo2eq, SUM(f.idle_gCo2eq) AS idle_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*) THEN SUM(e.embodied_gCo2eq) END AS embodied_gCo2eq,
       CASE WHEN COUNT(e.usage_id) = COUNT(*)
            THEN IFNULL(SUM(f.busy_gCo2eq), 0) + IFNULL(SUM(f.idle_gCo2eq), 0) + SUM(e.embodied_gCo2eq) END AS total_gCo2eq
FROM dim_group g
CROSS JOIN dim_user u ON u.group_id = g.group_id
CROSS JOIN fact_usage f ON f.user_id = u.user_id
LEFT JOIN fact_embodied e ON e.usage_id = f.usage_id
WHERE f.scope = 'user'
GROUP BY g.group_id, g.group_name;

-- Per scope and entity with facts: its energy, the share of it priced with a measured (actual) intensity
-- and with the fallback, and the share of its buckets its hosts reported:
--   measured_share = SUM(kwh_actual) / SUM(kWh), fallback_share = SUM(kwh_fallback) / SUM(kWh), NULL where
--   SUM(kWh) is 0, and coverage = SUM(host_seconds) / SUM(hosts * grain), the grain from sink_settings.
-- The same honesty rule: with any fact lacking its fact_quality row, the three are NULL.
CREATE VIEW IF NOT EXISTS v_quality_totals AS
SELECT scope, entity, kwh,
       CASE WHEN complete AND kwh > 0 THEN kwh_actual / kwh END AS measured_share,
       CASE WHEN complete AND kwh > 0 THEN kwh_fallback / kwh END AS fallback_share,
       CASE WHEN complete AND hosts > 0 THEN host_seconds / (hosts * (SELECT grain_seconds FROM sink_settings)) END
           AS coverage
FROM (
SELECT 'ada' AS scope, NULL AS entity,
       SUM(IFNULL(f.busy_kwh, 0) + IFNULL(f.idle_kwh, 0)) AS kwh, COUNT(q.usage_id) = COUNT(*) AS complete,
       SUM(q.kwh_actual) AS kwh_actual, SUM(q.kwh_fallback) AS kwh_fallback, SUM(q.host_seconds) AS host_seconds,
       SUM(q.hosts) AS hosts
FROM fact_usage f
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'ada'
GROUP BY f.scope
UNION ALL
SELECT 'project', p.cloud_project_name,
       SUM(IFNULL(f.busy_kwh, 0) + IFNULL(f.idle_kwh, 0)) AS kwh, COUNT(q.usage_id) = COUNT(*) AS complete,
       SUM(q.kwh_actual) AS kwh_actual, SUM(q.kwh_fallback) AS kwh_fallback, SUM(q.host_seconds) AS host_seconds,
       SUM(q.hosts) AS hosts
FROM fact_usage f
JOIN dim_project p ON p.project_id = f.project_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'project'
GROUP BY p.project_id, p.cloud_project_name
UNION ALL
SELECT 'machine', m.machine_name,
       SUM(IFNULL(f.busy_kwh, 0) + IFNULL(f.idle_kwh, 0)) AS kwh, COUNT(q.usage_id) = COUNT(*) AS complete,
       SUM(q.kwh_actual) AS kwh_actual, SUM(q.kwh_fallback) AS kwh_fallback, SUM(q.host_seconds) AS host_seconds,
       SUM(q.hosts) AS hosts
FROM fact_usage f
JOIN dim_machine m ON m.machine_id = f.machine_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'machine'
GROUP BY m.machine_id, m.machine_name
UNION ALL
SELECT 'user', f.user_id,
       SUM(IFNULL(f.busy_kwh, 0) + IFNULL(f.idle_kwh, 0)) AS kwh, COUNT(q.usage_id) = COUNT(*) AS complete,
       SUM(q.kwh_actual) AS kwh_actual, SUM(q.kwh_fallback) AS kwh_fallback, SUM(q.host_seconds) AS host_seconds,
       SUM(q.hosts) AS hosts
FROM fact_usage f
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'user'
GROUP BY f.user_id
UNION ALL
SELECT 'group', g.group_name,
       SUM(IFNULL(f.busy_kwh, 0) + IFNULL(f.idle_kwh, 0)) AS kwh, COUNT(q.usage_id) = COUNT(*) AS complete,
       SUM(q.kwh_actual) AS kwh_actual, SUM(q.kwh_fallback) AS kwh_fallback, SUM(q.host_seconds) AS host_seconds,
       SUM(q.hosts) AS hosts
FROM dim_group g
CROSS JOIN dim_user u ON u.group_id = g.group_id
CROSS JOIN fact_usage f ON f.user_id = u.user_id
LEFT JOIN fact_quality q ON q.usage_id = f.usage_id
WHERE f.scope = 'user'
GROUP BY g.group_id, g.group_name);

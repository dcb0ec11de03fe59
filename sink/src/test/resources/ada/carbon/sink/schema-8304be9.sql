-- The Ada star schema (SPEC 3.1), its views (SPEC 3.2), fact_intensity (SPEC 3.3) and the sink's own
-- bookkeeping. The single source of the database's DDL: AdaDatabase runs it on every open, so every
-- statement is idempotent. Statements end with ';' and no literal below contains one.

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

-- One row per half-hour slot with an intensity event or CPU time: the intensity its facts used and
-- where it came from, so a reader can tell measured from estimated (SPEC 2.3, 3.3).
CREATE TABLE IF NOT EXISTS fact_intensity (
    ts                   TEXT PRIMARY KEY,
    forecast             REAL,
    actual               REAL,
    "index"              TEXT,
    intensity_gCo2eq_kwh REAL NOT NULL,
    source               TEXT NOT NULL CHECK (source IN ('actual', 'forecast', 'fallback')),
    has_cpu              INTEGER NOT NULL CHECK (has_cpu IN (0, 1))
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

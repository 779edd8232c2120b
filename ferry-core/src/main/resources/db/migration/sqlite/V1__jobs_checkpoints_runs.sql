CREATE TABLE jobs (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    last_error  TEXT
);

CREATE TABLE splits (
    job         TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
    split       TEXT NOT NULL,
    state       TEXT NOT NULL,
    progress    INTEGER NOT NULL,
    total       INTEGER,
    unit        TEXT,
    records     INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    last_error  TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (job, split)
);

-- One row per (job, split, destination): the last point that destination made durable.
CREATE TABLE checkpoints (
    job         TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
    split       TEXT NOT NULL,
    sink        TEXT NOT NULL,
    last_offset INTEGER NOT NULL,
    position    TEXT NOT NULL,
    sink_state  TEXT NOT NULL,
    records     INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (job, split, sink)
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job         TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    state       TEXT NOT NULL,
    report      TEXT
);

CREATE INDEX runs_by_job ON runs (job, id);

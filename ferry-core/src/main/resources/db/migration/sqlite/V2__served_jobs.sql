-- Jobs created through the HTTP API (ferry serve): the request they were created with, their
-- state as the server sees it (including CANCELLED), their live limits and their last report.
-- A served job of an engine kind runs as the engine job of the same name (jobs.name).
CREATE TABLE served_jobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    request     TEXT NOT NULL,
    state       TEXT NOT NULL,
    limits      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    last_error  TEXT,
    report      TEXT
);

CREATE INDEX served_jobs_by_state ON served_jobs (state, created_at);

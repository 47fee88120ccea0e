-- One row per sync run, with counters committed at every checkpoint.
CREATE TABLE runs (
    id              TEXT PRIMARY KEY NOT NULL,
    mapping_id      TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')),
    trigger         TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'cli', 'webhook', 'retry', 'resume')),
    dry_run         INTEGER NOT NULL DEFAULT 0,
    full_resync     INTEGER NOT NULL DEFAULT 0,
    phase           TEXT,
    call_budget     INTEGER,
    checkpoint      TEXT,  -- JSON
    records_read    INTEGER NOT NULL DEFAULT 0,
    records_created INTEGER NOT NULL DEFAULT 0,
    records_updated INTEGER NOT NULL DEFAULT 0,
    records_skipped INTEGER NOT NULL DEFAULT 0,
    records_failed  INTEGER NOT NULL DEFAULT 0,
    conflicts       INTEGER NOT NULL DEFAULT 0,
    calls_made      INTEGER NOT NULL DEFAULT 0,
    message         TEXT,
    started_at      INTEGER NOT NULL,
    heartbeat_at    INTEGER,
    finished_at     INTEGER
) STRICT;
CREATE INDEX runs_started ON runs (started_at DESC);
CREATE INDEX runs_mapping ON runs (mapping_id, started_at DESC);

-- Alerts raised by health rules. One open alert per dedup key; repeats bump a counter.
CREATE TABLE alerts (
    id              TEXT PRIMARY KEY NOT NULL,
    connection_id   TEXT REFERENCES connections (id) ON DELETE CASCADE,
    mapping_id      TEXT REFERENCES mappings (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    message         TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    occurrences     INTEGER NOT NULL DEFAULT 1,
    raised_at       INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    acknowledged_at INTEGER,
    resolved_at     INTEGER
) STRICT;
CREATE UNIQUE INDEX alerts_open_dedup ON alerts (dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_raised ON alerts (raised_at DESC);

-- Per-record failures with the provider's code, message and the payload, so they can be
-- shown and retried.
CREATE TABLE run_errors (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    mapping_id  TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    side        TEXT NOT NULL CHECK (side IN ('source', 'target')),
    record_id   TEXT,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    payload     TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'retrying', 'resolved')),
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER
) STRICT;
CREATE INDEX run_errors_run ON run_errors (run_id);
CREATE INDEX run_errors_open ON run_errors (mapping_id, status);

-- Every write is an intent here before it goes out, so a crash neither loses nor
-- doubles it: pending and sent intents are reconciled on restart.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    mapping_id      TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    connection_id   TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    object          TEXT NOT NULL,
    operation       TEXT NOT NULL CHECK (operation IN ('create', 'update', 'upsert', 'archive')),
    source_id       TEXT,
    target_id       TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'confirmed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_unfinished ON outbox (connection_id, state) WHERE state IN ('pending', 'sent');

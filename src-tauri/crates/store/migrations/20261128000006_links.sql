-- The identity map: which source record is which target record, and the mapped values
-- as last synced (the base for skip and conflict decisions).
CREATE TABLE links (
    id                 INTEGER PRIMARY KEY,
    mapping_id         TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    source_id          TEXT NOT NULL,
    target_id          TEXT NOT NULL,
    base               TEXT NOT NULL DEFAULT '{}',
    pinned             INTEGER NOT NULL DEFAULT 0,
    source_modified_at INTEGER,
    target_modified_at INTEGER,
    last_synced_at     INTEGER NOT NULL,
    last_run_id        TEXT,
    UNIQUE (mapping_id, source_id),
    UNIQUE (mapping_id, target_id)
) STRICT;

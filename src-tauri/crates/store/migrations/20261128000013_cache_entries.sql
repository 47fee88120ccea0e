-- Persistent TTL cache for cacheable reads (describe, properties, lookups).
CREATE TABLE cache_entries (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (connection_id, kind, key)
) STRICT;
CREATE INDEX cache_entries_expiry ON cache_entries (expires_at);

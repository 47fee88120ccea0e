-- A mapping joins one object of one connection to one object of another.
CREATE TABLE mappings (
    id                   TEXT PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    source_connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    source_object        TEXT NOT NULL,
    target_connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    target_object        TEXT NOT NULL,
    direction            TEXT NOT NULL CHECK (direction IN ('one_way', 'two_way')),
    match_rule           TEXT NOT NULL,  -- JSON: {"kind": "email"|"external_id"|"field", "source_field", "target_field"}
    conflict_policy      TEXT NOT NULL DEFAULT 'source_wins' CHECK (conflict_policy IN ('source_wins', 'target_wins', 'newest_wins', 'review')),
    delete_policy        TEXT NOT NULL DEFAULT 'ignore' CHECK (delete_policy IN ('ignore', 'propagate', 'review')),
    enabled              INTEGER NOT NULL DEFAULT 1,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    CHECK (source_connection_id <> target_connection_id OR source_object <> target_object)
) STRICT;

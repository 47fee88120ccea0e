-- The field rows of a mapping, in display order.
CREATE TABLE field_maps (
    id           INTEGER PRIMARY KEY,
    mapping_id   TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    source_field TEXT,             -- NULL when the value comes from a constant transform
    target_field TEXT NOT NULL,
    transform    TEXT NOT NULL DEFAULT '[]',  -- JSON list of declarative transform steps
    sync_rule    TEXT NOT NULL DEFAULT 'always_source' CHECK (sync_rule IN ('prefer_source_unless_blank', 'always_source', 'two_way', 'dont_sync')),
    UNIQUE (mapping_id, target_field)
) STRICT;
CREATE INDEX field_maps_mapping ON field_maps (mapping_id, position);

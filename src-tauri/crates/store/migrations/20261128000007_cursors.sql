-- Where each side of a mapping last read up to. `value` is opaque to the store: a
-- connector's cursor (timestamp plus last id, so equal timestamps are not re-read).
CREATE TABLE cursors (
    mapping_id TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    side       TEXT NOT NULL CHECK (side IN ('source', 'target')),
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (mapping_id, side)
) STRICT;

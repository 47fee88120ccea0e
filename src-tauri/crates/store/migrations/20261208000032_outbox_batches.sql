-- A batch of writes recorded as one intent before it is sent: one row per batch call
-- instead of one `outbox` row per record (inserted, then updated, each through two
-- partial indexes and three foreign-key checks). `items` is a JSON array of
-- {"s": the record read, "t": the record written or null, "v": the values sent, as JSON
-- text}.
-- A batch whose answers are stored is deleted in the same transaction: the links hold
-- what was written, and every record that failed gets an `outbox` row of its own (pending
-- or failed, with its reason). A batch left by an interrupted run is turned into `outbox`
-- rows in state `sent` (one per item, dated when the batch was recorded) before that
-- mapping's next run reconciles them, so nothing it may have sent is sent blind again.
CREATE TABLE outbox_batches (
    id            INTEGER PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    mapping_id    TEXT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    object        TEXT NOT NULL,
    operation     TEXT NOT NULL CHECK (operation IN ('create', 'update', 'upsert', 'archive')),
    way           TEXT NOT NULL CHECK (way IN ('fwd', 'back')),
    items         TEXT NOT NULL CHECK (json_valid(items)),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_batches_mapping ON outbox_batches (mapping_id);

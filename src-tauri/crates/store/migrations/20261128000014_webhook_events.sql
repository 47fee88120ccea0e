-- Verified (or rejected) webhook deliveries, deduplicated by the provider's delivery id.
CREATE TABLE webhook_events (
    id              INTEGER PRIMARY KEY,
    connection_id   TEXT REFERENCES connections (id) ON DELETE CASCADE,
    provider        TEXT NOT NULL,
    delivery_id     TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    object          TEXT,
    record_id       TEXT,
    signature_valid INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    processed_at    INTEGER,
    run_id          TEXT,
    UNIQUE (provider, delivery_id)
) STRICT;
CREATE INDEX webhook_events_unprocessed ON webhook_events (received_at) WHERE processed_at IS NULL;

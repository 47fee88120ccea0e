-- One row per provider request (or cache hit), written in batches by the metrics tap.
CREATE TABLE request_metrics (
    id              INTEGER PRIMARY KEY,
    connection_id   TEXT REFERENCES connections (id) ON DELETE CASCADE,
    provider        TEXT NOT NULL,
    run_id          TEXT,
    method          TEXT NOT NULL,
    endpoint        TEXT NOT NULL,  -- path template, never a query string or a token
    status          INTEGER,        -- NULL for transport failures and cache hits
    outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'client_error', 'auth_error', 'rate_limited', 'server_error', 'timeout', 'network')),
    cache           TEXT NOT NULL DEFAULT 'bypass' CHECK (cache IN ('hit', 'miss', 'bypass')),
    latency_ms      INTEGER NOT NULL,
    attempt         INTEGER NOT NULL DEFAULT 1,
    limit_remaining INTEGER,
    limit_total     INTEGER,
    at              INTEGER NOT NULL
) STRICT;
CREATE INDEX request_metrics_at ON request_metrics (at);
CREATE INDEX request_metrics_connection ON request_metrics (connection_id, at);

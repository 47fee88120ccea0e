-- Per connection and minute: what the raw request rows said, kept 90 days (raw rows 7).
CREATE TABLE metric_rollups (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    minute        INTEGER NOT NULL,  -- epoch ms at the start of the minute (UTC)
    requests      INTEGER NOT NULL,  -- sent to the provider (cache hits excluded)
    ok            INTEGER NOT NULL,
    client_errors INTEGER NOT NULL,  -- 4xx other than 429, auth errors included
    rate_limited  INTEGER NOT NULL,
    server_errors INTEGER NOT NULL,
    timeouts      INTEGER NOT NULL,  -- timeouts and network failures
    retries       INTEGER NOT NULL,  -- attempts after the first
    cache_hits    INTEGER NOT NULL,
    cache_misses  INTEGER NOT NULL,
    p50_ms        INTEGER,
    p95_ms        INTEGER,
    p99_ms        INTEGER,
    PRIMARY KEY (connection_id, minute)
) STRICT;
CREATE INDEX metric_rollups_minute ON metric_rollups (minute);

-- One row per connected account. Tokens are never here: they live in `secrets`.
CREATE TABLE connections (
    id              TEXT PRIMARY KEY NOT NULL,
    provider        TEXT NOT NULL CHECK (provider IN ('salesforce', 'hubspot', 'quickbooks', 'slack', 'zapier')),
    label           TEXT NOT NULL,
    environment     TEXT NOT NULL DEFAULT 'production' CHECK (environment IN ('sandbox', 'production')),
    auth_kind       TEXT NOT NULL CHECK (auth_kind IN ('oauth_loopback', 'oauth_paste_redirect', 'pasted_token', 'hook_url')),
    status          TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'needs_reconnect', 'disconnected', 'error')),
    status_message  TEXT,
    account_id      TEXT,     -- Salesforce org id, HubSpot portal id, QuickBooks realmId, Slack team id
    account_name    TEXT,
    user_name       TEXT,
    instance_url    TEXT,     -- Salesforce instance_url; API base for the others when not the default
    scopes          TEXT,
    token_expires_at INTEGER, -- epoch ms; NULL when the provider does not say (Salesforce)
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_checked_at INTEGER
) STRICT;
CREATE INDEX connections_provider ON connections (provider);

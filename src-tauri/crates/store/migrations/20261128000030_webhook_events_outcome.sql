-- Webhook deliveries, continued: why a refused delivery was refused (signature_valid = 0,
-- never its body), which mapping a generic delivery is addressed to, and how often the
-- same delivery id came again (providers retry; repeats are counted, not stored).
ALTER TABLE webhook_events ADD COLUMN rejection TEXT;
ALTER TABLE webhook_events ADD COLUMN mapping_id TEXT REFERENCES mappings (id) ON DELETE CASCADE;
ALTER TABLE webhook_events ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_events ADD COLUMN last_duplicate_at INTEGER;
CREATE INDEX webhook_events_received ON webhook_events (received_at);

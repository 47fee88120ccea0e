-- When an alert was last sent to the user's channels (desktop, Slack, Zapier); repeats
-- inside the cool-down are counted, not sent again.
ALTER TABLE alerts ADD COLUMN notified_at INTEGER;

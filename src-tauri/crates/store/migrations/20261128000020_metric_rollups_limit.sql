-- The highest share of the provider's quota in use seen during the minute (0..1), from
-- the rate-limit headers the metrics tap recorded.
ALTER TABLE metric_rollups ADD COLUMN limit_used REAL;

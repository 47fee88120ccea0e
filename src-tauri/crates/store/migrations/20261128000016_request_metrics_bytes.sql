-- Response size per request, for the client stack's metrics tap.
ALTER TABLE request_metrics ADD COLUMN response_bytes INTEGER;

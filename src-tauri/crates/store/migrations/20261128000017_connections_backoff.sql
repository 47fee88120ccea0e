-- How a connection waits between retries (the seed offered exponential, linear, fixed).
ALTER TABLE connections ADD COLUMN backoff TEXT NOT NULL DEFAULT 'exponential' CHECK (backoff IN ('exponential', 'linear', 'fixed'));

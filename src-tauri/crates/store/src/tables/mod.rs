//! One repository module per table. Functions take any SQLite executor (pool,
//! connection or transaction) so the engine can group writes into one checkpoint.

pub mod alerts;
pub mod app_meta;
pub mod cache_entries;
pub mod connections;
pub mod cursors;
pub mod field_maps;
pub mod links;
pub mod mappings;
pub mod metric_rollups;
pub mod outbox;
pub mod outbox_batches;
pub mod request_metrics;
pub mod run_errors;
pub mod runs;
pub mod secrets;
pub mod settings;
pub mod webhook_events;

//! Sync runs. A run reads the source page by page from the stored cursor, matches
//! unlinked records to the target in batched look-ups, converts them through the
//! mapping, skips what equals the last-synced base, writes the rest in the target's
//! batch shape through the outbox (filling each batch across pages), and commits the
//! cursor only as far as everything before it was written. A crash or kill leaves
//! intents in the outbox that the next run reconciles against the target before anything
//! is sent again.

mod compare_deletes;
mod deletes;
mod matching;
mod pending;
pub mod plan;
mod recheck;
mod reconcile;
mod resolve;
mod retry;
mod runner;
mod two_way;
mod upsert;

pub use plan::{Action, FieldChange};
pub use resolve::Keep;
pub use runner::{PlannedRecord, Progress, RunOptions, RunReport};

//! Sync runs. A run reads the source page by page from the stored cursor, matches
//! unlinked records to the target in batched look-ups, converts them through the
//! mapping, skips what equals the last-synced base, writes the rest in the target's
//! batch shape through the outbox (filling each batch across pages), and commits the
//! cursor only as far as everything before it was written. A crash or kill leaves
//! intents in the outbox that the next run reconciles against the target before anything
//! is sent again.
//!
//! A run is a pipeline of stages, each a file: `run` drives it; `pages` reads (stage 1),
//! `match_page` matches (2), `decide_page` decides (3), `batches` fills the target's
//! batches across pages and `write` sends them (4), `checkpoint` confirms and commits
//! (5), `finish` carries deletes, writes two-way changes back and reports (6). What the
//! stages share sits below them — `context` (the run's `Ctx`), `report`, `tally`,
//! `cursor_row`, `snapshots`, `pending` — so the arrows between files point one way
//! (`tests/module_graph.rs` fails on a circle).

mod batches;
mod checkpoint;
mod compare_deletes;
mod conflict;
mod context;
mod cursor_row;
mod decide_page;
mod deletes;
mod finish;
#[cfg(test)]
mod fixtures;
mod intents;
mod match_page;
mod matching;
mod pages;
mod pending;
pub mod plan;
mod recheck;
mod reconcile;
mod report;
mod resolve;
mod retry;
mod run;
mod snapshots;
mod tally;
mod two_way;
mod upsert;
mod write;
mod write_back;

pub use plan::{Action, FieldChange};
pub use report::{PlannedRecord, Progress, RunOptions, RunReport};
pub use resolve::Keep;

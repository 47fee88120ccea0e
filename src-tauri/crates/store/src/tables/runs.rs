//! `runs`: one row per sync run; counters and checkpoint are updated in the same
//! transaction as the links and cursor of each page.

use crate::kinds::{RunStatus, RunTrigger};
use crate::{new_id, now_ms, StoreError, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Run {
    pub id: String,
    pub mapping_id: String,
    pub status: RunStatus,
    pub trigger: RunTrigger,
    pub dry_run: bool,
    pub full_resync: bool,
    pub phase: Option<String>,
    pub call_budget: Option<i64>,
    pub checkpoint: Option<String>,
    pub records_read: i64,
    pub records_created: i64,
    pub records_updated: i64,
    pub records_skipped: i64,
    pub records_failed: i64,
    pub conflicts: i64,
    pub calls_made: i64,
    pub message: Option<String>,
    pub started_at: i64,
    pub heartbeat_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// A run with its mapping's name, for history lists.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RunWithMapping {
    #[sqlx(flatten)]
    pub run: Run,
    pub mapping_name: String,
}

#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    pub mapping_id: &'a str,
    pub trigger: RunTrigger,
    pub dry_run: bool,
    pub full_resync: bool,
    pub call_budget: Option<i64>,
}

/// Counter increments for one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub read: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
    pub conflicts: i64,
    pub calls: i64,
}

pub async fn insert(db: impl SqliteExecutor<'_>, new: &NewRun<'_>) -> StoreResult<Run> {
    let now = now_ms();
    Ok(sqlx::query_as(
        "INSERT INTO runs (id, mapping_id, status, trigger, dry_run, full_resync, call_budget, started_at, heartbeat_at)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(new_id())
    .bind(new.mapping_id)
    .bind(new.trigger)
    .bind(new.dry_run)
    .bind(new.full_resync)
    .bind(new.call_budget)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await?)
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<Run> {
    sqlx::query_as("SELECT * FROM runs WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "run",
            id: id.into(),
        })
}

/// Newest first, with mapping names.
pub async fn recent(db: impl SqliteExecutor<'_>, limit: i64) -> StoreResult<Vec<RunWithMapping>> {
    Ok(sqlx::query_as(
        "SELECT r.*, m.name AS mapping_name FROM runs r JOIN mappings m ON m.id = r.mapping_id
         ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Adds a page's counters and stores the checkpoint (call inside the page transaction).
/// Runs started in `[from, to)`, oldest first, with mapping names (the health timeline).
pub async fn between(
    db: impl SqliteExecutor<'_>,
    from: i64,
    to: i64,
    limit: i64,
) -> StoreResult<Vec<RunWithMapping>> {
    Ok(sqlx::query_as(
        "SELECT r.*, m.name AS mapping_name FROM runs r JOIN mappings m ON m.id = r.mapping_id
         WHERE r.started_at >= ? AND r.started_at < ? ORDER BY r.started_at, r.id LIMIT ?",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Statuses of the last `n` finished, non-dry runs of mappings that use a connection
/// (as source or target), newest first.
pub async fn last_outcomes_of_connection(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
    n: i64,
) -> StoreResult<Vec<RunStatus>> {
    let rows: Vec<(RunStatus,)> = sqlx::query_as(
        "SELECT r.status FROM runs r JOIN mappings m ON m.id = r.mapping_id
         WHERE (m.source_connection_id = ?1 OR m.target_connection_id = ?1)
           AND r.finished_at IS NOT NULL AND r.dry_run = 0
         ORDER BY r.finished_at DESC, r.id DESC LIMIT ?2",
    )
    .bind(connection_id)
    .bind(n)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

/// Finished runs that failed, finished at or after `since`, oldest first.
pub async fn failed_since(
    db: impl SqliteExecutor<'_>,
    since: i64,
) -> StoreResult<Vec<RunWithMapping>> {
    Ok(sqlx::query_as(
        "SELECT r.*, m.name AS mapping_name FROM runs r JOIN mappings m ON m.id = r.mapping_id
         WHERE r.status = 'failed' AND r.dry_run = 0 AND r.finished_at >= ? ORDER BY r.finished_at, r.id",
    )
    .bind(since)
    .fetch_all(db)
    .await?)
}

pub async fn checkpoint(
    db: impl SqliteExecutor<'_>,
    id: &str,
    phase: &str,
    add: Counts,
    checkpoint: Option<&str>,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE runs SET phase = ?, checkpoint = COALESCE(?, checkpoint), heartbeat_at = ?,
             records_read = records_read + ?, records_created = records_created + ?,
             records_updated = records_updated + ?, records_skipped = records_skipped + ?,
             records_failed = records_failed + ?, conflicts = conflicts + ?, calls_made = calls_made + ?
         WHERE id = ? AND status = 'running'",
    )
    .bind(phase)
    .bind(checkpoint)
    .bind(now_ms())
    .bind(add.read)
    .bind(add.created)
    .bind(add.updated)
    .bind(add.skipped)
    .bind(add.failed)
    .bind(add.conflicts)
    .bind(add.calls)
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "running run",
            id: id.into(),
        });
    }
    Ok(())
}

pub async fn finish(
    db: impl SqliteExecutor<'_>,
    id: &str,
    status: RunStatus,
    message: Option<&str>,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE runs SET status = ?, message = ?, finished_at = ?, phase = NULL WHERE id = ? AND finished_at IS NULL")
        .bind(status)
        .bind(message)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "unfinished run",
            id: id.into(),
        });
    }
    Ok(())
}

/// Runs left `running` by a crash (no heartbeat since `stale_before`), to resume.
pub async fn interrupted(db: impl SqliteExecutor<'_>, stale_before: i64) -> StoreResult<Vec<Run>> {
    Ok(sqlx::query_as("SELECT * FROM runs WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < ? ORDER BY started_at")
        .bind(stale_before)
        .fetch_all(db)
        .await?)
}

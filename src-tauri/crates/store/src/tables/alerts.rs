//! `alerts`: raised by health rules; one open alert per dedup key, repeats counted.

use crate::kinds::Severity;
use crate::{new_id, now_ms, StoreError, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Alert {
    pub id: String,
    pub connection_id: Option<String>,
    pub mapping_id: Option<String>,
    pub kind: String,
    pub severity: Severity,
    pub message: String,
    pub dedup_key: String,
    pub occurrences: i64,
    pub raised_at: i64,
    pub last_seen_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub notified_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewAlert<'a> {
    pub connection_id: Option<&'a str>,
    pub mapping_id: Option<&'a str>,
    pub kind: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub dedup_key: &'a str,
}

/// Raises an alert, or bumps the open one with the same dedup key (keeping its id,
/// refreshing message and severity). Returns the alert as stored.
pub async fn raise(db: impl SqliteExecutor<'_>, a: &NewAlert<'_>) -> StoreResult<Alert> {
    let now = now_ms();
    Ok(sqlx::query_as(
        "INSERT INTO alerts (id, connection_id, mapping_id, kind, severity, message, dedup_key, raised_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dedup_key) WHERE resolved_at IS NULL DO UPDATE SET
             occurrences = alerts.occurrences + 1, last_seen_at = excluded.last_seen_at,
             message = excluded.message, severity = excluded.severity
         RETURNING *",
    )
    .bind(new_id())
    .bind(a.connection_id)
    .bind(a.mapping_id)
    .bind(a.kind)
    .bind(a.severity)
    .bind(a.message)
    .bind(a.dedup_key)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// Raises an alert like [`raise`], except that an alert of the same key resolved less
/// than `cooldown_ms` ago is reopened (counted as a repeat) instead of starting a new
/// one, so a flapping condition is one alert, not many.
pub async fn raise_with_cooldown(
    db: &mut sqlx::SqliteConnection,
    a: &NewAlert<'_>,
    cooldown_ms: i64,
) -> StoreResult<Alert> {
    let now = now_ms();
    let open: Option<(String,)> =
        sqlx::query_as("SELECT id FROM alerts WHERE dedup_key = ? AND resolved_at IS NULL")
            .bind(a.dedup_key)
            .fetch_optional(&mut *db)
            .await?;
    if open.is_none() {
        let reopened: Option<Alert> = sqlx::query_as(
            "UPDATE alerts SET resolved_at = NULL, occurrences = occurrences + 1, last_seen_at = ?,
                 message = ?, severity = ?
             WHERE id = (SELECT id FROM alerts WHERE dedup_key = ? AND resolved_at >= ?
                         ORDER BY resolved_at DESC LIMIT 1)
             RETURNING *",
        )
        .bind(now)
        .bind(a.message)
        .bind(a.severity)
        .bind(a.dedup_key)
        .bind(now - cooldown_ms)
        .fetch_optional(&mut *db)
        .await?;
        if let Some(alert) = reopened {
            return Ok(alert);
        }
    }
    raise(&mut *db, a).await
}

/// Whether an alert with this key is open (raised and not resolved).
pub async fn is_open(db: impl SqliteExecutor<'_>, dedup_key: &str) -> StoreResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM alerts WHERE dedup_key = ? AND resolved_at IS NULL")
            .bind(dedup_key)
            .fetch_optional(db)
            .await?;
    Ok(row.is_some())
}

/// Open, unacknowledged alerts the user's channels have not heard of yet: never sent, or
/// seen again since the last send and last sent before `resend_before` (the cool-down).
pub async fn due_for_delivery(
    db: impl SqliteExecutor<'_>,
    resend_before: i64,
) -> StoreResult<Vec<Alert>> {
    Ok(sqlx::query_as(
        "SELECT * FROM alerts WHERE resolved_at IS NULL AND acknowledged_at IS NULL
             AND (notified_at IS NULL OR (notified_at < ? AND last_seen_at > notified_at))
         ORDER BY raised_at",
    )
    .bind(resend_before)
    .fetch_all(db)
    .await?)
}

pub async fn mark_notified(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE alerts SET notified_at = ? WHERE id = ?")
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Every alert seen since `since` (open, acknowledged or resolved), newest first.
pub async fn history(
    db: impl SqliteExecutor<'_>,
    since: i64,
    limit: i64,
) -> StoreResult<Vec<Alert>> {
    Ok(sqlx::query_as(
        "SELECT * FROM alerts WHERE last_seen_at >= ? ORDER BY last_seen_at DESC, id LIMIT ?",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Open alerts (not resolved), newest first; acknowledged ones only when asked.
pub async fn open(
    db: impl SqliteExecutor<'_>,
    include_acknowledged: bool,
) -> StoreResult<Vec<Alert>> {
    Ok(sqlx::query_as(
        "SELECT * FROM alerts WHERE resolved_at IS NULL AND (? OR acknowledged_at IS NULL)
         ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, last_seen_at DESC",
    )
    .bind(include_acknowledged)
    .fetch_all(db)
    .await?)
}

pub async fn count_open(db: impl SqliteExecutor<'_>) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM alerts WHERE resolved_at IS NULL AND acknowledged_at IS NULL",
    )
    .fetch_one(db)
    .await?;
    Ok(n)
}

pub async fn acknowledge(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?",
    )
    .bind(now_ms())
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "alert",
            id: id.into(),
        });
    }
    Ok(())
}

/// Resolves the open alert of a dedup key when its condition clears.
pub async fn resolve(db: impl SqliteExecutor<'_>, dedup_key: &str) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE alerts SET resolved_at = ? WHERE dedup_key = ? AND resolved_at IS NULL",
    )
    .bind(now_ms())
    .bind(dedup_key)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

//! `webhook_events`: deliveries received from providers, deduplicated by delivery id,
//! with whether the signature verified (refusals keep only their reason, never a body),
//! which run processed them, and how often a provider repeated one.

use crate::kinds::ProviderId;
use crate::{new_id, now_ms, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct WebhookEvent {
    pub id: i64,
    pub connection_id: Option<String>,
    pub provider: ProviderId,
    pub delivery_id: String,
    pub event_type: String,
    pub object: Option<String>,
    pub record_id: Option<String>,
    pub signature_valid: bool,
    pub payload: String,
    pub received_at: i64,
    pub processed_at: Option<i64>,
    pub run_id: Option<String>,
    /// Why the delivery was refused (only when `signature_valid` is false).
    pub rejection: Option<String>,
    /// The mapping a delivery to a generic endpoint is addressed to.
    pub mapping_id: Option<String>,
    /// Times the same delivery id arrived again after this one.
    pub duplicates: i64,
    pub last_duplicate_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewWebhookEvent<'a> {
    pub connection_id: Option<&'a str>,
    pub provider: ProviderId,
    pub delivery_id: &'a str,
    pub event_type: &'a str,
    pub object: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub signature_valid: bool,
    pub payload: &'a str,
}

/// Stores a delivery; returns `None` when this delivery id was already stored (a retry),
/// counting the repeat on the first row.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    e: &NewWebhookEvent<'_>,
) -> StoreResult<Option<i64>> {
    insert_for_mapping(db, e, None).await
}

/// [`insert`] for a delivery addressed to one mapping (a generic endpoint).
pub async fn insert_for_mapping(
    db: impl SqliteExecutor<'_>,
    e: &NewWebhookEvent<'_>,
    mapping_id: Option<&str>,
) -> StoreResult<Option<i64>> {
    let now = now_ms();
    let (id, duplicates): (i64, i64) = sqlx::query_as(
        "INSERT INTO webhook_events (connection_id, provider, delivery_id, event_type, object, record_id,
             signature_valid, payload, received_at, mapping_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider, delivery_id) DO UPDATE
             SET duplicates = duplicates + 1, last_duplicate_at = excluded.received_at
         RETURNING id, duplicates",
    )
    .bind(e.connection_id)
    .bind(e.provider)
    .bind(e.delivery_id)
    .bind(e.event_type)
    .bind(e.object)
    .bind(e.record_id)
    .bind(e.signature_valid)
    .bind(e.payload)
    .bind(now)
    .bind(mapping_id)
    .fetch_one(db)
    .await?;
    Ok((duplicates == 0).then_some(id))
}

/// Records a refused delivery: the provider and the reason only.
pub async fn insert_rejected(
    db: impl SqliteExecutor<'_>,
    provider: ProviderId,
    reason: &str,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO webhook_events (provider, delivery_id, event_type, signature_valid, payload, received_at, rejection)
         VALUES (?, ?, 'rejected', 0, '', ?, ?) RETURNING id",
    )
    .bind(provider)
    .bind(format!("rejected:{}", new_id()))
    .bind(now_ms())
    .bind(reason)
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Verified, unprocessed deliveries, oldest first.
pub async fn pending(db: impl SqliteExecutor<'_>, limit: i64) -> StoreResult<Vec<WebhookEvent>> {
    Ok(sqlx::query_as("SELECT * FROM webhook_events WHERE processed_at IS NULL AND signature_valid = 1 ORDER BY received_at, id LIMIT ?")
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// Verified, unprocessed deliveries with an id above `after_id`, oldest first (what a
/// dispatcher has not picked up yet).
pub async fn pending_after(
    db: impl SqliteExecutor<'_>,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<WebhookEvent>> {
    Ok(sqlx::query_as("SELECT * FROM webhook_events WHERE processed_at IS NULL AND signature_valid = 1 AND id > ? ORDER BY id LIMIT ?")
        .bind(after_id)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

pub async fn get(db: impl SqliteExecutor<'_>, id: i64) -> StoreResult<Option<WebhookEvent>> {
    Ok(sqlx::query_as("SELECT * FROM webhook_events WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?)
}

pub async fn mark_processed(
    db: impl SqliteExecutor<'_>,
    id: i64,
    run_id: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("UPDATE webhook_events SET processed_at = ?, run_id = ? WHERE id = ?")
        .bind(now_ms())
        .bind(run_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Refused deliveries received since `since_ms`.
pub async fn count_rejected(db: impl SqliteExecutor<'_>, since_ms: i64) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM webhook_events WHERE signature_valid = 0 AND received_at >= ?",
    )
    .bind(since_ms)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// What arrived since a moment, for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    /// Verified deliveries first received in the window.
    pub received: i64,
    /// Refused deliveries in the window.
    pub rejected: i64,
    /// Repeats of a stored delivery id, counted on deliveries last repeated in the window.
    pub duplicates: i64,
    /// Verified deliveries not processed yet (whenever received).
    pub pending: i64,
    pub last_received_at: Option<i64>,
    pub last_rejected_at: Option<i64>,
}

pub async fn counts(db: impl SqliteExecutor<'_>, since_ms: i64) -> StoreResult<Counts> {
    Ok(sqlx::query_as(
        "SELECT
             COALESCE(SUM(signature_valid = 1 AND received_at >= ?1), 0) AS received,
             COALESCE(SUM(signature_valid = 0 AND received_at >= ?1), 0) AS rejected,
             COALESCE(SUM(CASE WHEN last_duplicate_at >= ?1 THEN duplicates ELSE 0 END), 0) AS duplicates,
             COALESCE(SUM(signature_valid = 1 AND processed_at IS NULL), 0) AS pending,
             MAX(CASE WHEN signature_valid = 1 THEN received_at END) AS last_received_at,
             MAX(CASE WHEN signature_valid = 0 THEN received_at END) AS last_rejected_at
         FROM webhook_events",
    )
    .bind(since_ms)
    .fetch_one(db)
    .await?)
}

/// Forgets processed and refused deliveries received before `before_ms` (pending ones stay).
pub async fn prune(db: impl SqliteExecutor<'_>, before_ms: i64) -> StoreResult<u64> {
    let done = sqlx::query(
        "DELETE FROM webhook_events WHERE received_at < ? AND (processed_at IS NOT NULL OR signature_valid = 0)",
    )
    .bind(before_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

//! `webhook_events`: deliveries received from providers, deduplicated by delivery id,
//! with whether the signature verified and which run processed them.

use crate::kinds::ProviderId;
use crate::{now_ms, StoreResult};
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

/// Stores a delivery; returns `None` when this delivery id was already stored (a retry).
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    e: &NewWebhookEvent<'_>,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO webhook_events (connection_id, provider, delivery_id, event_type, object, record_id, signature_valid, payload, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, delivery_id) DO NOTHING RETURNING id",
    )
    .bind(e.connection_id)
    .bind(e.provider)
    .bind(e.delivery_id)
    .bind(e.event_type)
    .bind(e.object)
    .bind(e.record_id)
    .bind(e.signature_valid)
    .bind(e.payload)
    .bind(now_ms())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Verified, unprocessed deliveries, oldest first.
pub async fn pending(db: impl SqliteExecutor<'_>, limit: i64) -> StoreResult<Vec<WebhookEvent>> {
    Ok(sqlx::query_as("SELECT * FROM webhook_events WHERE processed_at IS NULL AND signature_valid = 1 ORDER BY received_at, id LIMIT ?")
        .bind(limit)
        .fetch_all(db)
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

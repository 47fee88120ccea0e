//! `outbox_batches`: a batch of writes recorded as one intent before it is sent. Its
//! answers settle it (the batch row is deleted in the transaction that stores them);
//! one left by an interrupted run is turned into per-record `outbox` intents in state
//! `sent` (`explode`) for the next run to reconcile.

use crate::kinds::OutboxOp;
use crate::tables::outbox;
use crate::{now_ms, StoreError, StoreResult};
use serde::Deserialize;
use sqlx::SqliteExecutor;

/// One record of a batch: the record read, the record written (updates) and the values
/// sent (the engine's base JSON of the record, kept as text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchItem<'a> {
    pub source_id: &'a str,
    pub target_id: Option<&'a str>,
    pub payload: &'a str,
}

#[derive(Debug, Clone)]
pub struct NewBatch<'a> {
    pub run_id: &'a str,
    pub mapping_id: &'a str,
    pub connection_id: &'a str,
    pub object: &'a str,
    pub operation: OutboxOp,
    /// `fwd` (to the target) or `back` (a two-way run's write back to the source).
    pub way: &'a str,
}

/// A batch as stored, its items parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub id: i64,
    pub run_id: String,
    pub mapping_id: String,
    pub connection_id: String,
    pub object: String,
    pub operation: OutboxOp,
    pub way: String,
    pub items: Vec<Item>,
    pub created_at: i64,
}

/// One record of a stored batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub source_id: String,
    pub target_id: Option<String>,
    pub payload: String,
}

#[derive(Deserialize)]
struct StoredItem {
    s: String,
    t: Option<String>,
    v: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    run_id: String,
    mapping_id: String,
    connection_id: String,
    object: String,
    operation: OutboxOp,
    way: String,
    items: String,
    created_at: i64,
}

/// The items as stored: `[{"s":…,"t":…,"v":…}, …]`, each payload a JSON string, so
/// it comes back byte for byte (its digest is part of the item's idempotency key).
fn items_json(items: &[BatchItem<'_>]) -> StoreResult<String> {
    let text = |s: &str| serde_json::to_string(s).map_err(StoreError::json("batch item id"));
    let mut out = String::with_capacity(items.iter().map(|i| i.payload.len() + 64).sum());
    out.push('[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str("{\"s\":");
        out.push_str(&text(item.source_id)?);
        out.push_str(",\"t\":");
        match item.target_id {
            Some(t) => out.push_str(&text(t)?),
            None => out.push_str("null"),
        }
        out.push_str(",\"v\":");
        out.push_str(&text(item.payload)?);
        out.push('}');
    }
    out.push(']');
    Ok(out)
}

/// Records a batch (the table checks the items are valid JSON); returns its id.
pub async fn record(
    db: impl SqliteExecutor<'_>,
    batch: &NewBatch<'_>,
    items: &[BatchItem<'_>],
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox_batches (run_id, mapping_id, connection_id, object, operation, way, items, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(batch.run_id)
    .bind(batch.mapping_id)
    .bind(batch.connection_id)
    .bind(batch.object)
    .bind(batch.operation.as_str())
    .bind(batch.way)
    .bind(items_json(items)?)
    .bind(now_ms())
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Deletes a batch whose answers are stored.
pub async fn settle(db: impl SqliteExecutor<'_>, id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM outbox_batches WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The batches of a mapping not settled, oldest first: what interrupted runs left.
pub async fn open(db: impl SqliteExecutor<'_>, mapping_id: &str) -> StoreResult<Vec<Batch>> {
    let rows: Vec<Row> =
        sqlx::query_as("SELECT * FROM outbox_batches WHERE mapping_id = ? ORDER BY id")
            .bind(mapping_id)
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|r| {
            let items: Vec<StoredItem> =
                serde_json::from_str(&r.items).map_err(StoreError::json("batch items"))?;
            Ok(Batch {
                id: r.id,
                run_id: r.run_id,
                mapping_id: r.mapping_id,
                connection_id: r.connection_id,
                object: r.object,
                operation: r.operation,
                way: r.way,
                items: items
                    .into_iter()
                    .map(|i| Item {
                        source_id: i.s,
                        target_id: i.t,
                        payload: i.v,
                    })
                    .collect(),
                created_at: r.created_at,
            })
        })
        .collect()
}

/// Turns a batch left unsettled into one `outbox` intent per item, in state `sent` and
/// dated when the batch was recorded, and deletes it. `keys` are the items'
/// idempotency keys, in order.
pub async fn explode(
    db: &mut sqlx::SqliteConnection,
    batch: &Batch,
    keys: &[String],
) -> StoreResult<()> {
    if keys.len() != batch.items.len() {
        return Err(StoreError::BadValue {
            column: "outbox_batches.items",
            value: format!(
                "batch {} has {} items but {} keys were given",
                batch.id,
                batch.items.len(),
                keys.len()
            ),
        });
    }
    let intents: Vec<outbox::NewIntent<'_>> = batch
        .items
        .iter()
        .zip(keys)
        .map(|(item, key)| outbox::NewIntent {
            run_id: &batch.run_id,
            mapping_id: &batch.mapping_id,
            connection_id: &batch.connection_id,
            object: &batch.object,
            operation: batch.operation,
            source_id: Some(&item.source_id),
            target_id: item.target_id.as_deref(),
            idempotency_key: key,
            payload: &item.payload,
        })
        .collect();
    outbox::record_many_at(&mut *db, &intents, true, batch.created_at).await?;
    settle(&mut *db, batch.id).await
}

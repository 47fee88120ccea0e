//! `links`: the identity map. Pairs a source record with a target record for one
//! mapping and keeps the mapped values as last synced (the base).

use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Link {
    pub id: i64,
    pub mapping_id: String,
    pub source_id: String,
    pub target_id: String,
    /// JSON object of mapped field values as last written to both sides.
    pub base: String,
    pub pinned: bool,
    pub source_modified_at: Option<i64>,
    pub target_modified_at: Option<i64>,
    pub last_synced_at: i64,
    pub last_run_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LinkUpsert<'a> {
    pub mapping_id: &'a str,
    pub source_id: &'a str,
    pub target_id: &'a str,
    pub base: &'a str,
    pub source_modified_at: Option<i64>,
    pub target_modified_at: Option<i64>,
    pub run_id: Option<&'a str>,
}

/// Creates the pair or refreshes its base. A pinned pair keeps its ids.
pub async fn upsert(db: impl SqliteExecutor<'_>, link: &LinkUpsert<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO links (mapping_id, source_id, target_id, base, source_modified_at, target_modified_at, last_synced_at, last_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mapping_id, source_id) DO UPDATE SET
             target_id = CASE WHEN links.pinned = 1 THEN links.target_id ELSE excluded.target_id END,
             base = excluded.base, source_modified_at = excluded.source_modified_at,
             target_modified_at = excluded.target_modified_at, last_synced_at = excluded.last_synced_at,
             last_run_id = excluded.last_run_id",
    )
    .bind(link.mapping_id)
    .bind(link.source_id)
    .bind(link.target_id)
    .bind(link.base)
    .bind(link.source_modified_at)
    .bind(link.target_modified_at)
    .bind(now_ms())
    .bind(link.run_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Rows per multi-row statement: 8 bound values each stays far below SQLite's 32,766.
const ROWS_PER_STATEMENT: usize = 1000;

/// `upsert` for a batch, a statement per thousand pairs.
pub async fn upsert_many(
    db: &mut sqlx::SqliteConnection,
    links: &[LinkUpsert<'_>],
) -> StoreResult<()> {
    let now = now_ms();
    for chunk in links.chunks(ROWS_PER_STATEMENT) {
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO links (mapping_id, source_id, target_id, base, source_modified_at,
                 target_modified_at, last_synced_at, last_run_id) ",
        );
        qb.push_values(chunk, |mut row, l| {
            row.push_bind(l.mapping_id)
                .push_bind(l.source_id)
                .push_bind(l.target_id)
                .push_bind(l.base)
                .push_bind(l.source_modified_at)
                .push_bind(l.target_modified_at)
                .push_bind(now)
                .push_bind(l.run_id);
        });
        qb.push(
            " ON CONFLICT (mapping_id, source_id) DO UPDATE SET
                 target_id = CASE WHEN links.pinned = 1 THEN links.target_id ELSE excluded.target_id END,
                 base = excluded.base, source_modified_at = excluded.source_modified_at,
                 target_modified_at = excluded.target_modified_at, last_synced_at = excluded.last_synced_at,
                 last_run_id = excluded.last_run_id",
        );
        qb.build().execute(&mut *db).await?;
    }
    Ok(())
}

/// Links for a batch of source ids (one query per page, not per record).
pub async fn by_source_ids(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    source_ids: &[String],
) -> StoreResult<Vec<Link>> {
    by_ids(db, mapping_id, "source_id", source_ids).await
}

pub async fn by_target_ids(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    target_ids: &[String],
) -> StoreResult<Vec<Link>> {
    by_ids(db, mapping_id, "target_id", target_ids).await
}

async fn by_ids(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    column: &'static str,
    ids: &[String],
) -> StoreResult<Vec<Link>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // json_each keeps this one bound parameter however many ids a page has.
    let sql = format!(
        "SELECT * FROM links WHERE mapping_id = ? AND {column} IN (SELECT value FROM json_each(?))"
    );
    let ids = serde_json::to_string(ids).map_err(crate::StoreError::json("links ids"))?;
    Ok(sqlx::query_as(&sql)
        .bind(mapping_id)
        .bind(ids)
        .fetch_all(db)
        .await?)
}

/// Every source id (or every target id, when `target`) linked by a mapping.
pub async fn all_ids(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    target: bool,
) -> StoreResult<Vec<String>> {
    let sql = if target {
        "SELECT target_id FROM links WHERE mapping_id = ? ORDER BY target_id"
    } else {
        "SELECT source_id FROM links WHERE mapping_id = ? ORDER BY source_id"
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).bind(mapping_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Search by either id, for the identity-map browser.
pub async fn search(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    needle: &str,
    limit: i64,
) -> StoreResult<Vec<Link>> {
    let pattern = format!("%{}%", needle.replace('%', "\\%").replace('_', "\\_"));
    Ok(sqlx::query_as(
        "SELECT * FROM links WHERE mapping_id = ? AND (source_id LIKE ? ESCAPE '\\' OR target_id LIKE ? ESCAPE '\\')
         ORDER BY last_synced_at DESC LIMIT ?",
    )
    .bind(mapping_id)
    .bind(&pattern)
    .bind(&pattern)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

pub async fn count(db: impl SqliteExecutor<'_>, mapping_id: &str) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM links WHERE mapping_id = ?")
        .bind(mapping_id)
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Pins a pair chosen by hand, replacing any link either record had.
pub async fn pin(
    db: &mut sqlx::SqliteConnection,
    mapping_id: &str,
    source_id: &str,
    target_id: &str,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM links WHERE mapping_id = ? AND (source_id = ? OR target_id = ?)")
        .bind(mapping_id)
        .bind(source_id)
        .bind(target_id)
        .execute(&mut *db)
        .await?;
    sqlx::query("INSERT INTO links (mapping_id, source_id, target_id, pinned, last_synced_at) VALUES (?, ?, ?, 1, ?)")
        .bind(mapping_id)
        .bind(source_id)
        .bind(target_id)
        .bind(now_ms())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Replaces the base of a pair (settling a conflict by hand).
pub async fn set_base(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    source_id: &str,
    base: &str,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE links SET base = ? WHERE mapping_id = ? AND source_id = ?")
        .bind(base)
        .bind(mapping_id)
        .bind(source_id)
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::NotFound {
            what: "link",
            id: source_id.into(),
        });
    }
    Ok(())
}

pub async fn unlink(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    source_id: &str,
) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM links WHERE mapping_id = ? AND source_id = ?")
        .bind(mapping_id)
        .bind(source_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

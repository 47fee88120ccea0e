//! `connections`: one row per connected account (tokens live in `secrets`).

use crate::kinds::{AuthKind, Backoff, ConnectionStatus, Environment, ProviderId};
use crate::{new_id, now_ms, StoreError, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Connection {
    pub id: String,
    pub provider: ProviderId,
    pub label: String,
    pub environment: Environment,
    pub auth_kind: AuthKind,
    pub status: ConnectionStatus,
    pub status_message: Option<String>,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub user_name: Option<String>,
    pub instance_url: Option<String>,
    pub scopes: Option<String>,
    pub token_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_checked_at: Option<i64>,
    pub backoff: Backoff,
}

/// What is known when an account is first connected.
#[derive(Debug, Clone)]
pub struct NewConnection {
    pub provider: ProviderId,
    pub label: String,
    pub environment: Environment,
    pub auth_kind: AuthKind,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub user_name: Option<String>,
    pub instance_url: Option<String>,
    pub scopes: Option<String>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, new: &NewConnection) -> StoreResult<Connection> {
    let now = now_ms();
    let row = sqlx::query_as(
        "INSERT INTO connections (id, provider, label, environment, auth_kind, account_id, account_name,
             user_name, instance_url, scopes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(new_id())
    .bind(new.provider)
    .bind(&new.label)
    .bind(new.environment)
    .bind(new.auth_kind)
    .bind(&new.account_id)
    .bind(&new.account_name)
    .bind(&new.user_name)
    .bind(&new.instance_url)
    .bind(&new.scopes)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(row)
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<Connection> {
    sqlx::query_as("SELECT * FROM connections WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "connection",
            id: id.into(),
        })
}

pub async fn list(db: impl SqliteExecutor<'_>) -> StoreResult<Vec<Connection>> {
    Ok(
        sqlx::query_as("SELECT * FROM connections ORDER BY created_at, id")
            .fetch_all(db)
            .await?,
    )
}

/// Records the outcome of a check or refresh: status, a human sentence, when.
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    id: &str,
    status: ConnectionStatus,
    message: Option<&str>,
) -> StoreResult<()> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE connections SET status = ?, status_message = ?, last_checked_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(status)
    .bind(message)
    .bind(now)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    found(done.rows_affected(), id)
}

pub async fn set_token_expiry(
    db: impl SqliteExecutor<'_>,
    id: &str,
    expires_at: Option<i64>,
) -> StoreResult<()> {
    let done =
        sqlx::query("UPDATE connections SET token_expires_at = ?, updated_at = ? WHERE id = ?")
            .bind(expires_at)
            .bind(now_ms())
            .bind(id)
            .execute(db)
            .await?;
    found(done.rows_affected(), id)
}

/// Records who is connected (after a connection test or a reconnect).
pub async fn set_identity(
    db: impl SqliteExecutor<'_>,
    id: &str,
    account_id: Option<&str>,
    account_name: Option<&str>,
    user_name: Option<&str>,
    instance_url: Option<&str>,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE connections SET account_id = ?, account_name = ?, user_name = ?, instance_url = COALESCE(?, instance_url), updated_at = ? WHERE id = ?",
    )
    .bind(account_id)
    .bind(account_name)
    .bind(user_name)
    .bind(instance_url)
    .bind(now_ms())
    .bind(id)
    .execute(db)
    .await?;
    found(done.rows_affected(), id)
}

pub async fn set_backoff(
    db: impl SqliteExecutor<'_>,
    id: &str,
    backoff: Backoff,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE connections SET backoff = ?, updated_at = ? WHERE id = ?")
        .bind(backoff)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    found(done.rows_affected(), id)
}

pub async fn rename(db: impl SqliteExecutor<'_>, id: &str, label: &str) -> StoreResult<()> {
    let done = sqlx::query("UPDATE connections SET label = ?, updated_at = ? WHERE id = ?")
        .bind(label)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    found(done.rows_affected(), id)
}

/// Deletes the connection; its secrets, mappings, links and cache go with it (cascade).
pub async fn delete(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM connections WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    found(done.rows_affected(), id)
}

fn found(rows: u64, id: &str) -> StoreResult<()> {
    if rows == 0 {
        return Err(StoreError::NotFound {
            what: "connection",
            id: id.into(),
        });
    }
    Ok(())
}

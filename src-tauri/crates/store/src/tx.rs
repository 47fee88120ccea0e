//! Write transactions. SQLite's plain `BEGIN` is deferred: it starts as a reader and asks
//! for the write lock at its first write. If another connection committed in between,
//! that upgrade fails at once with SQLITE_BUSY_SNAPSHOT (517, "database is locked") —
//! the read snapshot is stale, and the busy timeout cannot wait it out. Every
//! transaction that writes therefore begins with `BEGIN IMMEDIATE`, which takes the write
//! lock up front and waits for it under the busy timeout like any single statement.
//! Readers never need a transaction (WAL gives each statement a consistent snapshot).

use crate::StoreResult;
use sqlx::{Sqlite, SqlitePool, Transaction};

/// Begins a transaction that holds the write lock from its first statement.
pub async fn begin_write(pool: &SqlitePool) -> StoreResult<Transaction<'static, Sqlite>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
    use std::time::Duration;

    /// The stale-snapshot upgrade that a deferred `BEGIN` hits, and that `begin_write`
    /// avoids by waiting for the lock instead.
    #[tokio::test]
    async fn a_read_then_write_transaction_survives_a_commit_in_between() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .unwrap();
        let exec = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query(sql).execute(&pool).await.map(|_| ()) }
        };
        exec("CREATE TABLE t (n INTEGER)").await.unwrap();

        // Deferred: read, someone else commits, write → 517.
        let mut tx = pool.begin().await.unwrap();
        let _: (i64,) = sqlx::query_as("SELECT count(*) FROM t")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        exec("INSERT INTO t VALUES (1)").await.unwrap();
        let upgrade = sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut *tx)
            .await;
        let code = upgrade.err().and_then(|e| {
            e.as_database_error()
                .and_then(|d| d.code().map(|c| c.into_owned()))
        });
        assert_eq!(code.as_deref(), Some("517"));
        drop(tx);

        // Immediate: the other writer waits for the commit instead.
        let mut tx = begin_write(&pool).await.unwrap();
        let _: (i64,) = sqlx::query_as("SELECT count(*) FROM t")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let other = tokio::spawn(exec("INSERT INTO t VALUES (3)"));
        tokio::time::sleep(Duration::from_millis(50)).await;
        sqlx::query("INSERT INTO t VALUES (4)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        other.await.unwrap().unwrap();
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 3);
    }
}

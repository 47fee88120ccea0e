//! The TTL read cache for metadata and look-ups (`moka`): per-kind lifetimes (the seed's
//! defaults: leads 300 s, opportunities 600 s, accounts 1800 s, reports 3600 s, schema
//! descriptions 3600 s), invalidation by time, by writes and webhook events (per kind or
//! key) and by hand ("clear cache"), with hit and miss counts for the dashboard.
//! Concurrent misses on one key share one fetch.

use moka::future::Cache;
use moka::Expiry;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub connection: String,
    pub kind: String,
    pub key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Hit,
    Miss,
}

#[derive(Debug, Clone)]
struct KindTtl {
    ttls: Arc<HashMap<String, Duration>>,
    fallback: Duration,
}

impl Expiry<CacheKey, serde_json::Value> for KindTtl {
    fn expire_after_create(
        &self,
        key: &CacheKey,
        _value: &serde_json::Value,
        _now: Instant,
    ) -> Option<Duration> {
        Some(self.ttls.get(&key.kind).copied().unwrap_or(self.fallback))
    }
}

/// The documented default lifetimes, by kind.
pub fn default_ttls() -> HashMap<String, Duration> {
    [
        ("lead", 300),
        ("leads", 300),
        ("opportunity", 600),
        ("opportunities", 600),
        ("account", 1800),
        ("accounts", 1800),
        ("report", 3600),
        ("reports", 3600),
        ("describe", 3600),
    ]
    .into_iter()
    .map(|(k, s)| (k.to_owned(), Duration::from_secs(s)))
    .collect()
}

#[derive(Debug, Clone)]
pub struct ReadCache {
    entries: Cache<CacheKey, serde_json::Value>,
    hits: Arc<AtomicU64>,
    misses: Arc<AtomicU64>,
}

impl ReadCache {
    pub fn new(max_entries: u64, ttls: HashMap<String, Duration>, fallback: Duration) -> Self {
        let expiry = KindTtl {
            ttls: Arc::new(ttls),
            fallback,
        };
        Self {
            entries: Cache::builder()
                .max_capacity(max_entries)
                .expire_after(expiry)
                .support_invalidation_closures()
                .build(),
            hits: Arc::default(),
            misses: Arc::default(),
        }
    }

    /// The cached value, or the result of `fetch` (cached when it succeeds).
    pub async fn get_or_fetch<E, F>(
        &self,
        key: CacheKey,
        fetch: F,
    ) -> Result<(serde_json::Value, Lookup), Arc<E>>
    where
        F: Future<Output = Result<serde_json::Value, E>>,
        E: Send + Sync + 'static,
    {
        let fetched = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = fetched.clone();
        let value = self
            .entries
            .try_get_with(key, async move {
                flag.store(true, Ordering::Relaxed);
                fetch.await
            })
            .await?;
        let lookup = if fetched.load(Ordering::Relaxed) {
            Lookup::Miss
        } else {
            Lookup::Hit
        };
        match lookup {
            Lookup::Hit => self.hits.fetch_add(1, Ordering::Relaxed),
            Lookup::Miss => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        Ok((value, lookup))
    }

    /// A cached value, counted as a hit; `None` (not counted) when absent.
    pub async fn peek(&self, key: &CacheKey) -> Option<serde_json::Value> {
        let value = self.entries.get(key).await;
        if value.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        value
    }

    /// Stores a value fetched after `peek` missed, counted as a miss.
    pub async fn put(&self, key: CacheKey, value: serde_json::Value) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        self.entries.insert(key, value).await;
    }

    /// Drops one key, or every key of a kind on a connection (`key = None`).
    pub fn invalidate(&self, connection: &str, kind: &str, key: Option<&str>) {
        let (connection, kind, key) = (
            connection.to_owned(),
            kind.to_owned(),
            key.map(str::to_owned),
        );
        let dropped = self.entries.invalidate_entries_if(move |k, _| {
            k.connection == connection && k.kind == kind && key.as_ref().is_none_or(|x| *x == k.key)
        });
        if let Err(e) = dropped {
            tracing::warn!("cache invalidation refused: {e}");
        }
    }

    /// The "clear cache" action.
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }

    /// (hits, misses) since start.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: &str, key: &str) -> CacheKey {
        CacheKey {
            connection: "c1".into(),
            kind: kind.into(),
            key: key.into(),
        }
    }

    async fn fetch(v: i64) -> Result<serde_json::Value, String> {
        Ok(serde_json::json!(v))
    }

    #[tokio::test]
    async fn hits_misses_ttl_and_invalidation() {
        let mut ttls = default_ttls();
        ttls.insert("short".into(), Duration::from_millis(50));
        let cache = ReadCache::new(1000, ttls, Duration::from_secs(60));
        assert_eq!(
            cache
                .get_or_fetch(key("lead", "Lead"), fetch(1))
                .await
                .map(|r| r.1)
                .ok(),
            Some(Lookup::Miss)
        );
        let (v, l) = cache
            .get_or_fetch(key("lead", "Lead"), fetch(2))
            .await
            .unwrap_or((serde_json::Value::Null, Lookup::Miss));
        assert_eq!((v, l), (serde_json::json!(1), Lookup::Hit));
        cache.get_or_fetch(key("short", "x"), fetch(3)).await.ok();
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(
            cache
                .get_or_fetch(key("short", "x"), fetch(4))
                .await
                .map(|r| r.1)
                .ok(),
            Some(Lookup::Miss),
            "expired by time"
        );
        cache.invalidate("c1", "lead", None);
        cache.entries.run_pending_tasks().await;
        assert_eq!(
            cache
                .get_or_fetch(key("lead", "Lead"), fetch(5))
                .await
                .map(|r| r.0)
                .ok(),
            Some(serde_json::json!(5)),
            "invalidated by a write"
        );
        cache.clear();
        cache.entries.run_pending_tasks().await;
        assert_eq!(
            cache
                .get_or_fetch(key("lead", "Lead"), fetch(6))
                .await
                .map(|r| r.1)
                .ok(),
            Some(Lookup::Miss)
        );
        assert_eq!(cache.counts(), (1, 5));
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        let cache = ReadCache::new(10, default_ttls(), Duration::from_secs(60));
        let failed = cache
            .get_or_fetch(key("describe", "Lead"), async {
                Err::<serde_json::Value, _>("503".to_owned())
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(
            cache
                .get_or_fetch(key("describe", "Lead"), fetch(7))
                .await
                .map(|r| r.1)
                .ok(),
            Some(Lookup::Miss)
        );
    }
}

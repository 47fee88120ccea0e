//! A sliding-window request counter: the shape of most provider rate limits
//! ("N per second / per 10 s / per minute"), keyed by whatever the provider limits on.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Window<K> {
    hits: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K: Eq + Hash + Clone> Default for Window<K> {
    fn default() -> Self {
        Self {
            hits: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone> Window<K> {
    /// Counts a hit for `key` unless `limit` hits already fell within `span`; returns
    /// `Ok(remaining)` after counting, or `Err(retry_after)` when over the limit.
    pub fn hit(&self, key: &K, limit: u32, span: Duration) -> Result<u32, Duration> {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let q = hits.entry(key.clone()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= span) {
            q.pop_front();
        }
        if q.len() >= limit as usize {
            let oldest = q.front().copied().unwrap_or(now);
            return Err(span.saturating_sub(now.duration_since(oldest)));
        }
        q.push_back(now);
        Ok(limit - q.len() as u32)
    }

    pub fn clear(&self) {
        self.hits.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_with_a_wait() {
        let w = Window::<&str>::default();
        let span = Duration::from_secs(10);
        assert_eq!(w.hit(&"a", 2, span), Ok(1));
        assert_eq!(w.hit(&"a", 2, span), Ok(0));
        let wait = w.hit(&"a", 2, span).err().unwrap_or_default();
        assert!(wait > Duration::from_secs(9) && wait <= span, "{wait:?}");
        assert_eq!(w.hit(&"b", 2, span), Ok(1), "keys are independent");
    }
}

//! Request statistics per method, route template and status, for tests and benchmarks
//! ("how many calls did that sync make?").

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    pub method: String,
    pub route: String,
    pub status: u16,
    pub count: u64,
}

#[derive(Debug, Default)]
pub struct Stats {
    counts: Mutex<BTreeMap<(String, String, u16), u64>>,
}

impl Stats {
    pub fn record(&self, method: &str, route: &str, status: u16) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
    }

    pub fn rows(&self) -> Vec<StatRow> {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts
            .iter()
            .map(|((method, route, status), count)| StatRow {
                method: method.clone(),
                route: route.clone(),
                status: *status,
                count: *count,
            })
            .collect()
    }

    pub fn clear(&self) {
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

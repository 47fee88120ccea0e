//! Query cursors behind `nextRecordsUrl`: the matching ids of a query, kept so later
//! batches are served by position. Like Salesforce, a user holds a bounded number of open
//! cursors and opening one more releases the oldest (its locator then fails with
//! INVALID_QUERY_LOCATOR).

use super::ids;
use super::soql::Plan;
use std::collections::VecDeque;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Cursor {
    pub plan: Arc<Plan>,
    pub ids: Arc<Vec<String>>,
    pub batch: usize,
}

#[derive(Debug, Default)]
pub struct Cursors {
    open: VecDeque<(String, Cursor)>,
    next: u64,
}

impl Cursors {
    /// Opens a cursor and returns its locator (`01g…`, 18 characters).
    pub fn open(&mut self, pod: &str, cursor: Cursor, max: usize) -> String {
        self.next += 1;
        let locator = ids::make("01g", pod, self.next);
        self.open.push_back((locator.clone(), cursor));
        while self.open.len() > max.max(1) {
            self.open.pop_front();
        }
        locator
    }

    pub fn get(&self, locator: &str) -> Option<Cursor> {
        self.open
            .iter()
            .find(|(l, _)| l == locator)
            .map(|(_, c)| c.clone())
    }
}

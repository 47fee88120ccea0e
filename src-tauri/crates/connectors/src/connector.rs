//! The connector contract the sync engine reads and writes through, one implementation
//! per provider folder: discover objects and fields, read changed records page by page
//! from a cursor, look records up in batches by a match key, and write in the provider's
//! batch shape with one result per record. Every call goes through the connection's
//! `AuthedClient` (token refresh) and client stack (limits, retries, breaker, metrics).

use crate::cursor::Cursor;
use crate::schema::{ObjectSpec, ObjectSummary};
use crate::value::{Record, Value};
use std::collections::BTreeMap;
use switchyard_store::kinds::ProviderId;

pub use crate::batch::{CALL_FAILED, NOT_SENT};
pub use crate::connector_error::{ConnectorError, RecordError};

/// What to read: every field named, records changed since the cursor (or all of them),
/// continuing from a page token the previous page handed out.
#[derive(Debug, Clone, Default)]
pub struct ReadRequest {
    pub fields: Vec<String>,
    /// `None` reads everything (a full read).
    pub since: Option<Cursor>,
    pub page: Option<String>,
    /// Also return deleted / archived / inactive records (marked `archived`).
    pub include_archived: bool,
    /// Ask for at most this many records on the page (a preview's handful); the
    /// provider's own minimum page size still applies.
    pub limit: Option<usize>,
}

impl ReadRequest {
    /// Points this request at what follows a page whose answer was `next`, `cursor`
    /// having been advanced over its records; `false` when the read is done.
    pub fn follow(&mut self, next: Next, cursor: &Cursor) -> bool {
        match next {
            Next::Page(token) => self.page = Some(token),
            Next::Requery => {
                self.page = None;
                self.since = Some(cursor.clone());
            }
            Next::Done => return false,
        }
        true
    }

    /// The page size to ask for: the connector's, or less when `limit` says so.
    pub fn page_size(&self, connector_page: usize) -> usize {
        self.limit
            .map_or(connector_page, |l| l.clamp(1, connector_page))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// More pages: pass this token back.
    Page(String),
    /// Read again from the cursor advanced over what was returned, without a token
    /// (keyset paging: each page a fresh query anchored on the last one).
    Requery,
    Done,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub records: Vec<Record>,
    pub next: Next,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    Create,
    /// By the record's id (`WriteRow::id`); QuickBooks also needs `version`.
    Update,
    /// Create or update by a unique / external-id field.
    Upsert {
        key_field: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRow<'a> {
    pub id: Option<String>,
    /// QuickBooks `SyncToken` for updates.
    pub version: Option<String>,
    /// Borrowed from the engine's decision when it has them (no copy per record sent).
    pub fields: std::borrow::Cow<'a, BTreeMap<String, Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: String,
    pub created: bool,
    pub version: Option<String>,
}

/// One result per input row, in input order.
pub type WriteResult = Result<Written, RecordError>;

#[async_trait::async_trait]
pub trait Connector: Send + Sync + std::fmt::Debug {
    fn provider(&self) -> ProviderId;

    /// Requests this connector has sent (its client's count; a run's starts at zero).
    fn calls(&self) -> u64;

    /// Largest page a read asks for, and largest batch a write sends.
    fn page_size(&self) -> usize;
    fn batch_size(&self) -> usize;

    /// How far before the stored cursor an incremental read starts, so records the
    /// provider showed late (search indexing, long transactions, clock skew) are read.
    fn read_lookback(&self) -> chrono::Duration;

    /// The objects Switchyard syncs on this provider.
    async fn objects(&self) -> Result<Vec<ObjectSummary>, ConnectorError>;

    /// Every field of `object` (cached by the read cache: one call per hour at most).
    async fn describe(&self, object: &str) -> Result<ObjectSpec, ConnectorError>;

    /// One page of records, oldest change first.
    async fn read(&self, spec: &ObjectSpec, request: &ReadRequest) -> Result<Page, ConnectorError>;

    /// Live records whose `field` equals one of `values`, in as few calls as the provider
    /// allows (values are compared exactly; e-mail look-ups case-insensitively).
    async fn lookup(
        &self,
        spec: &ObjectSpec,
        field: &str,
        values: &[String],
        fields: &[String],
    ) -> Result<Vec<Record>, ConnectorError>;

    /// The current state of records by id, read from the provider now (never from the
    /// read cache), with their last-modified time and version: what a write about to
    /// land on them must be checked against. Ids that no longer exist are left out.
    async fn reread(
        &self,
        spec: &ObjectSpec,
        ids: &[String],
        fields: &[String],
    ) -> Result<Vec<Record>, ConnectorError>;

    /// Writes `rows` in batches; one result per row, in order. A whole-call failure (the
    /// provider down, the token revoked) is an `Err` and nothing is known to be written.
    async fn write(
        &self,
        spec: &ObjectSpec,
        op: &WriteOp,
        rows: &[WriteRow<'_>],
    ) -> Result<Vec<WriteResult>, ConnectorError>;

    /// Ids of records deleted (Salesforce, via `queryAll`), archived (HubSpot) or made
    /// inactive (QuickBooks customers) since `since`, or all of them when `None`.
    async fn deleted_since(
        &self,
        spec: &ObjectSpec,
        since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<String>, ConnectorError>;

    /// Archives (HubSpot), deletes (Salesforce) or deactivates (QuickBooks) records by id.
    async fn archive(
        &self,
        spec: &ObjectSpec,
        ids: &[String],
    ) -> Result<Vec<WriteResult>, ConnectorError>;
}

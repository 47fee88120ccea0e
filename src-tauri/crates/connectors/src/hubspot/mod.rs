//! HubSpot: who is connected, and the connector for contacts, companies, deals and
//! tickets over the CRM v3 API. OAuth tokens describe themselves
//! (`GET /oauth/v1/access-tokens/{token}`: hub id, domain, user); a pasted private-app or
//! service-key token is verified with the cheapest authenticated read instead.

mod codec;
pub mod describe;
mod page;
mod read;
mod reread;
mod write;

pub use read::SEARCH_MAX;
pub use write::MAX_BATCH;

use crate::api::Api;
use crate::connector::ConnectorError;
use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

/// Search has its own, lower limit: 5 requests per second per account (4 per token in
/// the changelog; unconfirmed, so configurable). The general limiter does not know it.
pub const SEARCH_PER_SECOND: u32 = 4;

#[derive(Debug, Clone)]
pub struct Hubspot {
    api: Api,
    base: String,
    page_size: usize,
    batch_size: usize,
    /// How far before the stored cursor an incremental read starts.
    read_lookback: chrono::Duration,
    /// `None`: searches are not spaced (see `with_search_rate`).
    search_limiter: Option<std::sync::Arc<governor::DefaultDirectRateLimiter>>,
}

fn search_limiter(per_second: u32) -> Option<std::sync::Arc<governor::DefaultDirectRateLimiter>> {
    if per_second == 0 {
        return None;
    }
    // Evenly spaced, no burst: HubSpot counts searches in a sliding second. The spacing
    // is 2 % wider than 1 s ÷ rate, so jitter on the way cannot put rate + 1 in a second.
    let period = std::time::Duration::from_micros(1_020_000 / u64::from(per_second));
    let quota = governor::Quota::with_period(period)
        .unwrap_or_else(|| governor::Quota::per_second(std::num::NonZeroU32::MIN));
    Some(std::sync::Arc::new(governor::RateLimiter::direct(quota)))
}

/// HubSpot search indexes a write seconds after it (the reference: "indexing lags by
/// seconds"); two minutes of look-back cover that and clock skew.
pub const READ_LOOKBACK_SECS: i64 = 120;

impl Hubspot {
    pub fn new(api: Api, api_base: &str) -> Self {
        Self {
            api,
            base: api_base.trim_end_matches('/').to_owned(),
            page_size: read::SEARCH_MAX,
            batch_size: write::MAX_BATCH,
            read_lookback: chrono::Duration::seconds(READ_LOOKBACK_SECS),
            search_limiter: search_limiter(SEARCH_PER_SECOND),
        }
    }

    /// Searches allowed per second on this account; 0 leaves them unspaced (a sandbox
    /// whose limits are off).
    pub fn with_search_rate(mut self, per_second: u32) -> Self {
        self.search_limiter = search_limiter(per_second);
        self
    }

    /// Waits for the search limit, then sends; the answer's body as it came.
    async fn search(&self, request: crate::api::Request) -> Result<bytes::Bytes, ConnectorError> {
        if let Some(limiter) = &self.search_limiter {
            limiter.until_ready().await;
        }
        Ok(self.api.send_raw(request).await?.body)
    }

    /// Page size (list pages hold ≤ 100, search pages ≤ 200) and batch size (≤ 100).
    /// How far before the stored cursor incremental reads start (0: none).
    pub fn with_read_lookback(mut self, window: chrono::Duration) -> Self {
        self.read_lookback = window.max(chrono::Duration::zero());
        self
    }

    pub fn with_sizes(mut self, page: usize, batch: usize) -> Self {
        self.page_size = page.clamp(1, read::SEARCH_MAX);
        self.batch_size = batch.clamp(1, write::MAX_BATCH);
        self
    }
}

crate::connector_impl::connector_impl!(
    Hubspot,
    ProviderId::Hubspot,
    objects = describe::objects,
    describe = describe::describe,
    read = read::read,
    lookup = read::lookup,
    reread = reread::reread,
    write = write::write,
    deleted_since = read::deleted_since,
    archive = write::archive
);

pub async fn identity(
    stack: &Stack,
    api_base: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let base = api_base.trim_end_matches('/');
    if !token.expose().starts_with("pat-") {
        let url = format!("{base}/oauth/v1/access-tokens/{}", token.expose());
        let info = authed_json(
            stack,
            Method::GET,
            &url,
            "/oauth/v1/access-tokens/{token}",
            token,
        )
        .await?;
        let hub =
            text(&info, "/hub_id").ok_or_else(|| IdentityError::Unexpected("no hub_id".into()))?;
        let name = text(&info, "/hub_domain").unwrap_or_else(|| format!("HubSpot portal {hub}"));
        return Ok(Identity {
            account_id: Some(hub),
            account_name: name,
            user_name: text(&info, "/user"),
        });
    }
    // Private-app / service-key tokens: one page of one contact proves the token works.
    authed_json(
        stack,
        Method::GET,
        &format!("{base}/crm/v3/objects/contacts?limit=1"),
        "/crm/v3/objects/contacts",
        token,
    )
    .await?;
    Ok(Identity {
        account_id: None,
        account_name: "HubSpot (private app)".into(),
        user_name: None,
    })
}

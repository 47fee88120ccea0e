//! Salesforce: who is connected (OpenID Connect userinfo on the instance host) and the
//! connector for Lead, Contact, Account and Opportunity over the REST API.

mod codec;
pub mod describe;
mod read;
mod write;

pub use read::{quote, LOOKUP_CHUNK};
pub use write::MAX_BATCH;

use crate::api::Api;
use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

/// The REST API version Switchyard speaks (v66.0–v68.0 are current in 2026).
pub const API_VERSION: &str = "v66.0";
/// Default query batch (Salesforce allows 200–2000, not guaranteed).
pub const DEFAULT_PAGE: usize = 2000;

#[derive(Debug, Clone)]
pub struct Salesforce {
    api: Api,
    /// The token response's `instance_url`: every API call goes there.
    instance_url: String,
    version: String,
    page_size: usize,
    batch_size: usize,
    /// How far before the stored cursor an incremental read starts.
    read_lookback: chrono::Duration,
}

/// `SystemModstamp` is stamped when a transaction starts, so a long one can commit rows
/// older than what a read already passed; one minute of look-back covers that and skew.
pub const READ_LOOKBACK_SECS: i64 = 60;

impl Salesforce {
    pub fn new(api: Api, instance_url: &str) -> Self {
        Self {
            api,
            instance_url: instance_url.trim_end_matches('/').to_owned(),
            version: API_VERSION.to_owned(),
            page_size: DEFAULT_PAGE,
            batch_size: write::MAX_BATCH,
            read_lookback: chrono::Duration::seconds(READ_LOOKBACK_SECS),
        }
    }

    /// Query batch size (200–2000) and collection size (≤ 200).
    /// How far before the stored cursor incremental reads start (0: none).
    pub fn with_read_lookback(mut self, window: chrono::Duration) -> Self {
        self.read_lookback = window.max(chrono::Duration::zero());
        self
    }

    pub fn with_sizes(mut self, page: usize, batch: usize) -> Self {
        self.page_size = page.clamp(200, 2000);
        self.batch_size = batch.clamp(1, write::MAX_BATCH);
        self
    }

    fn data_url(&self) -> String {
        format!("{}/services/data/{}", self.instance_url, self.version)
    }
}

crate::connector_impl::connector_impl!(
    Salesforce,
    ProviderId::Salesforce,
    objects = describe::objects,
    describe = describe::describe,
    read = read::read,
    lookup = read::lookup,
    reread = read::reread,
    write = write::write,
    deleted_since = read::deleted_since,
    archive = write::delete
);

/// The org and user behind a token; `instance_url` is the token response's API host.
pub async fn identity(
    stack: &Stack,
    instance_url: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let url = format!(
        "{}/services/oauth2/userinfo",
        instance_url.trim_end_matches('/')
    );
    let info = authed_json(stack, Method::GET, &url, "/services/oauth2/userinfo", token).await?;
    let org = text(&info, "/organization_id")
        .ok_or_else(|| IdentityError::Unexpected("no organization_id".into()))?;
    Ok(Identity {
        account_name: format!("Salesforce org {org}"),
        account_id: Some(org),
        user_name: text(&info, "/name").or_else(|| text(&info, "/preferred_username")),
    })
}

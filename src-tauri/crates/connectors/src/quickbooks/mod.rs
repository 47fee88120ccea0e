//! QuickBooks Online: who is connected (the company's CompanyInfo for the realmId that
//! arrived with the OAuth redirect), and the connector for Customer (read and write),
//! Invoice and Payment (read) over the Accounting API v3.

mod codec;
pub mod fields;
mod read;
mod reread;
mod write;

pub use read::MAX_RESULTS;

use crate::api::{Api, Request};
use crate::connector::ConnectorError;
use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use crate::schema::ObjectSpec;
use reqwest::Method;
use serde_json::Value as Json;
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

/// The minor version every request names (1–74 are unsupported since 2025-08-01).
pub const MINOR_VERSION: u32 = 75;
const MINOR_VERSION_TEXT: &str = "75";

#[derive(Debug, Clone)]
pub struct Quickbooks {
    api: Api,
    base: String,
    realm_id: String,
    page_size: usize,
    batch_size: usize,
    /// How far before the stored cursor an incremental read starts.
    read_lookback: chrono::Duration,
}

/// QuickBooks times are whole seconds on the company's clock; one minute of look-back
/// covers clock skew.
pub const READ_LOOKBACK_SECS: i64 = 60;

impl Quickbooks {
    pub fn new(api: Api, api_base: &str, realm_id: &str) -> Self {
        Self {
            api,
            base: api_base.trim_end_matches('/').to_owned(),
            realm_id: realm_id.to_owned(),
            page_size: read::MAX_RESULTS,
            batch_size: write::MAX_BATCH,
            read_lookback: chrono::Duration::seconds(READ_LOOKBACK_SECS),
        }
    }

    /// Query page size (≤ 1000) and batch size (≤ 30).
    /// How far before the stored cursor incremental reads start (0: none).
    pub fn with_read_lookback(mut self, window: chrono::Duration) -> Self {
        self.read_lookback = window.max(chrono::Duration::zero());
        self
    }

    pub fn with_sizes(mut self, page: usize, batch: usize) -> Self {
        self.page_size = page.clamp(1, read::MAX_RESULTS);
        self.batch_size = batch.clamp(1, write::MAX_BATCH);
        self
    }

    fn company_url(&self) -> String {
        format!("{}/v3/company/{}", self.base, self.realm_id)
    }

    /// Sends a request; a `Fault` in an HTTP 200 answer is a rejection like a 400.
    async fn send(&self, request: Request) -> Result<Json, ConnectorError> {
        let body = self.api.send(request).await?.body;
        if body.get("Fault").is_some() {
            let (code, message) = crate::connector_error::summarize(body.to_string().as_bytes());
            return Err(ConnectorError::Rejected {
                status: 200,
                provider_code: code.unwrap_or_else(|| "FAULT".into()),
                message: message.unwrap_or_default(),
            });
        }
        Ok(body)
    }
}

/// QuickBooks' objects are described by its documentation, not by a call.
async fn describe(_: &Quickbooks, object: &str) -> Result<ObjectSpec, ConnectorError> {
    fields::spec(object).ok_or_else(|| ConnectorError::UnknownObject(object.to_owned()))
}

crate::connector_impl::connector_impl!(
    Quickbooks,
    ProviderId::Quickbooks,
    objects = fields::objects,
    describe = describe,
    read = read::read,
    lookup = read::lookup,
    reread = reread::reread,
    write = write::write,
    deleted_since = read::deleted_since,
    archive = write::deactivate
);

pub async fn identity(
    stack: &Stack,
    api_base: &str,
    realm_id: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let url = format!(
        "{}/v3/company/{realm_id}/companyinfo/{realm_id}?minorversion={MINOR_VERSION}",
        api_base.trim_end_matches('/')
    );
    let info = authed_json(
        stack,
        Method::GET,
        &url,
        "/v3/company/{realm}/companyinfo/{realm}",
        token,
    )
    .await?;
    let name = text(&info, "/CompanyInfo/CompanyName")
        .ok_or_else(|| IdentityError::Unexpected("no CompanyInfo.CompanyName".into()))?;
    Ok(Identity {
        account_id: Some(realm_id.to_owned()),
        account_name: name,
        user_name: None,
    })
}

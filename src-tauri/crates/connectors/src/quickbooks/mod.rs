//! QuickBooks Online: who is connected (the company's CompanyInfo for the realmId that
//! arrived with the OAuth redirect).

use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::Secret;

/// The minor version every request names (1–74 are unsupported since 2025-08-01).
pub const MINOR_VERSION: u32 = 75;

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

//! Authentication and authorization of CRM calls: 401 `INVALID_AUTHENTICATION` for a
//! missing or unknown token, 401 `EXPIRED_AUTHENTICATION` after expiry (recovered by a
//! refresh), and 403 `MISSING_SCOPES` for an object the token has no scope for.

use super::support::{assert_error, Hs, ALL_SCOPES};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn missing_invalid_and_expired_tokens_are_401_with_hubspot_categories() {
    let hs = Hs::start().await;
    let none = hs
        .call(Method::GET, None, "/crm/v3/objects/contacts", None)
        .await;
    assert_error(&none, 401, "INVALID_AUTHENTICATION");
    assert!(none.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Authentication credentials not found."));
    assert_error(
        &hs.get("not-a-token", "/crm/v3/objects/contacts").await,
        401,
        "INVALID_AUTHENTICATION",
    );

    let t = hs.oauth_tokens(ALL_SCOPES).await;
    let access = t["access_token"].as_str().unwrap();
    hs.fault(json!({ "kind": "token_expired", "next": 1 }))
        .await;
    let expired = hs.get(access, "/crm/v3/objects/contacts").await;
    assert_error(&expired, 401, "EXPIRED_AUTHENTICATION");
    assert!(expired.body["message"]
        .as_str()
        .unwrap()
        .starts_with("The OAuth token used to make this call expired"));

    let r = hs.refresh(t["refresh_token"].as_str().unwrap()).await;
    let fresh = r.body["access_token"].as_str().unwrap();
    assert_eq!(
        hs.get(fresh, "/crm/v3/objects/contacts").await.status,
        StatusCode::OK,
        "refreshing recovers"
    );
}

#[tokio::test]
async fn a_token_without_the_object_scope_gets_403_missing_scopes() {
    let hs = Hs::start().await;
    let t = hs.oauth_tokens("oauth crm.objects.contacts.read").await;
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(
        hs.get(access, "/crm/v3/objects/contacts").await.status,
        StatusCode::OK
    );
    let r = hs.get(access, "/crm/v3/objects/deals").await;
    assert_error(&r, 403, "MISSING_SCOPES");
    let write = hs
        .post(
            access,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "firstname": "X" } }),
        )
        .await;
    assert_error(&write, 403, "MISSING_SCOPES");
}

//! Intuit's OAuth 2.0 server: consent, code exchange, PKCE, rotation, revoke, discovery,
//! and production keys refusing loopback redirects.

use crate::support::{start, Qb};
use base64::Engine as _;
use reqwest::{StatusCode, Url};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub const LOOPBACK: &str = "http://127.0.0.1:53999/callback";

fn client(qb: &Qb) -> (String, String) {
    (
        qb.creds["client_id"].as_str().unwrap().to_owned(),
        qb.creds["client_secret"].as_str().unwrap().to_owned(),
    )
}

pub fn authorize_params(qb: &Qb, redirect: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let (id, _) = client(qb);
    let mut p = vec![
        ("client_id", id.as_str()),
        ("response_type", "code"),
        ("scope", "com.intuit.quickbooks.accounting"),
        ("redirect_uri", redirect),
        ("state", "st-123"),
    ];
    p.extend_from_slice(extra);
    p.into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Consent page, then "Allow" (or "Deny"): the query of the 302's Location.
pub async fn consent(
    qb: &Qb,
    redirect: &str,
    extra: &[(&str, &str)],
    decision: &str,
) -> HashMap<String, String> {
    let params = authorize_params(qb, redirect, extra);
    let page = qb
        .http
        .get(qb.url("/connect/oauth2"))
        .query(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Allow") && html.contains("com.intuit.quickbooks.accounting"),
        "consent page names the scope"
    );
    let mut form = params.clone();
    form.push(("decision".into(), decision.into()));
    let resp = qb
        .http
        .post(qb.url("/connect/oauth2"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(redirect), "{location}");
    Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

async fn exchange(qb: &Qb, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let (id, secret) = client(qb);
    let resp = qb
        .http
        .post(qb.url("/oauth2/v1/tokens/bearer"))
        .basic_auth(id, Some(secret))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn authorization_code_flow_end_to_end() {
    let qb = start().await;
    let back = consent(&qb, LOOPBACK, &[], "allow").await;
    assert_eq!(back["state"], "st-123");
    let realm = &back["realmId"];
    assert!(
        realm.len() >= 10 && realm.len() <= 19 && realm.chars().all(|c| c.is_ascii_digit()),
        "{realm}"
    );
    assert_eq!(realm, &qb.realm, "the company of this sandbox");
    let (status, tokens) = exchange(
        &qb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", LOOPBACK),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["x_refresh_token_expires_in"], 8_726_400);
    assert!(
        tokens.get("realmId").is_none(),
        "realmId comes only in the redirect"
    );
    let access = tokens["access_token"].as_str().unwrap();
    let url = format!(
        "{}/v3/company/{realm}/companyinfo/{realm}?minorversion=75",
        qb.base
    );
    let (status, _, info) = qb.get_with(&url, access).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert!(info["CompanyInfo"]["CompanyName"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    let (status, again) = exchange(
        &qb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", LOOPBACK),
        ],
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "a code works once"
    );
}

#[tokio::test]
async fn code_exchange_checks_redirect_client_and_pkce() {
    let qb = start().await;
    let back = consent(&qb, LOOPBACK, &[], "allow").await;
    let (status, body) = exchange(
        &qb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", "http://127.0.0.1:1/other"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let back = consent(&qb, LOOPBACK, &pkce, "allow").await;
    let (status, _) = exchange(
        &qb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", LOOPBACK),
            ("code_verifier", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "wrong verifier");
    let back = consent(&qb, LOOPBACK, &pkce, "allow").await;
    let (status, body) = exchange(
        &qb,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", LOOPBACK),
            ("code_verifier", verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Client authentication in the form instead of HTTP Basic, then a wrong secret.
    let (id, secret) = client(&qb);
    let back = consent(&qb, LOOPBACK, &[], "allow").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", back["code"].as_str()),
        ("redirect_uri", LOOPBACK),
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let resp = qb
        .http
        .post(qb.url("/oauth2/v1/tokens/bearer"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = qb
        .http
        .post(qb.url("/oauth2/v1/tokens/bearer"))
        .basic_auth(&id, Some("not-the-secret"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", qb.refresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let qb = start().await;
    let back = consent(&qb, LOOPBACK, &[], "deny").await;
    assert_eq!(back.get("error").map(String::as_str), Some("access_denied"));
    assert_eq!(back["state"], "st-123");
    assert!(!back.contains_key("code") && !back.contains_key("realmId"));
}

#[tokio::test]
async fn refresh_rotates_and_revoke_ends_the_grant() {
    let qb = start().await;
    let (status, first) = exchange(
        &qb,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &qb.refresh),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let rotated = first["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, qb.refresh, "a new refresh token");
    let (status, old) = exchange(
        &qb,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &qb.refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, old["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "the old one is dead"
    );
    let access = first["access_token"].as_str().unwrap();
    let url = qb.api("customer/1");
    assert_eq!(qb.get_with(&url, access).await.0, StatusCode::OK);

    let (id, secret) = client(&qb);
    let revoke = qb
        .http
        .post(qb.url("/v2/oauth2/tokens/revoke"))
        .basic_auth(id, Some(secret))
        .json(&serde_json::json!({ "token": rotated }))
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let (status, body) = exchange(
        &qb,
        &[("grant_type", "refresh_token"), ("refresh_token", rotated)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    assert_eq!(
        qb.get_with(&url, access).await.0,
        StatusCode::UNAUTHORIZED,
        "revoking the refresh token ends its access tokens"
    );
    let anonymous = qb
        .http
        .post(qb.url("/v2/oauth2/tokens/revoke"))
        .json(&serde_json::json!({ "token": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.status(),
        StatusCode::UNAUTHORIZED,
        "revoke needs client auth"
    );
}

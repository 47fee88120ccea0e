//! OAuth (reference §0 and §1 "OAuth"): consent page, authorization code bound to the
//! redirect URI and PKCE, the token response without `expires_in`, `instance_url` on a
//! different host, untrusted redirects and denial.

use crate::{Org, V};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

pub const CLIENT: &str = "sandbox-salesforce-client";
// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const REDIRECT: &str = "http://127.0.0.1:53682/callback";

fn param(location: &str, name: &str) -> Option<String> {
    Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Submits the consent form as a person clicking Allow or Deny would.
async fn decide(
    org: &Org,
    redirect: &str,
    decision: &str,
    challenge: Option<&str>,
) -> reqwest::Response {
    let mut form = vec![
        ("response_type", "code"),
        ("client_id", CLIENT),
        ("redirect_uri", redirect),
        ("scope", "api refresh_token"),
        ("state", "st-123"),
        ("decision", decision),
    ];
    if let Some(c) = challenge {
        form.extend([("code_challenge", c), ("code_challenge_method", "S256")]);
    }
    org.http
        .post(format!("{}/services/oauth2/authorize", org.base))
        .form(&form)
        .send()
        .await
        .unwrap()
}

pub async fn code(org: &Org, challenge: Option<&str>) -> String {
    let resp = decide(org, REDIRECT, "allow", challenge).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    param(&location, "code").unwrap()
}

pub async fn token(org: &Org, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = org
        .http
        .post(format!("{}/services/oauth2/token", org.base))
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

pub async fn exchange(
    org: &Org,
    code: &str,
    redirect: &str,
    verifier: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", CLIENT),
        ("redirect_uri", redirect),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    token(org, &form).await
}

#[tokio::test]
async fn authorize_shows_a_consent_page_and_allow_redirects_with_code_and_state() {
    let org = Org::start().await;
    let page = org
        .http
        .get(format!("{}/services/oauth2/authorize", org.base))
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT),
            ("redirect_uri", REDIRECT),
            ("scope", "api refresh_token"),
            ("state", "st-123"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("name=\"decision\" value=\"allow\"") && html.contains(CHALLENGE),
        "{html}"
    );
    let resp = decide(&org, REDIRECT, "allow", Some(CHALLENGE)).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(param(location, "state").as_deref(), Some("st-123"));
    assert!(param(location, "code").is_some_and(|c| !c.is_empty()));
}

#[tokio::test]
async fn code_exchange_gives_the_documented_token_response_and_a_different_instance_host() {
    let org = Org::start().await;
    let code = code(&org, Some(CHALLENGE)).await;
    let (status, body) = exchange(&org, &code, REDIRECT, Some(VERIFIER)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for key in [
        "access_token",
        "refresh_token",
        "instance_url",
        "id",
        "issued_at",
        "signature",
        "scope",
    ] {
        assert!(
            body[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key} in {body}"
        );
    }
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body.get("expires_in").is_none(),
        "Salesforce sends no expires_in: {body}"
    );
    let issued: i64 = body["issued_at"].as_str().unwrap().parse().unwrap();
    assert!(
        (issued - chrono::Utc::now().timestamp_millis()).abs() < 60_000,
        "issued_at is epoch ms as a string"
    );
    let port = org.base.rsplit(':').next().unwrap();
    assert_eq!(
        body["instance_url"],
        format!("http://localhost:{port}"),
        "instance host differs from the login host"
    );
    let id = body["id"].as_str().unwrap();
    let parts: Vec<&str> = id.rsplit('/').take(2).collect();
    assert!(
        id.starts_with(&format!("{}/id/00D", org.base)) && parts[0].starts_with("005"),
        "{id}"
    );
    // The API answers on instance_url + /services/data/….
    let access = body["access_token"].as_str().unwrap();
    let url = format!(
        "{}/services/data/{V}/sobjects/Lead/describe",
        body["instance_url"].as_str().unwrap()
    );
    let r = org
        .call_with(Method::GET, &url, None, Some(access), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["name"], "Lead");
}

#[tokio::test]
async fn pkce_and_redirect_uri_are_enforced_and_codes_are_single_use() {
    let org = Org::start().await;
    let c = code(&org, Some(CHALLENGE)).await;
    let (status, body) = exchange(&org, &c, REDIRECT, Some("not-the-verifier")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "bad verifier: {body}"
    );
    let c = code(&org, Some(CHALLENGE)).await;
    let (status, body) = exchange(&org, &c, REDIRECT, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "missing verifier: {body}"
    );
    assert!(body["error_description"].is_string());
    let c = code(&org, Some(CHALLENGE)).await;
    let (status, body) = exchange(&org, &c, "http://127.0.0.1:9/other", Some(VERIFIER)).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "wrong redirect_uri: {body}"
    );
    assert!(body["error"].is_string() && body["error_description"].is_string());
    let c = code(&org, None).await;
    let (status, _) = exchange(&org, &c, REDIRECT, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = exchange(&org, &c, REDIRECT, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "reused code: {body}"
    );
}

#[tokio::test]
async fn deny_and_untrusted_redirects() {
    let org = Org::start().await;
    let resp = decide(&org, REDIRECT, "deny", None).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap();
    assert_eq!(param(location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(location, "state").as_deref(), Some("st-123"));
    // localhost on any port is fine (RFC 8252); a plain-http remote host is not.
    let resp = decide(&org, "http://localhost:1717/OauthRedirect", "allow", None).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let resp = decide(&org, "http://evil.example.com/cb", "allow", None).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(
        resp.headers().get("location").is_none(),
        "never redirects to an untrusted URI"
    );
}

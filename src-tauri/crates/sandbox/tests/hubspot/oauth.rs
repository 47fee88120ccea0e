//! OAuth: consent page, code exchange (v1 and 2026-03), PKCE, redirect and code reuse
//! failures, deny, refresh without rotation, revocation, token metadata.

use super::support::{Hs, ALL_SCOPES};
use base64::Engine as _;
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};

const REDIRECT: &str = "http://127.0.0.1:53682/callback";

#[tokio::test]
async fn allow_redirects_with_code_and_state_and_the_code_buys_a_working_token() {
    let hs = Hs::start().await;
    let (id, _) = hs.client().await;
    let r = hs.consent(&id, REDIRECT, ALL_SCOPES, &[], "allow").await;
    assert_eq!(r.status, StatusCode::FOUND);
    let loc = r.location();
    assert_eq!(
        (loc.host_str(), loc.port(), loc.path()),
        (Some("127.0.0.1"), Some(53682), "/callback")
    );
    assert_eq!(r.query("state").as_deref(), Some("st-42"));
    assert!(r.query("code").is_some_and(|c| !c.is_empty()));

    let t = hs.oauth_tokens(ALL_SCOPES).await;
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 1800);
    let access = t["access_token"].as_str().unwrap();
    assert!(
        access.len() > 100 && access.len() <= 300,
        "long tokens, up to 300 chars: {}",
        access.len()
    );
    assert!(t["refresh_token"].as_str().is_some_and(|r| !r.is_empty()));
    let ok = hs.get(access, "/crm/v3/objects/contacts?limit=1").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    let info = hs
        .call(
            Method::GET,
            None,
            &format!("/oauth/v1/access-tokens/{access}"),
            None,
        )
        .await;
    assert_eq!(info.status, StatusCode::OK);
    assert_eq!(info.body["token"], access);
    assert_eq!(info.body["hub_id"], t["hub_id"]);
    assert_eq!(info.body["token_type"], "access");
    assert!(info.body["expires_in"]
        .as_i64()
        .is_some_and(|s| (1790..=1800).contains(&s)));
    assert!(info.body["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "crm.objects.contacts.read"));
    assert!(info.body["user"].as_str().is_some_and(|u| u.contains('@')));
    assert!(info.body["app_id"].is_u64() && info.body["user_id"].is_u64());
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let hs = Hs::start().await;
    let (id, _) = hs.client().await;
    let r = hs.consent(&id, REDIRECT, ALL_SCOPES, &[], "deny").await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.query("error").as_deref(), Some("access_denied"));
    assert_eq!(r.query("state").as_deref(), Some("st-42"));
    assert_eq!(r.query("code"), None);
}

#[tokio::test]
async fn http_redirects_are_only_for_localhost() {
    let hs = Hs::start().await;
    let (id, _) = hs.client().await;
    for (redirect, ok) in [
        ("http://example.com/cb", false),
        ("https://app.example.com/cb", true),
        ("http://localhost:5555/cb", true),
        (REDIRECT, true),
    ] {
        let r = hs
            .http
            .get(hs.url("/oauth/authorize"))
            .query(&[
                ("client_id", id.as_str()),
                ("redirect_uri", redirect),
                ("scope", "oauth"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().is_success(), ok, "{redirect}: {}", r.status());
    }
    let r = hs
        .http
        .get(hs.url("/oauth/authorize"))
        .query(&[
            ("client_id", "nope"),
            ("redirect_uri", REDIRECT),
            ("scope", "oauth"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "unknown client");
}

#[tokio::test]
async fn pkce_verifier_must_match_the_s256_challenge() {
    let hs = Hs::start().await;
    let (id, _) = hs.client().await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough-verifier";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = hs
        .consent(&id, REDIRECT, "oauth", &pkce, "allow")
        .await
        .query("code")
        .unwrap();
    let bad = hs.exchange(REDIRECT, &code, Some("wrong-verifier")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["status"], "BAD_AUTH_CODE");
    let code = hs
        .consent(&id, REDIRECT, "oauth", &pkce, "allow")
        .await
        .query("code")
        .unwrap();
    assert_eq!(
        hs.exchange(REDIRECT, &code, None).await.status,
        StatusCode::BAD_REQUEST,
        "verifier missing"
    );
    let code = hs
        .consent(&id, REDIRECT, "oauth", &pkce, "allow")
        .await
        .query("code")
        .unwrap();
    let good = hs.exchange(REDIRECT, &code, Some(verifier)).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert!(good.body["access_token"].is_string());
}

#[tokio::test]
async fn wrong_redirect_and_reused_codes_fail_with_legacy_statuses() {
    let hs = Hs::start().await;
    let (id, _) = hs.client().await;
    let code = hs
        .consent(&id, REDIRECT, "oauth", &[], "allow")
        .await
        .query("code")
        .unwrap();
    let wrong = hs.exchange("http://127.0.0.1:1/other", &code, None).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.body["status"], "BAD_REDIRECT_URI");
    assert!(wrong.body["message"].is_string() && wrong.body["correlationId"].is_string());

    let code = hs
        .consent(&id, REDIRECT, "oauth", &[], "allow")
        .await
        .query("code")
        .unwrap();
    assert_eq!(
        hs.exchange(REDIRECT, &code, None).await.status,
        StatusCode::OK
    );
    let reused = hs.exchange(REDIRECT, &code, None).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.body["status"], "BAD_AUTH_CODE");

    let bad_secret = hs
        .form(
            "/oauth/v1/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &id),
                ("client_secret", "wrong"),
                ("refresh_token", "x"),
            ],
        )
        .await;
    assert_eq!(bad_secret.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_secret.body["status"], "BAD_CLIENT_ID");
}

#[tokio::test]
async fn refresh_keeps_the_refresh_token_and_2026_03_errors_carry_both_formats() {
    let hs = Hs::start().await;
    let (id, secret) = hs.client().await;
    let t = hs.oauth_tokens(ALL_SCOPES).await;
    let refresh = t["refresh_token"].as_str().unwrap();
    let r = hs.refresh(refresh).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["refresh_token"], refresh, "not rotated");
    assert_ne!(r.body["access_token"], t["access_token"]);
    assert_eq!(r.body["expires_in"], 1800);

    let dated = hs
        .form(
            "/oauth/2026-03/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("refresh_token", refresh),
            ],
        )
        .await;
    assert_eq!(dated.status, StatusCode::OK, "{}", dated.body);
    assert_eq!(dated.body["token_type"], "bearer");

    let bad = hs
        .form(
            "/oauth/2026-03/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("refresh_token", "na1-not-a-token"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"], "invalid_grant");
    assert_eq!(bad.body["status"], "BAD_REFRESH_TOKEN");
    assert!(bad.body["error_description"].is_string() && bad.body["message"].is_string());

    let url = format!("/oauth/2026-03/token?grant_type=refresh_token&client_id={id}&client_secret={secret}&refresh_token={refresh}");
    let in_query = hs.call(Method::POST, None, &url, None).await;
    assert_eq!(
        in_query.status.as_u16() / 100,
        4,
        "2026-03 reads parameters from the body only"
    );
}

#[tokio::test]
async fn revocation_in_both_versions_ends_the_refresh_token() {
    let hs = Hs::start().await;
    let (id, secret) = hs.client().await;
    let t = hs.oauth_tokens("oauth").await;
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    let del = hs
        .call(
            Method::DELETE,
            None,
            &format!("/oauth/v1/refresh-tokens/{refresh}"),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        hs.refresh(&refresh).await.body["status"],
        "BAD_REFRESH_TOKEN"
    );

    let t = hs.oauth_tokens("oauth").await;
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(hs.refresh(&refresh).await.status, StatusCode::OK);
    let r = hs
        .form(
            "/oauth/2026-03/token/revoke",
            &[
                ("client_id", &id),
                ("client_secret", &secret),
                ("token", &refresh),
                ("token_type_hint", "refresh_token"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(hs.refresh(&refresh).await.status, StatusCode::BAD_REQUEST);
}

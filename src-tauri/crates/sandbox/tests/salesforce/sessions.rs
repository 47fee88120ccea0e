//! Sessions (reference §1 "OAuth"): refresh with and without rotation, revoke, 401
//! INVALID_SESSION_ID after inactivity or an injected expiry, and the identity URL /
//! userinfo that say who is connected.

use super::oauth::{code, exchange, token, CLIENT, REDIRECT};
use crate::{error, Org, V};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn refresh_has_no_new_refresh_token_unless_rotation_is_on() {
    let org = Org::start().await;
    let c = code(&org, None).await;
    let (_, first) = exchange(&org, &c, REDIRECT, None).await;
    let refresh = first["refresh_token"].as_str().unwrap().to_owned();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("client_id", CLIENT),
    ];
    let (status, body) = token(&org, &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.get("refresh_token").is_none() && body.get("expires_in").is_none(),
        "{body}"
    );
    assert_ne!(body["access_token"], first["access_token"]);
    assert!(body["instance_url"].is_string() && body["signature"].is_string());
    org.limits(json!({ "rotate_refresh_tokens": true })).await;
    let (_, rotated) = token(&org, &form).await;
    let next = rotated["refresh_token"].as_str().unwrap();
    assert_ne!(next, refresh);
    let (status, body) = token(&org, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({ "error": "invalid_grant", "error_description": "expired access/refresh token" })
    );
}

#[tokio::test]
async fn revoke_ends_the_refresh_token_and_its_sessions() {
    let org = Org::start().await;
    let c = code(&org, None).await;
    let (_, grant) = exchange(&org, &c, REDIRECT, None).await;
    let (access, refresh) = (
        grant["access_token"].as_str().unwrap(),
        grant["refresh_token"].as_str().unwrap(),
    );
    assert_eq!(
        org.call_with(
            Method::GET,
            &format!("/services/data/{V}/limits"),
            None,
            Some(access),
            &[]
        )
        .await
        .status,
        StatusCode::OK
    );
    let revoke = |t: &str| {
        org.http
            .post(format!("{}/services/oauth2/revoke", org.base))
            .form(&[("token", t.to_owned())])
            .send()
    };
    assert_eq!(revoke(refresh).await.unwrap().status(), StatusCode::OK);
    let r = org
        .call_with(
            Method::GET,
            &format!("/services/data/{V}/limits"),
            None,
            Some(access),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let (status, _) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", CLIENT),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let again = revoke(refresh).await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: Value = again.json().await.unwrap();
    assert!(
        matches!(
            body["error"].as_str(),
            Some("invalid_token" | "unsupported_token_type")
        ),
        "{body}"
    );
}

#[tokio::test]
async fn api_calls_need_a_live_session() {
    let org = Org::start().await;
    let path = format!("/services/data/{V}/sobjects/Lead/describe");
    for token in [None, Some("00Dbogus!token")] {
        let r = org.call_with(Method::GET, &path, None, token, &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            r.body,
            json!([{ "message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID" }])
        );
        crate::usage(&r.headers);
    }
    // Inactivity timeout.
    org.limits(json!({ "session_timeout_secs": 1 })).await;
    let idle = org.mint().await;
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    assert_eq!(
        org.call_with(Method::GET, &path, None, Some(&idle), &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    org.limits(json!({ "session_timeout_secs": 7200 })).await;
    // The token_expired fault ends every session.
    let live = org.mint().await;
    assert_eq!(
        org.call_with(Method::GET, &path, None, Some(&live), &[])
            .await
            .status,
        StatusCode::OK
    );
    org.fault(json!({ "kind": "token_expired", "next": 1 }))
        .await;
    let r = org
        .call_with(Method::GET, &path, None, Some(&live), &[])
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID")
    );
}

#[tokio::test]
async fn identity_url_and_userinfo_say_who_is_connected() {
    let org = Org::start().await;
    let c = code(&org, None).await;
    let (_, grant) = exchange(&org, &c, REDIRECT, None).await;
    let access = grant["access_token"].as_str().unwrap();
    let id_url = grant["id"].as_str().unwrap();
    let r = org
        .call_with(Method::GET, id_url, None, Some(access), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let segments: Vec<&str> = id_url.rsplit('/').collect();
    assert_eq!(r.body["user_id"], segments[0]);
    assert_eq!(r.body["organization_id"], segments[1]);
    assert!(r.body["username"].as_str().is_some_and(|u| u.contains('@')));
    assert!(r.body["urls"]["rest"]
        .as_str()
        .is_some_and(|u| u.contains("/services/data/v")));
    let info = org
        .call_with(
            Method::GET,
            "/services/oauth2/userinfo",
            None,
            Some(access),
            &[],
        )
        .await;
    assert_eq!(info.status, StatusCode::OK);
    assert_eq!(info.body["user_id"], segments[0]);
    assert_eq!(info.body["organization_id"], segments[1]);
    let bad = org
        .call_with(
            Method::GET,
            "/services/oauth2/userinfo",
            None,
            Some("nope"),
            &[],
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::FORBIDDEN,
        "identity endpoints answer 403 for a bad token"
    );
}

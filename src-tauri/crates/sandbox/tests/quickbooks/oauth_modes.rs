//! Production keys refusing loopback and plain-http redirects, and the discovery documents.

use crate::oauth::{authorize_params, consent, LOOPBACK};
use crate::support::{config, start, start_with};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn production_keys_refuse_loopback_and_http_redirects() {
    let mut cfg = config();
    cfg.quickbooks_production = true;
    let qb = start_with(cfg).await;
    for redirect in [
        LOOPBACK,
        "http://localhost:8080/cb",
        "http://switchyard.example/oauth/quickbooks/callback",
    ] {
        let resp = qb
            .http
            .get(qb.url("/connect/oauth2"))
            .query(&authorize_params(&qb, redirect, &[]))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{redirect}");
        assert!(
            resp.headers().get("location").is_none(),
            "no redirect to an unregistered URI"
        );
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("redirect_uri query parameter value is invalid"));
    }
    let https = qb.creds["redirect_uris"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|u| u.starts_with("https://"))
        .unwrap()
        .to_owned();
    let back = consent(&qb, &https, &[], "allow").await;
    assert!(back.contains_key("code") && back.contains_key("realmId"));

    let dev = start().await;
    let resp = dev
        .http
        .get(dev.url("/connect/oauth2"))
        .query(&authorize_params(&dev, "http://switchyard.example/cb", &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::BAD_REQUEST,
        "development keys still refuse non-loopback http"
    );
}

#[tokio::test]
async fn discovery_documents_point_at_the_sandbox() {
    let qb = start().await;
    for path in [
        "/.well-known/openid_sandbox_configuration",
        "/.well-known/openid_sandbox_configuration/",
        "/.well-known/openid_configuration",
    ] {
        let doc: Value = qb
            .http
            .get(qb.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for (field, suffix) in [
            ("authorization_endpoint", "/connect/oauth2"),
            ("token_endpoint", "/oauth2/v1/tokens/bearer"),
            ("revocation_endpoint", "/v2/oauth2/tokens/revoke"),
        ] {
            assert_eq!(doc[field], qb.url(suffix), "{path} {field}");
        }
        for field in ["issuer", "userinfo_endpoint", "jwks_uri"] {
            assert!(
                doc[field].as_str().is_some_and(|u| u.starts_with(&qb.base)),
                "{path} {field}"
            );
        }
        assert!(doc["token_endpoint_auth_methods_supported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "client_secret_basic"));
    }
    let jwks: Value = qb
        .http
        .get(qb.url("/op/v1/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(jwks["keys"].is_array());
}

//! Limits and faults (reference §1 "Errors and limits", §6): `Sforce-Limit-Info` on every
//! response and counting real use, `/limits`, 403 REQUEST_LIMIT_EXCEEDED (never 429) for
//! the daily allocation, concurrency and the injected rate limit, array bodies for
//! injected server errors, 404 / 405 as error arrays, and `/__sandbox/token`.

use crate::{error, usage, Org, V};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn every_response_reports_real_api_usage() {
    let org = Org::start().await;
    let a = org.get("/sobjects/Lead/describe").await;
    let b = org.query("SELECT Id FROM Lead LIMIT 1").await;
    assert!(b["records"].is_array());
    let c = org.get("/limits").await;
    let (first, max) = usage(&a.headers);
    let (third, _) = usage(&c.headers);
    assert_eq!(max, 100_000);
    assert_eq!(third, first + 2, "each call counts once");
    assert_eq!(c.body["DailyApiRequests"]["Max"], 100_000);
    assert_eq!(c.body["DailyApiRequests"]["Remaining"], 100_000 - third);
    let missing = org.get("/sobjects/Lead/00Q000000000000AAA").await;
    usage(&missing.headers);
}

#[tokio::test]
async fn the_daily_allocation_ends_in_403_request_limit_exceeded() {
    let org = Org::start().await;
    let (used, _) = usage(&org.get("/limits").await.headers);
    org.limits(json!({ "daily": used + 1 })).await;
    assert_eq!(org.get("/limits").await.status, StatusCode::OK);
    let r = org.get("/limits").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.body,
        json!([{ "message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED" }])
    );
    assert_eq!(usage(&r.headers).1, used + 1);
}

#[tokio::test]
async fn injected_rate_limits_and_server_errors_look_like_salesforce() {
    let org = Org::start().await;
    org.fault(json!({ "kind": "rate_limited", "path": "/services/data", "next": 1 }))
        .await;
    let r = org.get("/limits").await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "Salesforce does not use 429"
    );
    assert_eq!(
        error(&r.body),
        ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    );
    usage(&r.headers);
    org.fault(json!({ "kind": "server_error", "status": 503, "next": 1 }))
        .await;
    let r = org.get("/limits").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    error(&r.body);
    assert_eq!(
        org.get("/limits").await.status,
        StatusCode::OK,
        "faults are used up"
    );
}

#[tokio::test]
async fn concurrent_long_requests_are_capped() {
    let org = Org::start().await;
    org.limits(json!({ "concurrent": 1, "long_request_secs": 0 }))
        .await;
    // A create whose body never finishes keeps one request in flight.
    let addr = org.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!("POST /services/data/{V}/sobjects/Lead HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"LastName\"", org.token);
    slow.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let r = org.get("/limits").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error(&r.body),
        (
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentRequests (Concurrent API Requests) Limit exceeded."
        )
    );
    drop(slow);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(org.get("/limits").await.status, StatusCode::OK);
}

#[tokio::test]
async fn minted_tokens_work_and_unknown_paths_and_methods_are_error_arrays() {
    let org = Org::start().await;
    let minted = org.control(Method::POST, "/__sandbox/token", None).await;
    let token = minted["access_token"].as_str().unwrap();
    let url = format!(
        "{}/services/data/{V}/sobjects/Account/describe",
        minted["instance_url"].as_str().unwrap()
    );
    assert_eq!(
        org.call_with(Method::GET, &url, None, Some(token), &[])
            .await
            .status,
        StatusCode::OK
    );
    let r = org.get("/no/such/resource").await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
    let id = org.query("SELECT Id FROM Lead LIMIT 1").await["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = org
        .call(
            Method::PUT,
            &format!("/sobjects/Lead/{id}"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    error(&r.body);
}

//! Throttles (429 ThrottleExceeded per minute, per batch minute and concurrently) and the
//! harness's injected transport faults rendered as QuickBooks renders them.

use crate::support::start;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn assert_throttled(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        body["fault"]["error"][0]["message"],
        "message=ThrottleExceeded; errorCode=003001; statusCode=429",
        "{body}"
    );
}

#[tokio::test]
async fn requests_per_minute_per_realm() {
    let qb = start().await;
    qb.limits(json!({ "per_minute": 5 })).await;
    for _ in 0..5 {
        assert_eq!(qb.get("customer/1").await.0, StatusCode::OK);
    }
    let (status, body) = qb.get("customer/1").await;
    assert_throttled(status, &body);
    qb.limits(json!({ "per_minute": 500 })).await;
    assert_eq!(qb.get("customer/1").await.0, StatusCode::OK, "raised limit");
}

#[tokio::test]
async fn batches_per_minute() {
    let qb = start().await;
    qb.limits(json!({ "batch_per_minute": 2 })).await;
    let batch =
        json!({ "BatchItemRequest": [{ "bId": "1", "Query": "select count(*) from Customer" }] });
    assert_eq!(qb.post("batch", &batch).await.0, StatusCode::OK);
    assert_eq!(qb.post("batch", &batch).await.0, StatusCode::OK);
    let (status, body) = qb.post("batch", &batch).await;
    assert_throttled(status, &body);
    assert_eq!(
        qb.get("customer/1").await.0,
        StatusCode::OK,
        "plain requests still pass"
    );
}

#[tokio::test]
async fn concurrent_requests_per_realm() {
    let qb = start().await;
    qb.limits(json!({ "concurrent": 3, "processing_ms": 300 }))
        .await;
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, url, token) = (qb.http.clone(), qb.api("customer/1"), qb.token.clone());
        calls.spawn(async move {
            let resp = http
                .get(url)
                .bearer_auth(token)
                .header("Accept", "application/json")
                .send()
                .await
                .unwrap();
            let status = resp.status();
            (status, resp.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let results = calls.join_all().await;
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let throttled: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(ok + throttled.len(), 8);
    assert!((1..=3).contains(&ok) && !throttled.is_empty(), "{ok} ok");
    assert_throttled(throttled[0].0, &throttled[0].1);
}

#[tokio::test]
async fn injected_rate_limit_and_server_errors() {
    let qb = start().await;
    qb.fault(json!({ "kind": "rate_limited", "next": 1, "path": "/v3/" }))
        .await;
    let (status, body) = qb.get("customer/1").await;
    assert_throttled(status, &body);
    qb.fault(json!({ "kind": "server_error", "status": 503, "next": 1 }))
        .await;
    let (status, body) = qb.get("customer/1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["Fault"]["type"], "SystemFault");
    assert_eq!(
        qb.get("customer/1").await.0,
        StatusCode::OK,
        "faults were for the next call only"
    );
}

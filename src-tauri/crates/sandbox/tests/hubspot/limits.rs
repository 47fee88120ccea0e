//! Rate limits and their headers, injected transport faults, and the control API
//! (mutations showing up in incremental reads, minted tokens, reset).

use super::support::{assert_error, Hs};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn every_non_search_response_carries_the_rate_headers() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let a = hs.get(&token, "/crm/v3/objects/contacts?limit=1").await;
    let b = hs.get(&token, "/crm/v3/objects/companies?limit=1").await;
    let num = |r: &super::support::Reply, h: &str| {
        r.header(h)
            .unwrap_or_else(|| panic!("{h} missing"))
            .parse::<u64>()
            .unwrap()
    };
    assert_eq!(num(&a, "x-hubspot-ratelimit-max"), 100);
    assert_eq!(num(&a, "x-hubspot-ratelimit-interval-milliseconds"), 10_000);
    assert_eq!(num(&a, "x-hubspot-ratelimit-daily"), 250_000);
    assert_eq!(num(&a, "x-hubspot-ratelimit-remaining"), 99);
    assert_eq!(num(&b, "x-hubspot-ratelimit-remaining"), 98);
    assert_eq!(
        num(&a, "x-hubspot-ratelimit-daily-remaining") - 1,
        num(&b, "x-hubspot-ratelimit-daily-remaining")
    );
    assert!(
        num(&a, "x-hubspot-ratelimit-secondly")
            >= num(&a, "x-hubspot-ratelimit-secondly-remaining")
    );
}

#[tokio::test]
async fn the_ten_secondly_and_daily_limits_answer_429_with_their_policy() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.limits(json!({ "ten_secondly": 3 })).await;
    for _ in 0..3 {
        assert_eq!(
            hs.get(&token, "/crm/v3/objects/contacts?limit=1")
                .await
                .status,
            StatusCode::OK
        );
    }
    let r = hs.get(&token, "/crm/v3/objects/contacts?limit=1").await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(
        r.body["message"],
        "You have reached your ten_secondly_rolling limit."
    );
    assert_eq!(r.body["policyName"], "TEN_SECONDLY_ROLLING");
    assert_eq!(
        r.header("x-hubspot-ratelimit-remaining").as_deref(),
        Some("0")
    );
    let other = hs.token().await;
    assert_eq!(
        hs.get(&other, "/crm/v3/objects/contacts?limit=1")
            .await
            .status,
        StatusCode::OK,
        "the burst window is per token"
    );

    // Four calls were counted today above (refused ones are not counted).
    hs.limits(json!({ "ten_secondly": 100, "daily": 4 })).await;
    let third = hs.token().await;
    let r = hs.get(&third, "/crm/v3/objects/contacts?limit=1").await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(r.body["policyName"], "DAILY");
}

#[tokio::test]
async fn search_has_its_own_secondly_limit() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            hs.post(
                &token,
                "/crm/v3/objects/contacts/search",
                json!({ "limit": 1 }),
            )
            .await,
        );
    }
    let limited = statuses
        .iter()
        .find(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .expect("5 searches per second");
    assert_error(limited, 429, "RATE_LIMITS");
    assert_eq!(
        limited.body["message"],
        "You have reached your secondly limit."
    );
    assert!(statuses.iter().take(5).all(|r| r.status == StatusCode::OK));
    assert_eq!(
        hs.get(&token, "/crm/v3/objects/contacts?limit=1")
            .await
            .status,
        StatusCode::OK,
        "other endpoints unaffected"
    );
}

#[tokio::test]
async fn injected_transport_faults_use_hubspot_bodies() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.fault(json!({ "kind": "rate_limited", "path": "/crm/v3/objects/deals", "next": 1 }))
        .await;
    hs.fault(json!({ "kind": "server_error", "status": 502, "method": "POST", "next": 1 }))
        .await;
    let r = hs.get(&token, "/crm/v3/objects/deals").await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(r.body["policyName"], "TEN_SECONDLY_ROLLING");
    assert_eq!(
        hs.get(&token, "/crm/v3/objects/deals").await.status,
        StatusCode::OK
    );
    let r = hs
        .post(&token, "/crm/v3/objects/tickets/search", json!({}))
        .await;
    assert_eq!(r.status.as_u16(), 502);
    assert_eq!(r.body["status"], "error");
}

#[tokio::test]
async fn mutations_show_up_in_incremental_search_and_reads() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let since = chrono::Utc::now().timestamp_millis();
    let incremental = json!({ "filterGroups": [{ "filters": [{ "propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": since.to_string() }] }], "properties": ["name"] });
    let before = hs
        .post(
            &token,
            "/crm/v3/objects/companies/search",
            incremental.clone(),
        )
        .await;
    assert_eq!(before.body["total"], 0, "{}", before.body);

    let first = hs
        .get(&token, "/crm/v3/objects/companies?limit=1")
        .await
        .body["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let m = hs.control(Method::POST, "/__sandbox/mutate", json!({ "object": "companies", "id": first, "fields": { "name": "Renamed Elsewhere" } })).await;
    assert_eq!(m["properties"]["name"], "Renamed Elsewhere");
    let created = hs
        .control(
            Method::POST,
            "/__sandbox/mutate",
            json!({ "object": "companies", "fields": { "name": "Born Elsewhere" } }),
        )
        .await;
    let after = hs
        .post(&token, "/crm/v3/objects/companies/search", incremental)
        .await;
    assert_eq!(after.body["total"], 2);
    let names: Vec<&str> = after.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Renamed Elsewhere") && names.contains(&"Born Elsewhere"));
    let read = hs
        .get(&token, &format!("/crm/v3/objects/companies/{first}"))
        .await;
    assert!(
        chrono::DateTime::parse_from_rfc3339(read.body["updatedAt"].as_str().unwrap())
            .unwrap()
            .timestamp_millis()
            >= since
    );

    let id = created["id"].as_str().unwrap();
    hs.control(
        Method::POST,
        "/__sandbox/mutate",
        json!({ "object": "companies", "id": id, "delete": true }),
    )
    .await;
    assert_error(
        &hs.get(&token, &format!("/crm/v3/objects/companies/{id}"))
            .await,
        404,
        "OBJECT_NOT_FOUND",
    );
}

#[tokio::test]
async fn minted_and_listed_static_tokens_work_and_reset_reseeds() {
    let hs = Hs::start().await;
    let minted = hs
        .control(Method::POST, "/__sandbox/token", json!({}))
        .await;
    let token = minted["access_token"].as_str().unwrap();
    assert!(
        token.starts_with("pat-na1-") && token.len() == "pat-na1-".len() + 36,
        "{token}"
    );
    assert!(minted["hub_id"].as_u64().is_some());
    assert_eq!(
        hs.get(token, "/crm/v3/objects/tickets?limit=1")
            .await
            .status,
        StatusCode::OK
    );
    let creds = hs
        .control(Method::GET, "/__sandbox/credentials", Value::Null)
        .await;
    let listed = creds["static_token"].as_str().unwrap();
    assert_eq!(
        hs.get(listed, "/crm/v3/objects/contacts?limit=1")
            .await
            .status,
        StatusCode::OK
    );
    assert!(creds["oauth_clients"][0]["client_secret"].is_string());

    let dump = hs
        .control(Method::GET, "/__sandbox/dump", Value::Null)
        .await;
    hs.post(
        token,
        "/crm/v3/objects/companies",
        json!({ "properties": { "name": "Temp" } }),
    )
    .await;
    hs.control(Method::POST, "/__sandbox/reset", json!({}))
        .await;
    assert_eq!(
        hs.control(Method::GET, "/__sandbox/dump", Value::Null)
            .await,
        dump,
        "same seed, same data"
    );
    assert_eq!(
        hs.get(token, "/crm/v3/objects/contacts").await.status,
        StatusCode::UNAUTHORIZED,
        "minted tokens are forgotten"
    );
    let again = hs
        .control(Method::GET, "/__sandbox/credentials", Value::Null)
        .await;
    assert_eq!(
        again["static_token"], creds["static_token"],
        "the seeded static token is stable"
    );
}

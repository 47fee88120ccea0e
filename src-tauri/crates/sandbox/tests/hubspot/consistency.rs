//! Search as strict as HubSpot's: one sort rule per request, a tie read by `hs_object_id`
//! served from the index exactly as a full scan serves it, and an index that sees a
//! change only `search_index_delay_ms` after it (batch read sees it at once).

use super::support::Hs;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchyard_sandbox::{SandboxConfig, SeedScope, SeedSpec};

fn ids(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn sandbox(records: usize) -> (Hs, String) {
    let hs = Hs::start_with(SandboxConfig {
        seed: SeedSpec { seed: 5, records },
        seed_scope: SeedScope::only(["hubspot/contacts"]),
        ..Default::default()
    })
    .await;
    let token = hs.token().await;
    hs.limits(json!({ "search_per_second": 100_000, "ten_secondly": 100_000 }))
        .await;
    (hs, token)
}

#[tokio::test]
async fn one_sort_rule_per_search() {
    let (hs, token) = sandbox(20).await;
    let body = json!({ "sorts": [
        { "propertyName": "lastmodifieddate", "direction": "ASCENDING" },
        { "propertyName": "hs_object_id", "direction": "ASCENDING" },
    ], "limit": 5 });
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
    hs.limits(json!({ "search_max_sorts": 2 })).await;
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_tie_read_by_id_pages_like_the_full_scan() {
    let (hs, token) = sandbox(150).await;
    // 100 contacts edited in one batch share one last-modified millisecond.
    let all = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/search",
            json!({ "limit": 100, "sorts": [{ "propertyName": "hs_object_id", "direction": "ASCENDING" }] }),
        )
        .await;
    let tied = ids(&all.body);
    assert_eq!(tied.len(), 100);
    let inputs: Vec<Value> = tied
        .iter()
        .map(|id| json!({ "id": id, "properties": { "jobtitle": "Tied" } }))
        .collect();
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/update",
            json!({ "inputs": inputs }),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let stamp = |r: &Value| r["updatedAt"].as_str().unwrap().to_owned();
    let sample = hs
        .get(&token, &format!("/crm/v3/objects/contacts/{}", tied[0]))
        .await;
    let at = chrono::DateTime::parse_from_rfc3339(&stamp(&sample.body))
        .unwrap()
        .timestamp_millis();
    // The tie read: one millisecond, ids above a bound, by id. Doubling the filter group
    // (an OR of the same group) sends the same search down the full-scan path.
    let read = |after: u64, scan: bool| {
        let group = json!({ "filters": [
            { "propertyName": "lastmodifieddate", "operator": "EQ", "value": at.to_string() },
            { "propertyName": "hs_object_id", "operator": "GT", "value": after.to_string() },
        ] });
        let groups = if scan {
            vec![group.clone(), group]
        } else {
            vec![group]
        };
        json!({ "filterGroups": groups, "limit": 30,
                "sorts": [{ "propertyName": "hs_object_id", "direction": "ASCENDING" }] })
    };
    for scan in [false, true] {
        let (mut after, mut seen, mut totals) = (0u64, Vec::new(), Vec::new());
        loop {
            let r = hs
                .post(&token, "/crm/v3/objects/contacts/search", read(after, scan))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            totals.push(r.body["total"].as_u64().unwrap());
            let page = ids(&r.body);
            let Some(last) = page.last() else { break };
            after = last.parse().unwrap();
            seen.extend(page);
        }
        let mut expected = tied.clone();
        expected.sort_by_key(|id| id.parse::<u64>().unwrap());
        assert_eq!(seen, expected, "scan: {scan}");
        assert_eq!(totals, vec![100, 70, 40, 10, 0], "scan: {scan}");
    }
}

#[tokio::test]
async fn search_sees_a_change_only_after_the_index_delay() {
    let (hs, token) = sandbox(50).await;
    hs.limits(json!({ "search_index_delay_ms": 1500 })).await;
    let before = chrono::Utc::now().timestamp_millis();
    let edited = hs
        .control(
            Method::POST,
            "/__sandbox/mutate",
            json!({ "object": "contacts", "fields": { "email": "late@example.com", "lastname": "Late" } }),
        )
        .await;
    let id = edited["id"].as_str().unwrap().to_owned();
    let since = json!({ "filterGroups": [{ "filters": [{ "propertyName": "lastmodifieddate", "operator": "GTE", "value": before.to_string() }] }],
                        "sorts": [{ "propertyName": "lastmodifieddate", "direction": "ASCENDING" }] });
    let by_email = json!({ "filterGroups": [{ "filters": [{ "propertyName": "email", "operator": "EQ", "value": "late@example.com" }] }] });
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", since.clone())
        .await;
    assert_eq!(
        (r.body["total"].as_u64(), ids(&r.body).len()),
        (Some(0), 0),
        "not indexed yet"
    );
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", by_email.clone())
        .await;
    assert!(ids(&r.body).is_empty(), "not indexed yet: {}", r.body);
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/read",
            json!({ "inputs": [{ "id": id }] }),
        )
        .await;
    assert_eq!(ids(&r.body), vec![id.clone()], "batch read is not search");
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", since)
        .await;
    assert_eq!(ids(&r.body), vec![id.clone()], "indexed now");
    let r = hs
        .post(&token, "/crm/v3/objects/contacts/search", by_email)
        .await;
    assert_eq!(ids(&r.body), vec![id]);
}

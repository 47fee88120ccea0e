//! Search by last-modified date (sorted by it, ascending) is answered from the store's
//! last-modified index; the same search with a second sort key is answered by filtering
//! and sorting every record. Both must give the same pages, totals, `after` links and
//! 10,000-result cap, before and after records change.

use super::support::Hs;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchyard_sandbox::{SandboxConfig, SeedScope, SeedSpec};

fn query(since: i64, after: usize, indexed: bool) -> Value {
    let mut sorts = vec![json!({ "propertyName": "lastmodifieddate", "direction": "ASCENDING" })];
    if !indexed {
        // Ties are broken by id either way: the result order is the same.
        sorts.push(json!({ "propertyName": "hs_object_id", "direction": "ASCENDING" }));
    }
    json!({
        "filterGroups": [{ "filters": [{ "propertyName": "lastmodifieddate", "operator": "GTE", "value": since.to_string() }] }],
        "sorts": sorts,
        "properties": ["lastmodifieddate", "email"],
        "limit": 200,
        "after": after.to_string(),
    })
}

/// Every page from `since` up to the end or the cap: (total of each page, ids, status of
/// the first refused page if any).
async fn pages(hs: &Hs, token: &str, since: i64, indexed: bool) -> (Vec<u64>, Vec<Value>, u16) {
    let (mut totals, mut results, mut after) = (Vec::new(), Vec::new(), 0usize);
    loop {
        let r = hs
            .post(
                token,
                "/crm/v3/objects/contacts/search",
                query(since, after, indexed),
            )
            .await;
        if r.status != StatusCode::OK {
            return (totals, results, r.status.as_u16());
        }
        totals.push(r.body["total"].as_u64().unwrap());
        results.extend(r.body["results"].as_array().unwrap().iter().cloned());
        match r.body["paging"]["next"]["after"].as_str() {
            Some(a) => after = a.parse().unwrap(),
            None => return (totals, results, 200),
        }
    }
}

fn stamp(record: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(record["properties"]["lastmodifieddate"].as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

#[tokio::test]
async fn indexed_search_pages_like_the_full_scan() {
    let hs = Hs::start_with(SandboxConfig {
        seed: SeedSpec {
            seed: 11,
            records: 21_000,
        },
        seed_scope: SeedScope::only(["hubspot/contacts"]),
        ..Default::default()
    })
    .await;
    let token = hs.token().await;
    // Two sort rules (allowed here only) make the same search a full scan.
    hs.limits(
        json!({ "search_per_second": 100_000, "ten_secondly": 100_000, "search_max_sorts": 2 }),
    )
    .await;

    // From the beginning: more than 10,000 results, so paging stops at the cap with a 400.
    let indexed = pages(&hs, &token, 0, true).await;
    let scanned = pages(&hs, &token, 0, false).await;
    assert_eq!(indexed, scanned);
    let (totals, results, refused) = indexed;
    assert!(totals[0] > 20_000, "{}", totals[0]);
    assert!(totals.iter().all(|t| *t == totals[0]));
    assert_eq!(results.len(), 10_000);
    assert_eq!(refused, 400, "paging past 10,000 results is refused");
    let order: Vec<(i64, u64)> = results
        .iter()
        .map(|r| (stamp(r), r["id"].as_str().unwrap().parse().unwrap()))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "by time, then id");
    assert!(
        order.windows(2).any(|w| w[0].0 == w[1].0),
        "equal timestamps are in the data"
    );

    // Edit some contacts and archive one: the index follows.
    let edited: Vec<String> = results[..5]
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &edited {
        let r = hs
            .call(
                reqwest::Method::PATCH,
                Some(&token),
                &format!("/crm/v3/objects/contacts/{id}"),
                Some(json!({ "properties": { "jobtitle": "Edited" } })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let archived = results[5]["id"].as_str().unwrap();
    let r = hs
        .call(
            reqwest::Method::DELETE,
            Some(&token),
            &format!("/crm/v3/objects/contacts/{archived}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    // From 30 days before the seed's newest stamps: every result fits under the cap.
    let since = switchyard_sandbox::seed::SEED_EPOCH_MS - 30 * 86_400_000;
    let indexed = pages(&hs, &token, since, true).await;
    assert_eq!(indexed, pages(&hs, &token, since, false).await);
    let (_, late, status) = indexed;
    assert_eq!(status, 200);
    let ids: Vec<&str> = late.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut last: Vec<&str> = ids[ids.len() - 5..].to_vec();
    let mut expected: Vec<&str> = edited.iter().map(String::as_str).collect();
    last.sort();
    expected.sort();
    assert_eq!(last, expected, "the edited contacts come last");
    assert!(!ids.contains(&archived), "archived records never match");
}

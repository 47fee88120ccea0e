//! Query paging (reference §1 "Read paths"): versions, `query` / `queryAll`, 2000-row
//! batches linked by `nextRecordsUrl` (also under `/queryAll/`), and
//! `Sforce-Query-Options: batchSize`.

use crate::{error, Org, V};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

pub fn instant(v: &Value) -> i64 {
    chrono::DateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%.3f%z")
        .unwrap()
        .timestamp_millis()
}

pub fn ids(page: &Value) -> Vec<String> {
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Id"].as_str().unwrap().to_owned())
        .collect()
}

/// Follows `nextRecordsUrl` to the end; returns every page.
async fn pages(org: &Org, first: Value, headers: &[(&str, &str)]) -> Vec<Value> {
    let mut all = vec![first];
    while let Some(next) = all
        .last()
        .and_then(|p| p["nextRecordsUrl"].as_str())
        .map(str::to_owned)
    {
        let r = org
            .call_with(Method::GET, &next, None, Some(&org.token), headers)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        all.push(r.body);
    }
    all
}

#[tokio::test]
async fn versions_are_listed_and_unknown_versions_are_404() {
    let org = Org::start().await;
    let r = org
        .call_with(Method::GET, "/services/data/", None, None, &[])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let versions: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert!(
        versions.contains(&"20.0") && versions.contains(&"66.0") && versions.contains(&"68.0"),
        "{versions:?}"
    );
    assert_eq!(r.body[0]["url"], format!("/services/data/v{}", versions[0]));
    for bad in ["v19.0", "v69.0"] {
        let r = org
            .call_with(
                Method::GET,
                &format!("/services/data/{bad}/limits"),
                None,
                Some(&org.token),
                &[],
            )
            .await;
        assert_eq!(
            (r.status, error(&r.body).0),
            (StatusCode::NOT_FOUND, "NOT_FOUND")
        );
    }
}

#[tokio::test]
async fn results_come_in_2000_row_batches_linked_by_next_records_url() {
    let mut org = Org::start().await;
    org.reseed(4400).await;
    let leads = org.dump().await["Lead"].as_array().unwrap().len();
    assert!(leads > 2000, "{leads}");
    let first = org.query("SELECT Id, LastName FROM Lead").await;
    assert_eq!(first["totalSize"], leads);
    assert_eq!(first["done"], false);
    assert_eq!(first["records"].as_array().unwrap().len(), 2000);
    let next = first["nextRecordsUrl"].as_str().unwrap();
    let locator = next
        .strip_prefix(&format!("/services/data/{V}/query/"))
        .unwrap();
    assert!(
        locator.starts_with("01g") && locator.ends_with("-2000"),
        "{next}"
    );
    let record = &first["records"][0];
    assert_eq!(
        record["attributes"],
        json!({ "type": "Lead", "url": format!("/services/data/{V}/sobjects/Lead/{}", record["Id"].as_str().unwrap()) })
    );
    let all = pages(&org, first, &[]).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1]["done"], true);
    assert!(all[1].get("nextRecordsUrl").is_none_or(Value::is_null));
    let seen: HashSet<String> = all.iter().flat_map(ids).collect();
    assert_eq!(seen.len(), leads, "every row exactly once");
    // queryAll's cursor is also under /query/, and /queryAll/ works too.
    let first = org.soql("queryAll", "SELECT Id FROM Lead").await;
    let next = first["nextRecordsUrl"].as_str().unwrap();
    assert!(next.contains("/query/"), "{next}");
    let r = org
        .call_with(
            Method::GET,
            &next.replace("/query/", "/queryAll/"),
            None,
            Some(&org.token),
            &[],
        )
        .await;
    assert_eq!(r.body["records"].as_array().unwrap().len(), leads - 2000);
    let r = org.get("/query/01gXXXXXXXXXXXXXXX-2000").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "unknown cursor");
}

#[tokio::test]
async fn batch_size_header_sets_smaller_batches() {
    let mut org = Org::start().await;
    org.reseed(1000).await;
    let url = format!(
        "{}/services/data/{V}/query?q={}",
        org.base,
        crate::urlencode("SELECT Id FROM Lead ORDER BY Id")
    );
    let header = [("Sforce-Query-Options", "batchSize=200")];
    let first = org
        .call_with(Method::GET, &url, None, Some(&org.token), &header)
        .await
        .body;
    let all = pages(&org, first, &header).await;
    let sizes: Vec<usize> = all
        .iter()
        .map(|p| p["records"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![200, 200, 100]);
    let tiny = org
        .call_with(
            Method::GET,
            &url,
            None,
            Some(&org.token),
            &[("Sforce-Query-Options", "batchSize=50")],
        )
        .await
        .body;
    assert!(
        tiny["records"].as_array().unwrap().len() >= 200,
        "the minimum batch is 200"
    );
}

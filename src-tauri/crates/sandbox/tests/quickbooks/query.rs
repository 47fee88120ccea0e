//! The query language, paging, inactive rows, the Fault inside HTTP 200, incremental
//! `MetaData.LastUpdatedTime` queries, and XML for requests that do not ask for JSON.

use crate::support::{fault, start};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test]
async fn query_pages_through_every_active_customer() {
    let qb = start().await;
    let total = qb.count("select count(*) from Customer").await;
    let all = qb
        .count("SELECT COUNT(*) FROM Customer WHERE Active IN (true, false)")
        .await;
    assert_eq!(all, 300);
    assert!(
        total < all,
        "inactive customers are hidden by default ({total} of {all})"
    );
    let inactive = qb
        .rows(
            "select * from Customer where Active = false maxresults 1000",
            "Customer",
        )
        .await;
    assert_eq!(inactive.len() as u64, all - total);
    assert!(inactive.iter().all(|c| c["Active"] == false));
    let mut seen = HashSet::new();
    let mut start = 1;
    loop {
        let (status, body) = qb
            .query(&format!(
                "select * from Customer orderby Id startposition {start} maxresults 100"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        let page = body["QueryResponse"]["Customer"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if page.is_empty() {
            assert_eq!(
                body["QueryResponse"],
                json!({}),
                "an empty page is an empty QueryResponse"
            );
            break;
        }
        assert_eq!(body["QueryResponse"]["startPosition"], start);
        assert_eq!(body["QueryResponse"]["maxResults"], page.len());
        for c in &page {
            assert!(c["Active"] == true);
            assert!(
                seen.insert(c["Id"].as_str().unwrap().to_owned()),
                "no repeats across pages"
            );
        }
        start += 100;
    }
    assert_eq!(seen.len() as u64, total);
}

#[tokio::test]
async fn query_operators_order_and_post_form() {
    let qb = start().await;
    let like = qb
        .rows(
            "select * from customer where DisplayName LIKE 'a%' maxresults 1000",
            "Customer",
        )
        .await;
    assert!(
        !like.is_empty()
            && like.iter().all(|c| c["DisplayName"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .starts_with('a'))
    );
    let picked = qb
        .rows(
            "select * from Customer where Id in ('3', '5', '8')",
            "Customer",
        )
        .await;
    let ids: HashSet<&str> = picked.iter().map(|c| c["Id"].as_str().unwrap()).collect();
    assert!(ids.is_subset(&HashSet::from(["3", "5", "8"])) && !ids.is_empty());
    let owing = qb
        .rows(
            "Select * From Customer Where Balance > '0' OrderBy Balance DESC MaxResults 50",
            "Customer",
        )
        .await;
    let balances: Vec<f64> = owing
        .iter()
        .map(|c| c["Balance"].as_f64().unwrap())
        .collect();
    assert!(!balances.is_empty() && balances.iter().all(|b| *b > 0.0));
    assert!(balances.windows(2).all(|w| w[0] >= w[1]), "descending");
    let name = like[0]["DisplayName"]
        .as_str()
        .unwrap()
        .replace('\'', "\\'");
    let exact = qb
        .rows(
            &format!("select * from Customer where DisplayName = '{name}'"),
            "Customer",
        )
        .await;
    assert_eq!(exact.len(), 1);
    // POST /query with the statement as an application/text body.
    let resp = qb
        .http
        .post(format!(
            "{}/v3/company/{}/query?minorversion=75",
            qb.base, qb.realm
        ))
        .bearer_auth(&qb.token)
        .header("Accept", "application/json")
        .header("Content-Type", "application/text")
        .body("select count(*) from Invoice")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["QueryResponse"]["totalCount"],
        qb.count("select count(*) from Invoice").await
    );
}

#[tokio::test]
async fn query_faults_including_the_fault_inside_200() {
    let qb = start().await;
    let (status, body) = qb
        .query("select * from Customer where Id = '1' OR Id = '2'")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fault(&body),
        (
            "4000".into(),
            "Error parsing query".into(),
            "ValidationFault".into()
        )
    );
    let (status, body) = qb.query("select * from Gizmo").await;
    assert_eq!(status, StatusCode::OK, "a Fault inside HTTP 200");
    assert!(body.get("QueryResponse").is_none());
    assert_eq!(fault(&body).2, "ValidationFault");
    qb.limits(json!({ "fault_in_200_for_unknown_entity": false }))
        .await;
    assert_eq!(
        qb.query("select * from Gizmo").await.0,
        StatusCode::BAD_REQUEST
    );
    qb.limits(json!({ "max_results": 20 })).await;
    assert_eq!(
        qb.rows("select * from Customer maxresults 200", "Customer")
            .await
            .len(),
        20,
        "MAXRESULTS is capped"
    );
}

#[tokio::test]
async fn last_updated_time_queries_see_other_users_edits() {
    let qb = start().await;
    let before = qb
        .rows(
            "select * from Customer orderby MetaData.LastUpdatedTime desc maxresults 1",
            "Customer",
        )
        .await;
    let newest = before[0]["MetaData"]["LastUpdatedTime"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(qb
        .rows(
            &format!("select * from Customer where MetaData.LastUpdatedTime > '{newest}'"),
            "Customer"
        )
        .await
        .is_empty());
    let edited = qb.mutate(json!({ "object": "Customer", "id": "4", "fields": { "Notes": "changed by someone else" } })).await;
    let changed = qb
        .rows(
            &format!("select * from Customer where Metadata.LastUpdatedTime > '{newest}'"),
            "Customer",
        )
        .await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["Id"], "4");
    assert_eq!(changed[0]["Notes"], "changed by someone else");
    assert_eq!(changed[0]["SyncToken"], edited["SyncToken"]);
    // The same instant written in UTC compares equal.
    let utc = chrono::DateTime::parse_from_rfc3339(&newest)
        .unwrap()
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(
        qb.rows(
            &format!("select * from Customer where MetaData.LastUpdatedTime > '{utc}'"),
            "Customer"
        )
        .await
        .len(),
        1
    );
}

#[tokio::test]
async fn without_accept_json_the_answer_is_xml() {
    let qb = start().await;
    let resp = qb
        .http
        .get(qb.api("customer/1"))
        .bearer_auth(&qb.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("xml"));
    let text = resp.text().await.unwrap();
    assert!(
        text.contains("<IntuitResponse")
            && text.contains("<Customer")
            && text.contains("<Id>1</Id>"),
        "{text}"
    );
}

//! SOQL semantics (reference §1 "Read paths", §6): unquoted datetime literals compared
//! as instants, ORDER BY, WHERE operators, COUNT(), LIMIT / OFFSET, parent fields,
//! MALFORMED_QUERY / INVALID_FIELD, deleted rows only in queryAll, and edits by another
//! user showing up in incremental reads.

use super::query::{ids, instant};
use crate::{error, is_sf_datetime, Org};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn datetime_literals_compare_instants_and_order_by_sorts() {
    let org = Org::start().await;
    let dump = org.dump().await;
    let stamps: Vec<i64> = dump["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| instant(&l["SystemModstamp"]))
        .collect();
    let mut sorted = stamps.clone();
    sorted.sort();
    let cut = sorted[sorted.len() / 2];
    let cut_z = chrono::DateTime::from_timestamp_millis(cut - cut % 1000).unwrap();
    let expected = stamps.iter().filter(|s| **s > cut - cut % 1000).count();
    let z = cut_z.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let plus2 = cut_z
        .with_timezone(&chrono::FixedOffset::east_opt(7200).unwrap())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    for literal in [z, plus2] {
        let page = org.query(&format!("SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > {literal} ORDER BY SystemModstamp")).await;
        assert_eq!(page["totalSize"], expected, "{literal}");
        let got: Vec<i64> = page["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| instant(&r["SystemModstamp"]))
            .collect();
        assert!(got.windows(2).all(|w| w[0] <= w[1]), "ascending");
        assert!(page["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| is_sf_datetime(&r["SystemModstamp"])));
    }
    let desc = org
        .query("SELECT Id, CreatedDate FROM Lead ORDER BY CreatedDate DESC")
        .await;
    let got: Vec<i64> = desc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| instant(&r["CreatedDate"]))
        .collect();
    assert!(got.windows(2).all(|w| w[0] >= w[1]), "descending");
}

#[tokio::test]
async fn where_clauses_count_limit_offset_and_parent_fields() {
    let org = Org::start().await;
    let dump = org.dump().await;
    let leads = dump["Lead"].as_array().unwrap();
    let count = |f: &dyn Fn(&Value) -> bool| leads.iter().filter(|l| f(l)).count();
    let no_email = count(&|l| l["Email"].is_null());
    assert_eq!(
        org.query("SELECT Id FROM Lead WHERE Email = null").await["totalSize"],
        no_email
    );
    assert_eq!(
        org.query("SELECT Id FROM Lead WHERE Email != null").await["totalSize"],
        leads.len() - no_email
    );
    let web_or_other = count(&|l| matches!(l["LeadSource"].as_str(), Some("Web" | "Other")));
    assert_eq!(
        org.query("SELECT Id FROM Lead WHERE LeadSource IN ('Web', 'Other')")
            .await["totalSize"],
        web_or_other
    );
    let not_open = count(&|l| l["Status"] != "Open - Not Contacted");
    assert_eq!(
        org.query("SELECT Id FROM Lead WHERE Status NOT IN ('Open - Not Contacted')")
            .await["totalSize"],
        not_open
    );
    let mixed = count(&|l| {
        matches!(
            l["Status"].as_str(),
            Some("Working - Contacted" | "Closed - Not Converted")
        ) && l["LeadSource"] != "Web"
    });
    let q = "SELECT Id FROM Lead WHERE (Status = 'Working - Contacted' OR Status = 'Closed - Not Converted') AND NOT LeadSource = 'Web'";
    assert_eq!(org.query(q).await["totalSize"], mixed);
    let obrien = count(&|l| l["LastName"].as_str().is_some_and(|n| n.starts_with("O'")));
    assert_eq!(
        org.query("SELECT Id FROM Lead WHERE LastName LIKE 'O\\'%'")
            .await["totalSize"],
        obrien
    );
    let counted = org.query("SELECT COUNT() FROM Lead").await;
    assert_eq!(
        (
            counted["totalSize"].as_u64(),
            counted["records"].as_array().map(Vec::len)
        ),
        (Some(leads.len() as u64), Some(0))
    );
    let mut all_ids: Vec<&str> = leads.iter().map(|l| l["Id"].as_str().unwrap()).collect();
    all_ids.sort();
    let window = org
        .query("SELECT Id FROM Lead ORDER BY Id LIMIT 5 OFFSET 3")
        .await;
    assert_eq!(ids(&window), all_ids[3..8].to_vec());
    let contacts = org
        .query("SELECT Id, AccountId, Account.Name FROM Contact WHERE AccountId != null LIMIT 5")
        .await;
    for c in contacts["records"].as_array().unwrap() {
        let account = dump["Account"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Id"] == c["AccountId"])
            .unwrap();
        assert_eq!(c["Account"]["Name"], account["Name"]);
    }
}

#[tokio::test]
async fn bad_queries_are_400_error_arrays() {
    let org = Org::start().await;
    let cases = [
        ("SELEC Id FROM Lead", "MALFORMED_QUERY"),
        ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY"),
        (
            "SELECT Id FROM Lead WHERE Status = 'a' AND Status = 'b' OR Status = 'c'",
            "MALFORMED_QUERY",
        ),
        ("SELECT Nope__c FROM Lead", "INVALID_FIELD"),
        (
            "SELECT Id FROM Lead WHERE CreatedDate > '2024-01-01T00:00:00Z'",
            "INVALID_FIELD",
        ),
    ];
    for (q, code) in cases {
        let r = org.get(&format!("/query?q={}", crate::urlencode(q))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(error(&r.body).0, code, "{q}: {}", r.body);
        crate::usage(&r.headers);
    }
    let r = org
        .get(&format!(
            "/query?q={}",
            crate::urlencode("SELECT Nope__c FROM Lead")
        ))
        .await;
    assert!(
        error(&r.body).1.contains("No such column 'Nope__c'"),
        "{}",
        r.body
    );
    let r = org
        .get(&format!(
            "/query?q={}",
            crate::urlencode("SELECT Id FROM Widget__c")
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn query_hides_deleted_rows_and_query_all_shows_them() {
    let org = Org::start().await;
    let id = org.query("SELECT Id FROM Lead LIMIT 1").await["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        org.call(Method::DELETE, &format!("/sobjects/Lead/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let q = format!("SELECT Id, IsDeleted FROM Lead WHERE Id = '{id}'");
    assert_eq!(org.query(&q).await["totalSize"], 0);
    let all = org.soql("queryAll", &q).await;
    assert_eq!(all["totalSize"], 1);
    assert_eq!(all["records"][0]["IsDeleted"], true);
}

#[tokio::test]
async fn another_users_edit_shows_up_in_an_incremental_query() {
    let org = Org::start().await;
    let newest = org
        .query("SELECT SystemModstamp FROM Lead ORDER BY SystemModstamp DESC LIMIT 1")
        .await;
    let mark = instant(&newest["records"][0]["SystemModstamp"]);
    let mark = chrono::DateTime::from_timestamp_millis(mark - mark % 1000 + 1000)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let target = org
        .query("SELECT Id, OwnerId FROM Lead ORDER BY SystemModstamp LIMIT 1")
        .await["records"][0]
        .clone();
    let id = target["Id"].as_str().unwrap();
    org.control(
        Method::POST,
        "/__sandbox/mutate",
        Some(json!({ "object": "Lead", "id": id, "fields": { "Title": "Edited elsewhere" } })),
    )
    .await;
    let changed = org
        .query(&format!(
            "SELECT Id, Title, LastModifiedById FROM Lead WHERE SystemModstamp > {mark}"
        ))
        .await;
    assert_eq!(changed["totalSize"], 1, "{changed}");
    assert_eq!(changed["records"][0]["Id"], id);
    assert_eq!(changed["records"][0]["Title"], "Edited elsewhere");
    let me = org.control(Method::POST, "/__sandbox/token", None).await["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(
        changed["records"][0]["LastModifiedById"],
        me.as_str(),
        "edited by another user"
    );
}

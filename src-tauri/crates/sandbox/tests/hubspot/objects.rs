//! Reads of the basic object endpoints: paging, property selection, archived rows, both
//! path versions, lookups by email, not-found and unknown-object errors.

use super::support::{assert_error, Hs};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[tokio::test]
async fn list_pages_with_after_until_a_page_without_paging() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let first = hs.get(&token, "/crm/v3/objects/contacts").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.body["results"].as_array().unwrap().len(),
        10,
        "default limit is 10"
    );
    let c = &first.body["results"][0];
    assert!(
        c["id"].as_str().unwrap().parse::<u64>().is_ok(),
        "ids are numeric strings"
    );
    assert_eq!(c["archived"], false);
    assert!(c["createdAt"].as_str().unwrap().ends_with('Z') && c["updatedAt"].is_string());
    let names: BTreeSet<&str> = c["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "createdate",
            "email",
            "firstname",
            "hs_object_id",
            "lastmodifieddate",
            "lastname"
        ])
    );
    assert!(
        c["properties"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| v.is_string() || v.is_null()),
        "values are strings"
    );
    assert_eq!(c["properties"]["hs_object_id"], c["id"]);

    let dump = hs
        .control(Method::GET, "/__sandbox/dump", Value::Null)
        .await;
    let expected = dump["contacts"].as_array().unwrap().len();
    let (mut seen, mut after, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let path = match &after {
            Some(a) => format!("/crm/v3/objects/contacts?limit=100&after={a}"),
            None => "/crm/v3/objects/contacts?limit=100".to_owned(),
        };
        let page = hs.get(&token, &path).await;
        pages += 1;
        seen.extend(
            page.body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().parse::<u64>().unwrap()),
        );
        match page.body.get("paging") {
            None => break,
            Some(p) => {
                assert!(p["next"]["link"].as_str().unwrap().contains("after="));
                after = Some(p["next"]["after"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(seen.len(), expected, "every contact exactly once");
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(pages, expected.div_ceil(100));
    let big = hs.get(&token, "/crm/v3/objects/contacts?limit=500").await;
    assert_eq!(
        big.body["results"].as_array().unwrap().len(),
        100,
        "list limit is capped at 100"
    );
}

#[tokio::test]
async fn properties_param_selects_and_archived_lists_the_recycle_bin() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let r = hs.get(&token, "/crm/v3/objects/contacts?limit=5&properties=email,phone&properties=lifecyclestage&properties=no_such_prop").await;
    let p = r.body["results"][0]["properties"].as_object().unwrap();
    for name in ["email", "phone", "lifecyclestage", "hs_object_id"] {
        assert!(p.contains_key(name), "{name} in {p:?}");
    }
    assert!(!p.contains_key("firstname") && !p.contains_key("no_such_prop"));

    let id = r.body["results"][0]["id"].as_str().unwrap().to_owned();
    let del = hs
        .call(
            Method::DELETE,
            Some(&token),
            &format!("/crm/v3/objects/contacts/{id}"),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let live = hs.get(&token, "/crm/v3/objects/contacts?limit=100").await;
    assert!(live.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != id.as_str()));
    let bin = hs
        .get(&token, "/crm/v3/objects/contacts?archived=true")
        .await;
    let rows = bin.body["results"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["id"].as_str(), &rows[0]["archived"]),
        (Some(id.as_str()), &json!(true))
    );
    assert!(rows[0]["archivedAt"].is_string());
    assert!(bin.body.get("paging").is_none());
    assert_error(
        &hs.get(&token, &format!("/crm/v3/objects/contacts/{id}"))
            .await,
        404,
        "OBJECT_NOT_FOUND",
    );
}

#[tokio::test]
async fn both_path_versions_serve_the_same_records_and_lookups_by_email_work() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let list = hs
        .get(&token, "/crm/v3/objects/contacts?limit=30&properties=email")
        .await;
    let c = list.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["properties"]["email"].is_string())
        .unwrap()
        .clone();
    let id = c["id"].as_str().unwrap();
    let v3 = hs
        .get(&token, &format!("/crm/v3/objects/contacts/{id}"))
        .await;
    let dated = hs
        .get(&token, &format!("/crm/objects/2026-03/contacts/{id}"))
        .await;
    assert_eq!(v3.status, StatusCode::OK);
    assert_eq!(v3.body, dated.body);
    let email = c["properties"]["email"].as_str().unwrap().to_uppercase();
    let by_email = hs
        .get(
            &token,
            &format!("/crm/v3/objects/contacts/{email}?idProperty=email"),
        )
        .await;
    assert_eq!(by_email.body["id"], id);

    let company = hs
        .get(&token, "/crm/objects/2026-03/companies?limit=1")
        .await;
    let p = &company.body["results"][0]["properties"];
    assert!(
        p["hs_lastmodifieddate"].is_string()
            && p["name"].is_string()
            && p.get("lastmodifieddate").is_none()
    );
    assert_error(
        &hs.get(&token, "/crm/v3/objects/contacts/999999999").await,
        404,
        "OBJECT_NOT_FOUND",
    );
    let unknown = hs.get(&token, "/crm/v3/objects/widgets").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.body["message"],
        "Unable to infer object type from: widgets"
    );
}

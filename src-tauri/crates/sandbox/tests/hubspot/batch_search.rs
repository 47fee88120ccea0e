//! Batch endpoints (201/200/204, 207 partial failures, 100-input cap, upsert `new`) and
//! search (operators, OR of groups, sorts, paging with `total`, limits and caps).

use super::support::{assert_error, Hs};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn batch_create_read_update_upsert_archive() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs: Vec<Value> = (0..3).map(|i| json!({ "properties": { "email": format!("b{i}@batch.example.org"), "firstname": format!("B{i}") } })).collect();
    let created = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/create",
            json!({ "inputs": inputs }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "COMPLETE");
    assert!(created.body["startedAt"].is_string() && created.body["completedAt"].is_string());
    let made = ids(&created.body);
    assert_eq!(made.len(), 3);

    let read = hs.post(&token, "/crm/v3/objects/contacts/batch/read", json!({ "inputs": [{ "id": made[0] }, { "id": "999999999" }], "properties": ["firstname"] })).await;
    assert_eq!(read.status, StatusCode::MULTI_STATUS);
    assert_eq!(read.body["numErrors"], 1);
    assert_eq!(read.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    assert_eq!(read.body["results"][0]["properties"]["firstname"], "B0");
    let by_email = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/read",
            json!({ "idProperty": "email", "inputs": [{ "id": "b1@batch.example.org" }] }),
        )
        .await;
    assert_eq!(
        (by_email.status, ids(&by_email.body)),
        (StatusCode::OK, vec![made[1].clone()])
    );

    let upd = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/update",
            json!({ "inputs": [{ "id": made[0], "properties": { "jobtitle": "CTO" } }] }),
        )
        .await;
    assert_eq!(upd.status, StatusCode::OK);
    assert_eq!(upd.body["results"][0]["properties"]["jobtitle"], "CTO");

    let ups = hs
        .post(&token, "/crm/v3/objects/contacts/batch/upsert", json!({ "inputs": [
            { "idProperty": "email", "id": "b2@batch.example.org", "properties": { "firstname": "Again" } },
            { "idProperty": "email", "id": "brand.new@batch.example.org", "properties": { "firstname": "New" } } ] }))
        .await;
    assert_eq!(ups.status, StatusCode::OK, "{}", ups.body);
    let res = ups.body["results"].as_array().unwrap();
    let again = res.iter().find(|r| r["id"] == made[2].as_str()).unwrap();
    assert_eq!(again["new"], false);
    assert!(res
        .iter()
        .any(|r| r["new"] == true && r["properties"]["email"] == "brand.new@batch.example.org"));

    let arch = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/archive",
            json!({ "inputs": [{ "id": made[0] }] }),
        )
        .await;
    assert_eq!(arch.status, StatusCode::NO_CONTENT);
    assert_error(
        &hs.get(&token, &format!("/crm/v3/objects/contacts/{}", made[0]))
            .await,
        404,
        "OBJECT_NOT_FOUND",
    );

    let dup = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/batch/create",
            json!({ "inputs": [{ "properties": { "email": "b1@batch.example.org" } }] }),
        )
        .await;
    assert_error(&dup, 409, "CONFLICT");
    let too_many: Vec<Value> = (0..101).map(|i| json!({ "id": i.to_string() })).collect();
    assert_error(
        &hs.post(
            &token,
            "/crm/v3/objects/contacts/batch/read",
            json!({ "inputs": too_many }),
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
}

#[tokio::test]
async fn the_partial_batch_fault_gives_a_207_with_errors() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.fault(json!({ "kind": "partial_batch", "next": 1 }))
        .await;
    let inputs: Vec<Value> = (0..4)
        .map(|i| json!({ "properties": { "name": format!("Partial {i}") } }))
        .collect();
    let r = hs
        .post(
            &token,
            "/crm/objects/2026-03/companies/batch/create",
            json!({ "inputs": inputs }),
        )
        .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS);
    assert_eq!(r.body["numErrors"], 2);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["errors"][0]["status"], "error");
    assert_eq!(
        r.body["results"].as_array().unwrap().len(),
        2,
        "the rest went through"
    );
}

async fn search(hs: &Hs, token: &str, object: &str, body: Value) -> (StatusCode, Value, bool) {
    let r = hs
        .post(token, &format!("/crm/v3/objects/{object}/search"), body)
        .await;
    let headers = r.header("x-hubspot-ratelimit-remaining").is_some();
    (r.status, r.body, headers)
}

#[tokio::test]
async fn search_filters_sorts_and_pages() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.limits(json!({ "search_per_second": 1000 })).await;
    let all = hs
        .control(Method::GET, "/__sandbox/dump", Value::Null)
        .await;
    let contacts = all["contacts"].as_array().unwrap();
    let some = contacts
        .iter()
        .find(|c| c["properties"]["email"].is_string())
        .unwrap();
    let email = some["properties"]["email"].as_str().unwrap();

    let (status, body, headers) = search(&hs, &token, "contacts", json!({ "filterGroups": [{ "filters": [{ "propertyName": "email", "operator": "EQ", "value": email }] }] })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["total"].as_u64(), ids(&body)),
        (Some(1), vec![some["id"].as_str().unwrap().to_owned()])
    );
    assert!(!headers, "no rate headers on search");
    assert!(body.get("paging").is_none());

    let mid = contacts
        .iter()
        .map(|c| {
            chrono::DateTime::parse_from_rfc3339(
                c["properties"]["lastmodifieddate"].as_str().unwrap(),
            )
            .unwrap()
            .timestamp_millis()
        })
        .min()
        .unwrap()
        + 90 * 86_400_000;
    let expected = contacts
        .iter()
        .filter(|c| {
            chrono::DateTime::parse_from_rfc3339(
                c["properties"]["lastmodifieddate"].as_str().unwrap(),
            )
            .unwrap()
            .timestamp_millis()
                >= mid
        })
        .count();
    let q = |after: &str| json!({ "filterGroups": [{ "filters": [{ "propertyName": "lastmodifieddate", "operator": "GTE", "value": mid.to_string() }] }], "sorts": [{ "propertyName": "lastmodifieddate", "direction": "ASCENDING" }], "properties": ["lastmodifieddate"], "limit": 50, "after": after });
    let (mut stamps, mut after) = (Vec::new(), "0".to_owned());
    loop {
        let (_, page, _) = search(&hs, &token, "contacts", q(&after)).await;
        assert_eq!(page["total"].as_u64(), Some(expected as u64));
        stamps.extend(page["results"].as_array().unwrap().iter().map(|r| {
            r["properties"]["lastmodifieddate"]
                .as_str()
                .unwrap()
                .to_owned()
        }));
        match page["paging"]["next"]["after"].as_str() {
            Some(a) => after = a.to_owned(),
            None => break,
        }
    }
    assert_eq!(stamps.len(), expected);
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "sorted ascending");

    let one_of = json!({ "filterGroups": [
        { "filters": [{ "propertyName": "dealstage", "operator": "EQ", "value": "closedwon" }] },
        { "filters": [{ "propertyName": "dealstage", "operator": "IN", "values": ["closedlost"] }, { "propertyName": "amount", "operator": "HAS_PROPERTY" }] } ], "limit": 200 });
    let (_, deals, _) = search(&hs, &token, "deals", one_of).await;
    let stages: Vec<&str> = deals["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["properties"]["dealstage"].as_str().unwrap())
        .collect();
    assert!(
        !stages.is_empty()
            && stages
                .iter()
                .all(|s| *s == "closedwon" || *s == "closedlost")
    );
    let between = json!({ "filterGroups": [{ "filters": [{ "propertyName": "amount", "operator": "BETWEEN", "value": "1000", "highValue": "5000" }] }], "properties": ["amount"], "limit": 200 });
    let (_, b, _) = search(&hs, &token, "deals", between).await;
    assert!(b["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| (1000.0..=5000.0).contains(
            &d["properties"]["amount"]
                .as_str()
                .unwrap()
                .parse::<f64>()
                .unwrap()
        )));
    let domain = email.split('@').nth(1).unwrap();
    let tok = json!({ "filterGroups": [{ "filters": [{ "propertyName": "email", "operator": "CONTAINS_TOKEN", "value": format!("*@{domain}") }] }] });
    let (_, t, _) = search(&hs, &token, "contacts", tok).await;
    assert!(t["total"].as_u64().unwrap() >= 1);

    let id = some["id"].as_str().unwrap();
    assert_eq!(
        hs.call(
            Method::DELETE,
            Some(&token),
            &format!("/crm/v3/objects/contacts/{id}"),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let (_, gone, _) = search(&hs, &token, "contacts", json!({ "filterGroups": [{ "filters": [{ "propertyName": "hs_object_id", "operator": "EQ", "value": id }] }] })).await;
    assert_eq!(gone["total"], 0, "archived records never appear");
}

#[tokio::test]
async fn search_caps_and_filter_limits_are_400s() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.limits(json!({ "search_per_second": 1000 })).await;
    let (_, body, _) = search(&hs, &token, "contacts", json!({ "limit": 1000 })).await;
    assert_eq!(
        body["results"].as_array().unwrap().len(),
        200,
        "at most 200 per page"
    );
    let group = |n: usize| json!({ "filters": (0..n).map(|_| json!({ "propertyName": "firstname", "operator": "HAS_PROPERTY" })).collect::<Vec<_>>() });
    for groups in [
        vec![group(1); 6],
        vec![group(11)],
        vec![group(9), group(9), group(9)],
    ] {
        let r = hs
            .post(
                &token,
                "/crm/v3/objects/contacts/search",
                json!({ "filterGroups": groups }),
            )
            .await;
        assert_error(&r, 400, "VALIDATION_ERROR");
    }
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/search",
            json!({ "after": "10000" }),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    hs.limits(json!({ "search_max_results": 100 })).await;
    let (_, page, _) = search(&hs, &token, "contacts", json!({ "limit": 100 })).await;
    assert_eq!(page["paging"]["next"]["after"], "100");
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts/search",
            json!({ "after": "100" }),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
}

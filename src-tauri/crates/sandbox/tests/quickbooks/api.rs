//! Reads, the query language and paging, and the two fault shapes.

use crate::support::{fault, is_offset_time, start};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn auth_failures_use_the_lowercase_gateway_fault() {
    let qb = start().await;
    for token in ["", "not-a-token"] {
        let (status, headers, body) = qb.get_with(&qb.api("customer/1"), token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.get("Fault").is_none(), "{body}");
        let e = &body["fault"]["error"][0];
        assert_eq!(
            e["message"],
            "message=AuthenticationFailed; errorCode=003200; statusCode=401"
        );
        assert_eq!(e["code"], "3200");
        assert!(
            e["detail"].is_string()
                && body["fault"]["type"].is_string()
                && body["time"].is_string()
        );
        assert!(headers.contains_key("intuit_tid"));
    }
    // Another company's id in the path: 403 ApplicationAuthorizationFailed.
    let url = format!("{}/v3/company/1234567890/customer/1", qb.base);
    let (status, _, body) = qb.get_with(&url, &qb.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["fault"]["error"][0]["message"]
        .as_str()
        .unwrap()
        .contains("errorCode=003100"));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_reactively() {
    let qb = start().await;
    assert_eq!(qb.get("customer/1").await.0, StatusCode::OK);
    qb.fault(json!({ "kind": "token_expired", "next": 1 }))
        .await;
    let (status, body) = qb.get("customer/1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["fault"]["error"][0]["code"], "3200");
    let (id, secret) = (
        qb.creds["client_id"].as_str().unwrap(),
        qb.creds["client_secret"].as_str().unwrap(),
    );
    let fresh: Value = qb
        .http
        .post(qb.url("/oauth2/v1/tokens/bearer"))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", qb.refresh.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, _, _) = qb
        .get_with(
            &qb.api("customer/1"),
            fresh["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn single_reads_show_string_ids_and_offset_times() {
    let qb = start().await;
    let (status, _, body) = qb.get_with(&qb.api("customer/2"), &qb.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = &body["Customer"];
    assert_eq!(c["Id"], "2");
    assert!(
        c["SyncToken"].is_string()
            && c["DisplayName"].is_string()
            && c["Balance"].is_number()
            && c["Active"].is_boolean()
    );
    assert!(
        is_offset_time(c["MetaData"]["CreateTime"].as_str().unwrap()),
        "{}",
        c["MetaData"]
    );
    assert!(is_offset_time(
        c["MetaData"]["LastUpdatedTime"].as_str().unwrap()
    ));
    assert!(body["time"].is_string());
    let (status, body) = qb.get("customer/999999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fault(&body),
        (
            "610".into(),
            "Object Not Found".into(),
            "ValidationFault".into()
        )
    );
    let (status, body) = qb.get(&format!("companyinfo/{}", qb.realm)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["CompanyInfo"]["CompanyName"].is_string());
    let invoice = qb
        .rows("select * from Invoice maxresults 1", "Invoice")
        .await
        .remove(0);
    assert!(
        invoice["CustomerRef"]["value"].is_string()
            && invoice["TotalAmt"].is_number()
            && invoice["DocNumber"].is_string()
    );
    assert!(invoice["Line"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["DetailType"] == "SalesItemLineDetail"
            && l["SalesItemLineDetail"]["ItemRef"]["value"].is_string()));
    assert_eq!(invoice["TxnDate"].as_str().unwrap().len(), 10, "YYYY-MM-DD");
}

#[tokio::test]
async fn minorversion_below_75_is_ignored_unless_strict() {
    let qb = start().await;
    let url = format!(
        "{}/v3/company/{}/customer/1?minorversion=65",
        qb.base, qb.realm
    );
    assert_eq!(qb.get_with(&url, &qb.token).await.0, StatusCode::OK);
    qb.limits(json!({ "reject_minorversion_below_75": true }))
        .await;
    let (status, _, body) = qb.get_with(&url, &qb.token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(fault(&body).2, "ValidationFault");
    assert_eq!(qb.get("customer/1").await.0, StatusCode::OK, "75 is fine");
}

#[tokio::test]
async fn minted_tokens_reset_and_dump() {
    let qb = start().await;
    let (status, minted) = qb.control(Method::POST, "token", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(minted["realmId"], qb.realm.as_str());
    let (status, _, body) = qb
        .get_with(
            &qb.api(&format!("companyinfo/{}", qb.realm)),
            minted["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, dump) = qb.control(Method::GET, "dump", None).await;
    assert_eq!(dump["Customer"].as_array().unwrap().len(), 300);
    let first = dump["Customer"][0].clone();
    qb.control(Method::POST, "reset", Some(json!({}))).await;
    let (_, again) = qb.control(Method::GET, "dump", None).await;
    assert_eq!(
        again["Customer"][0], first,
        "the same seed gives the same data"
    );
    assert_eq!(
        qb.get("customer/1").await.0,
        StatusCode::UNAUTHORIZED,
        "reset forgets tokens"
    );
    qb.control(Method::POST, "reset", Some(json!({ "seed": 8 })))
        .await;
    let (_, other) = qb.control(Method::GET, "dump", None).await;
    assert_ne!(
        other["realmId"], dump["realmId"],
        "another seed, another company"
    );
}

//! Create/update with SyncTokens, duplicate names, transactions and their deletes, batch
//! and change data capture.

use crate::support::{fault, start};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn customers_create_update_and_stale_sync_tokens() {
    let qb = start().await;
    let (status, body) = qb.post("customer", &json!({ "DisplayName": "Zephyr Tools", "PrimaryEmailAddr": { "Address": "ap@zephyr.example.com" }, "CompanyName": "Zephyr" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = &body["Customer"];
    assert!(c["Id"].is_string());
    assert_eq!(
        (c["SyncToken"].as_str(), c["Active"].as_bool()),
        (Some("0"), Some(true))
    );
    let id = c["Id"].as_str().unwrap().to_owned();

    let (status, body) = qb
        .post(
            "customer",
            &json!({ "Id": id, "SyncToken": "0", "sparse": true, "Notes": "vip" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Customer"]["SyncToken"], "1");
    assert_eq!(
        body["Customer"]["CompanyName"], "Zephyr",
        "sparse keeps unsent fields"
    );
    assert_eq!(body["Customer"]["Notes"], "vip");

    let (status, body) = qb
        .post(
            "customer",
            &json!({ "Id": id, "SyncToken": "0", "sparse": true, "Notes": "late" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fault(&body),
        (
            "5010".into(),
            "Stale Object Error".into(),
            "ValidationFault".into()
        )
    );

    let (status, body) = qb
        .post(
            "customer",
            &json!({ "Id": id, "SyncToken": "1", "DisplayName": "Zephyr Tools" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["Customer"].get("CompanyName").is_none(),
        "a full update replaces the entity"
    );
    assert_eq!(body["Customer"]["SyncToken"], "2");

    qb.fault(json!({ "kind": "stale_sync_token", "next": 1 }))
        .await;
    let (status, body) = qb
        .post(
            "customer",
            &json!({ "Id": id, "SyncToken": "2", "sparse": true, "Notes": "x" }),
        )
        .await;
    assert_eq!(
        (status, fault(&body).0.as_str()),
        (StatusCode::BAD_REQUEST, "5010"),
        "injected stale SyncToken"
    );
    assert_eq!(
        qb.post(
            "customer",
            &json!({ "Id": id, "SyncToken": "2", "sparse": true, "Notes": "x" })
        )
        .await
        .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn display_names_are_unique_and_customers_are_deactivated_not_deleted() {
    let qb = start().await;
    let existing = qb
        .rows("select * from Customer maxresults 1", "Customer")
        .await
        .remove(0);
    let (status, body) = qb
        .post(
            "customer",
            &json!({ "DisplayName": existing["DisplayName"] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        fault(&body),
        (
            "6240".into(),
            "Duplicate Name Exists Error".into(),
            "ValidationFault".into()
        )
    );
    qb.fault(json!({ "kind": "duplicate_value", "next": 1 }))
        .await;
    assert_eq!(
        fault(
            &qb.post("customer", &json!({ "DisplayName": "Brand New Name 1" }))
                .await
                .1
        )
        .0,
        "6240",
        "injected duplicate"
    );
    assert_eq!(
        qb.post(
            "customer",
            &json!({ "GivenName": "Ada", "FamilyName": "Quince" })
        )
        .await
        .1["Customer"]["DisplayName"],
        "Ada Quince"
    );
    assert_eq!(
        qb.post("customer", &json!({ "Notes": "nameless" })).await.0,
        StatusCode::BAD_REQUEST
    );

    let id = existing["Id"].as_str().unwrap();
    let (status, body) = qb
        .post(
            "customer?operation=delete",
            &json!({ "Id": id, "SyncToken": existing["SyncToken"] }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "customers cannot be deleted: {body}"
    );
    assert!(body["Fault"]["Error"][0]["code"].is_string());
    let (status, _) = qb.post("customer", &json!({ "Id": id, "SyncToken": existing["SyncToken"], "sparse": true, "Active": false })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        qb.rows(
            &format!("select * from Customer where Id = '{id}'"),
            "Customer"
        )
        .await
        .is_empty(),
        "inactive rows are hidden"
    );
    assert_eq!(
        qb.rows(
            &format!("select * from Customer where Id = '{id}' and Active in (true, false)"),
            "Customer"
        )
        .await
        .len(),
        1
    );
}

async fn balance(qb: &crate::support::Qb, id: &str) -> f64 {
    qb.get(&format!("customer/{id}")).await.1["Customer"]["Balance"]
        .as_f64()
        .unwrap()
}

#[tokio::test]
async fn invoices_payments_balances_and_transaction_deletes() {
    let qb = start().await;
    let customer = qb
        .rows(
            "select * from Customer where Id > '0' maxresults 1",
            "Customer",
        )
        .await
        .remove(0);
    let cid = customer["Id"].as_str().unwrap().to_owned();
    let opening = balance(&qb, &cid).await;
    let line = json!({ "DetailType": "SalesItemLineDetail", "Amount": 150.0, "SalesItemLineDetail": { "ItemRef": { "value": "1" }, "Qty": 1, "UnitPrice": 150 } });
    let (status, body) = qb
        .post(
            "invoice",
            &json!({ "CustomerRef": { "value": cid }, "Line": [line, line] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let inv = body["Invoice"].clone();
    assert_eq!(
        (inv["TotalAmt"].as_f64(), inv["Balance"].as_f64()),
        (Some(300.0), Some(300.0))
    );
    assert!(inv["DocNumber"]
        .as_str()
        .is_some_and(|d| !d.is_empty() && d.len() <= 21));
    assert_eq!(inv["TxnDate"].as_str().unwrap().len(), 10);
    assert!((balance(&qb, &cid).await - (opening + 300.0)).abs() < 0.001);
    assert_eq!(
        qb.post("invoice", &json!({ "CustomerRef": { "value": cid } }))
            .await
            .0,
        StatusCode::BAD_REQUEST,
        "a Line is required"
    );
    let (_, dup) = qb.post("invoice", &json!({ "CustomerRef": { "value": cid }, "Line": [line], "DocNumber": inv["DocNumber"] })).await;
    assert_eq!(fault(&dup).0, "6210");

    let iid = inv["Id"].as_str().unwrap();
    let pay = json!({ "CustomerRef": { "value": cid }, "TotalAmt": 100.0, "Line": [{ "Amount": 100.0, "LinkedTxn": [{ "TxnId": iid, "TxnType": "Invoice" }] }] });
    let (status, body) = qb.post("payment", &pay).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let payment = body["Payment"].clone();
    let (_, after) = qb.get(&format!("invoice/{iid}")).await;
    assert_eq!(after["Invoice"]["Balance"].as_f64(), Some(200.0));
    assert!((balance(&qb, &cid).await - (opening + 200.0)).abs() < 0.001);
    let over = json!({ "CustomerRef": { "value": cid }, "TotalAmt": 500.0, "Line": [{ "Amount": 500.0, "LinkedTxn": [{ "TxnId": iid, "TxnType": "Invoice" }] }] });
    assert_eq!(
        qb.post("payment", &over).await.0,
        StatusCode::BAD_REQUEST,
        "cannot apply more than the open balance"
    );
    assert_eq!(
        qb.post("payment", &json!({ "CustomerRef": { "value": cid } }))
            .await
            .0,
        StatusCode::BAD_REQUEST,
        "TotalAmt is required"
    );

    let (status, body) = qb
        .post(
            "payment?operation=delete",
            &json!({ "Id": payment["Id"], "SyncToken": payment["SyncToken"] }),
        )
        .await;
    assert_eq!(
        (status, body["Payment"]["status"].as_str()),
        (StatusCode::OK, Some("Deleted")),
        "{body}"
    );
    let (_, fresh) = qb.get(&format!("invoice/{iid}")).await;
    assert_eq!(fresh["Invoice"]["Balance"].as_f64(), Some(300.0));
    let (_, stale) = qb
        .post(
            "invoice?operation=delete",
            &json!({ "Id": iid, "SyncToken": inv["SyncToken"] }),
        )
        .await;
    assert_eq!(
        fault(&stale).0,
        "5010",
        "the payments bumped the invoice's SyncToken"
    );
    let (status, body) = qb
        .post(
            "invoice?operation=delete",
            &json!({ "Id": iid, "SyncToken": fresh["Invoice"]["SyncToken"] }),
        )
        .await;
    assert_eq!(
        (status, body["Invoice"]["status"].as_str()),
        (StatusCode::OK, Some("Deleted"))
    );
    assert_eq!(fault(&qb.get(&format!("invoice/{iid}")).await.1).0, "610");
    assert!((balance(&qb, &cid).await - opening).abs() < 0.001);
}

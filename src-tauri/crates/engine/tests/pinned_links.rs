//! Pinning a pair of records by hand: each id must be one its provider could give a
//! record of the mapping's object (HubSpot digits; a Salesforce id of the right object),
//! or the pin is refused with `validation` and nothing is stored.

#![allow(clippy::unwrap_used)]

mod common;

use switchyard_engine::ErrorCode;

#[tokio::test]
async fn pinned_ids_are_checked_against_each_sides_provider_and_object() {
    let setup = common::sandbox_engine(3, 5).await;
    let engine = &setup.engine;
    // HubSpot contacts → Salesforce Leads.
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    let lead = "00QD000000K0fXO";
    engine.pin_link(&mapping.id, " 501 ", lead).await.unwrap();

    for (source, target, says) in [
        ("abc", lead, "digits"),
        ("501' OR '1", lead, "digits"),
        ("502", "001D000000K0fXOIAZ", "start with 00Q"), // an Account id
        (
            "503",
            "00QD000000K0fXO' OR Id != '",
            "not a Salesforce record id",
        ),
        ("504", "00QD000000K0fXOAAA", "not a Salesforce record id"), // wrong checksum
    ] {
        let e = engine
            .pin_link(&mapping.id, source, target)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{source} {target}: {e}");
        assert!(e.message.contains(says), "{source} {target}: {}", e.message);
    }
    let links = engine.list_links(&mapping.id, "", 50).await.unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(
        (links[0].source_id.as_str(), links[0].target_id.as_str()),
        ("501", lead)
    );
}

//! Deletes by policy on a one-way sync: archived HubSpot contacts remove their linked
//! Salesforce Leads with `propagate`, are queued for the user with `review` (the Lead
//! left alone), and each is handled once.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Value as Json};
use switchyard_engine::store::kinds::{DeletePolicy, ProviderId, SyncDirection};
use switchyard_engine::store::tables::{links, run_errors};
use switchyard_engine::sync::RunOptions;
use switchyard_engine::Engine;

async fn sandbox(engine: &Engine, provider: ProviderId, path: &str, body: Option<Json>) -> Json {
    common::sandbox(engine, provider, path, body).await
}

fn live_lead(sf: &Json, id: &str) -> bool {
    sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["Id"] == id && l["IsDeleted"] != true)
}

#[tokio::test]
async fn deletes_are_propagated_or_queued_by_policy() {
    let setup = common::sandbox_engine(31, 120).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    draft.delete_policy = DeletePolicy::Propagate;
    let mapping = engine.create_mapping(draft.clone()).await.unwrap();
    let quiet = |_| {};
    engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let pool = engine.store().pool();
    let pairs = links::search(pool, &mapping.id, "", 10).await.unwrap();
    assert_eq!(pairs.len(), 10);

    // Propagate: three contacts archived in HubSpot → their Leads go.
    for pair in &pairs[..3] {
        sandbox(
            engine,
            ProviderId::Hubspot,
            "mutate",
            Some(json!({ "object": "contacts", "id": pair.source_id, "delete": true })),
        )
        .await;
    }
    let run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        run.message.contains("3 were carried to the other side"),
        "{}",
        run.message
    );
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    for pair in &pairs[..3] {
        assert!(
            !live_lead(&sf, &pair.target_id),
            "{} still there",
            pair.target_id
        );
        assert!(
            links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&pair.source_id))
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert!(live_lead(&sf, &pairs[3].target_id));
    // Handled once: the next run removes nothing.
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(!again.message.contains("carried"), "{}", again.message);

    // Review: two more archived → queued for the user, the Leads untouched.
    engine
        .update_mapping(
            &mapping.id,
            switchyard_engine::mapping::model::MappingDraft {
                delete_policy: DeletePolicy::Review,
                ..draft
            },
        )
        .await
        .unwrap();
    for pair in &pairs[3..5] {
        sandbox(
            engine,
            ProviderId::Hubspot,
            "mutate",
            Some(json!({ "object": "contacts", "id": pair.source_id, "delete": true })),
        )
        .await;
    }
    let run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        run.message.contains("2 queued for review"),
        "{}",
        run.message
    );
    let queued: Vec<_> = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "delete_review")
        .collect();
    assert_eq!(queued.len(), 2);
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert!(pairs[3..5].iter().all(|p| live_lead(&sf, &p.target_id)));
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        !again.message.contains("queued"),
        "queued once: {}",
        again.message
    );
}

#[tokio::test]
async fn two_way_deletes_on_the_target_reach_the_source() {
    let setup = common::sandbox_engine(37, 80).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.delete_policy = DeletePolicy::Propagate;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};
    engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let pool = engine.store().pool();
    let pair = links::search(pool, &mapping.id, "", 1)
        .await
        .unwrap()
        .remove(0);
    sandbox(
        engine,
        ProviderId::Salesforce,
        "mutate",
        Some(json!({ "object": "Lead", "id": pair.target_id, "delete": true })),
    )
    .await;
    let run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        run.message.contains("1 were carried to the other side"),
        "{}",
        run.message
    );
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let contact = hs["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == pair.source_id.as_str())
        .cloned();
    assert!(
        contact.is_none_or(|c| c["archived"] == true),
        "the HubSpot contact is archived"
    );
    assert!(
        links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&pair.source_id))
            .await
            .unwrap()
            .is_empty()
    );
}

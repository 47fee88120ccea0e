//! Two-way HubSpot contacts ↔ Salesforce Leads: both directions in one run, no echo on
//! an unchanged re-run, a change on one side flows to the other, a field changed on both
//! sides is settled by the conflict policy (newest wins) or queued for review.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Value as Json};
use switchyard_engine::mapping::model::MappingDraft;
use switchyard_engine::store::kinds::{ConflictPolicy, ProviderId};
use switchyard_engine::store::tables::{links, run_errors};
use switchyard_engine::sync::RunOptions;
use switchyard_engine::Engine;

async fn sandbox(engine: &Engine, provider: ProviderId, path: &str, body: Option<Json>) -> Json {
    common::sandbox(engine, provider, path, body).await
}

fn hs_title(hs: &Json, id: &str) -> Option<String> {
    hs["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["properties"]["jobtitle"].as_str().map(str::to_owned))
}

fn sf_title(sf: &Json, id: &str) -> Option<String> {
    sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["Id"] == id)
        .and_then(|l| l["Title"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn both_ways_without_echo_and_conflicts_by_policy() {
    let setup = common::sandbox_engine(41, 160).await;
    let engine = &setup.engine;
    let draft: MappingDraft = setup.contacts_to_leads().await;
    assert_eq!(draft.direction.as_str(), "two_way");
    assert_eq!(draft.conflict_policy, ConflictPolicy::NewestWins);
    let mapping = engine.create_mapping(draft.clone()).await.unwrap();
    let quiet = |_| {};
    let pool = engine.store().pool();

    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        first.message.contains("Back to the source"),
        "Leads only Salesforce had went to HubSpot: {}",
        first.message
    );
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let linked = links::count(pool, &mapping.id).await.unwrap() as usize;
    let open = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap()
        .len();
    assert!(
        linked + open >= hs["contacts"].as_array().unwrap().len(),
        "every contact is linked or has a reason: {linked} + {open}"
    );
    assert!(hs["contacts"].as_array().unwrap().len() > 80);
    let _ = sf;

    // Nothing changed means nothing written either way (no echo), including the values
    // the target filled in on create (Salesforce's default Lead Status): the base has them.
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.updated, again.conflicts),
        (0, 0, 0),
        "{}",
        again.message
    );

    // A change on Salesforce only flows back to HubSpot, once.
    let pair = links::search(pool, &mapping.id, "", 1)
        .await
        .unwrap()
        .remove(0);
    sandbox(engine, ProviderId::Salesforce, "mutate", Some(json!({ "object": "Lead", "id": pair.target_id, "fields": { "Title": "Chief Ünïcode Officer" } }))).await;
    let back = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(back.updated, 1, "{}", back.message);
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    assert_eq!(
        hs_title(&hs, &pair.source_id).as_deref(),
        Some("Chief Ünïcode Officer")
    );
    let quiet_run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        (quiet_run.created, quiet_run.updated),
        (0, 0),
        "no echo: {}",
        quiet_run.message
    );

    // Both sides change the title: the newest (Salesforce, edited second) wins.
    sandbox(engine, ProviderId::Hubspot, "mutate", Some(json!({ "object": "contacts", "id": pair.source_id, "fields": { "jobtitle": "From HubSpot" } }))).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    sandbox(engine, ProviderId::Salesforce, "mutate", Some(json!({ "object": "Lead", "id": pair.target_id, "fields": { "Title": "From Salesforce" } }))).await;
    let settled = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(settled.conflicts, 1, "{}", settled.message);
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(
        hs_title(&hs, &pair.source_id).as_deref(),
        Some("From Salesforce")
    );
    assert_eq!(
        sf_title(&sf, &pair.target_id).as_deref(),
        Some("From Salesforce")
    );

    // Target wins, then source wins, whatever the clocks say.
    for (policy, hs_value, sf_value, kept) in [
        (
            ConflictPolicy::TargetWins,
            "HS edit 1",
            "SF edit 1",
            "SF edit 1",
        ),
        (
            ConflictPolicy::SourceWins,
            "HS edit 2",
            "SF edit 2",
            "HS edit 2",
        ),
    ] {
        engine
            .update_mapping(
                &mapping.id,
                MappingDraft {
                    conflict_policy: policy,
                    ..draft.clone()
                },
            )
            .await
            .unwrap();
        sandbox(
            engine,
            ProviderId::Salesforce,
            "mutate",
            Some(
                json!({ "object": "Lead", "id": pair.target_id, "fields": { "Title": sf_value } }),
            ),
        )
        .await;
        sandbox(engine, ProviderId::Hubspot, "mutate", Some(json!({ "object": "contacts", "id": pair.source_id, "fields": { "jobtitle": hs_value } }))).await;
        let run = engine
            .run_mapping(&mapping.id, RunOptions::default(), &quiet)
            .await
            .unwrap();
        assert_eq!(run.conflicts, 1, "{policy:?}: {}", run.message);
        let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
        let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
        assert_eq!(
            hs_title(&hs, &pair.source_id).as_deref(),
            Some(kept),
            "{policy:?}"
        );
        assert_eq!(
            sf_title(&sf, &pair.target_id).as_deref(),
            Some(kept),
            "{policy:?}"
        );
    }

    // Review: the conflict is queued once and neither side is touched.
    engine
        .update_mapping(
            &mapping.id,
            MappingDraft {
                conflict_policy: ConflictPolicy::Review,
                ..draft
            },
        )
        .await
        .unwrap();
    sandbox(
        engine,
        ProviderId::Hubspot,
        "mutate",
        Some(
            json!({ "object": "contacts", "id": pair.source_id, "fields": { "jobtitle": "Mine" } }),
        ),
    )
    .await;
    sandbox(
        engine,
        ProviderId::Salesforce,
        "mutate",
        Some(json!({ "object": "Lead", "id": pair.target_id, "fields": { "Title": "Theirs" } })),
    )
    .await;
    let review = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(review.conflicts, 1, "{}", review.message);
    let queued: Vec<_> = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "conflict")
        .collect();
    assert_eq!(queued.len(), 1);
    assert!(
        queued[0].message.contains("Mine") && queued[0].message.contains("Theirs"),
        "{}",
        queued[0].message
    );
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(hs_title(&hs, &pair.source_id).as_deref(), Some("Mine"));
    assert_eq!(sf_title(&sf, &pair.target_id).as_deref(), Some("Theirs"));
    engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let still: Vec<_> = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "conflict")
        .collect();
    assert_eq!(still.len(), 1, "queued once");

    // Choosing Salesforce's value writes it to HubSpot now; the next run has nothing to do.
    engine
        .resolve_conflict(still[0].id, switchyard_engine::sync::Keep::Target)
        .await
        .unwrap();
    let hs = sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(hs_title(&hs, &pair.source_id).as_deref(), Some("Theirs"));
    assert_eq!(sf_title(&sf, &pair.target_id).as_deref(), Some("Theirs"));
    assert!(run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap()
        .iter()
        .all(|e| e.code != "conflict"));
    let twice = engine
        .resolve_conflict(still[0].id, switchyard_engine::sync::Keep::Source)
        .await
        .unwrap_err();
    assert_eq!(twice.code.as_str(), "validation");
    let after = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        (after.created, after.updated, after.conflicts),
        (0, 0, 0),
        "{}",
        after.message
    );
}

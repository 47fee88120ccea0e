//! A record whose interrupted create may have landed as one of several look-alikes is
//! settled as `unknown_outcome` for the user to check. Until they do, later runs, dry or
//! real, do not create it again, while the rest of its page goes through; "Retry failed",
//! the user's explicit choice, sends it once.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value as Json;
use switchyard_engine::store::kinds::{ProviderId, RunErrorStatus, Side, SyncDirection};
use switchyard_engine::store::tables::{links, run_errors};
use switchyard_engine::sync::{Action, RunOptions};

/// How many Leads have this e-mail (compared as the match rule does).
fn leads_with(dump: &Json, email: &str) -> usize {
    let wanted = email.trim().to_lowercase();
    dump["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["Email"].as_str().map(|e| e.trim().to_lowercase()) == Some(wanted.clone()))
        .count()
}

#[tokio::test]
async fn an_unknown_outcome_create_is_held_until_the_user_retries_it() {
    let setup = common::sandbox_engine(31, 120).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};
    let dry = || RunOptions {
        dry_run: true,
        ..Default::default()
    };

    // A contact the first run would create, as an earlier run's reconcile left it.
    let plan = engine
        .run_mapping(&mapping.id, dry(), &quiet)
        .await
        .unwrap();
    let creates: Vec<&str> = plan
        .plan
        .iter()
        .filter(|p| p.action == Action::Create)
        .map(|p| p.source_id.as_str())
        .collect();
    assert!(creates.len() > 10, "{}", plan.message);
    // One with an e-mail, so its Leads can be counted by it.
    let hs = common::sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let (held, email) = hs["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| creates.contains(&c["id"].as_str().unwrap()))
        .find_map(|c| {
            let email = c["properties"]["email"].as_str()?.trim();
            (!email.is_empty()).then(|| (c["id"].as_str().unwrap().to_owned(), email.to_owned()))
        })
        .unwrap();
    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let already = leads_with(&sf, &email);
    assert_eq!(already, 0, "a record to create has no Lead yet");
    run_errors::insert(
        engine.store().pool(),
        &run_errors::NewRunError {
            run_id: &plan.run_id,
            mapping_id: &mapping.id,
            side: Side::Target,
            record_id: Some(&held),
            code: "unknown_outcome",
            message: "A create was interrupted and Switchyard cannot tell whether it landed",
            payload: None,
        },
    )
    .await
    .unwrap();

    // A dry run no longer plans it; the real run creates every other record.
    let plan = engine
        .run_mapping(&mapping.id, dry(), &quiet)
        .await
        .unwrap();
    let planned = plan.plan.iter().find(|p| p.source_id == held).unwrap();
    assert_eq!(planned.action, Action::Skip);
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        first.created as usize,
        creates.len() - 1,
        "{}",
        first.message
    );
    let pool = engine.store().pool();
    let linked = links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&held))
        .await
        .unwrap();
    assert!(linked.is_empty(), "the held record is not linked");
    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(leads_with(&sf, &email), already, "no Lead made for it");

    // Still held on the next run, with nothing else to do.
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(again.created, 0, "{}", again.message);

    // "Retry failed": the user's choice sends it, once, and closes its error.
    let retried = engine.retry_failed(&mapping.id, &quiet).await.unwrap();
    assert_eq!(retried.created, 1, "{}", retried.message);
    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(leads_with(&sf, &email), already + 1);
    assert_eq!(
        links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&held))
            .await
            .unwrap()
            .len(),
        1
    );
    let open = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap();
    assert!(
        open.iter()
            .all(|e| e.record_id.as_deref() != Some(&held) || e.status != RunErrorStatus::Open),
        "{open:?}"
    );
    let after = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(after.created, 0, "{}", after.message);
}

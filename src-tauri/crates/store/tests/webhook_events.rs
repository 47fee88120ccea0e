//! `webhook_events` beyond de-duplication: repeats counted, refusals stored with their
//! reason only, the dashboard's counts over a window, and pruning that keeps pending rows.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use switchyard_store::kinds::ProviderId;
use switchyard_store::now_ms;
use switchyard_store::tables::mappings;
use switchyard_store::tables::webhook_events::{self, NewWebhookEvent};

fn event(delivery_id: &str) -> NewWebhookEvent<'_> {
    NewWebhookEvent {
        connection_id: None,
        provider: ProviderId::Quickbooks,
        delivery_id,
        event_type: "qbo.customer.updated.v1",
        object: Some("Customer"),
        record_id: Some("58"),
        signature_valid: true,
        payload: "{}",
    }
}

#[tokio::test]
async fn repeats_are_counted_refusals_keep_only_their_reason() {
    let (store, _d) = common::temp_store().await;
    let pool = store.pool();
    let start = now_ms();
    let first = webhook_events::insert(pool, &event("a")).await.unwrap();
    assert!(first.is_some());
    for _ in 0..3 {
        assert_eq!(
            webhook_events::insert(pool, &event("a")).await.unwrap(),
            None
        );
    }
    webhook_events::insert(pool, &event("b"))
        .await
        .unwrap()
        .unwrap();
    let rejected = webhook_events::insert_rejected(pool, ProviderId::Hubspot, "signature mismatch")
        .await
        .unwrap();
    webhook_events::insert_rejected(pool, ProviderId::Slack, "stale timestamp")
        .await
        .unwrap();

    let row = webhook_events::get(pool, first.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.duplicates, 3);
    assert!(row.last_duplicate_at.unwrap() >= start);
    let refused = webhook_events::get(pool, rejected).await.unwrap().unwrap();
    assert!(!refused.signature_valid);
    assert_eq!(refused.payload, "", "no body of a refused delivery is kept");
    assert_eq!(refused.rejection.as_deref(), Some("signature mismatch"));

    assert_eq!(
        webhook_events::count_rejected(pool, start).await.unwrap(),
        2
    );
    assert_eq!(
        webhook_events::count_rejected(pool, now_ms() + 1)
            .await
            .unwrap(),
        0
    );
    let counts = webhook_events::counts(pool, start).await.unwrap();
    assert_eq!(
        (
            counts.received,
            counts.rejected,
            counts.duplicates,
            counts.pending
        ),
        (2, 2, 3, 2)
    );
    assert!(counts.last_received_at.is_some() && counts.last_rejected_at.is_some());
    let later = webhook_events::counts(pool, now_ms() + 1).await.unwrap();
    assert_eq!(
        (
            later.received,
            later.rejected,
            later.duplicates,
            later.pending
        ),
        (0, 0, 0, 2)
    );

    // Pruning forgets refusals and processed rows, never a pending one.
    webhook_events::mark_processed(pool, first.unwrap(), Some("run-1"))
        .await
        .unwrap();
    let pruned = webhook_events::prune(pool, now_ms() + 1).await.unwrap();
    assert_eq!(pruned, 3, "one processed delivery and two refusals");
    let left = webhook_events::pending(pool, 10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].delivery_id, "b");
}

#[tokio::test]
async fn a_generic_delivery_names_its_mapping_and_goes_with_it() {
    let (store, _d) = common::temp_store().await;
    let pool = store.pool();
    let (mapping, _, _) = common::a_mapping(&store).await;
    assert!(
        webhook_events::insert_for_mapping(pool, &event("g1"), Some("no-such-mapping"))
            .await
            .is_err(),
        "the mapping must exist"
    );
    let id = webhook_events::insert_for_mapping(pool, &event("g2"), Some(&mapping.id))
        .await
        .unwrap()
        .unwrap();
    let row = webhook_events::get(pool, id).await.unwrap().unwrap();
    assert_eq!(row.mapping_id.as_deref(), Some(mapping.id.as_str()));
    mappings::delete(pool, &mapping.id).await.unwrap();
    assert_eq!(webhook_events::get(pool, id).await.unwrap(), None);
}

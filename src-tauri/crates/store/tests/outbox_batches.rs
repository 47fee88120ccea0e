//! `outbox_batches`: a batch recorded and read back byte for byte (ids and payloads with
//! quotes, backslashes and non-ASCII text), settled, and exploded into per-record
//! intents in state `sent` dated when the batch was recorded; and the `outbox` helpers a
//! batch uses to take over open intents of the same writes.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use switchyard_store::kinds::*;
use switchyard_store::tables::outbox_batches::{self, BatchItem, NewBatch};
use switchyard_store::tables::{outbox, runs};
use switchyard_store::Store;

/// A mapping, one of its connections and a run of it.
async fn a_run(store: &Store) -> (String, String, String) {
    let (m, _, hubspot) = common::a_mapping(store).await;
    let run = runs::insert(
        store.pool(),
        &runs::NewRun {
            mapping_id: &m.id,
            trigger: RunTrigger::Cli,
            dry_run: false,
            full_resync: false,
            call_budget: None,
        },
    )
    .await
    .unwrap();
    (m.id, hubspot, run.id)
}

#[tokio::test]
async fn a_batch_reads_back_exactly_and_explodes_into_sent_intents() {
    let (store, _d) = common::temp_store().await;
    let (mapping, conn, run) = a_run(&store).await;
    let pool = store.pool();
    let new = NewBatch {
        run_id: &run,
        mapping_id: &mapping,
        connection_id: &conn,
        object: "contacts",
        operation: OutboxOp::Create,
        way: "fwd",
    };
    let odd = r#"{"LastName":"Nguyễn \"Chloé\" \\ 1.50","Email":null}"#;
    let items = [
        BatchItem {
            source_id: "101",
            target_id: None,
            payload: odd,
        },
        BatchItem {
            source_id: "id \"with\" quotes",
            target_id: Some("00Q7"),
            payload: "{}",
        },
    ];
    let first = outbox_batches::record(pool, &new, &items).await.unwrap();
    let second = outbox_batches::record(pool, &new, &items[1..])
        .await
        .unwrap();
    assert!(second > first);

    let open = outbox_batches::open(pool, &mapping).await.unwrap();
    assert_eq!(open.len(), 2);
    assert_eq!(open[0].id, first);
    assert_eq!(open[0].way, "fwd");
    assert_eq!(open[0].operation, OutboxOp::Create);
    let got: Vec<(&str, Option<&str>, &str)> = open[0]
        .items
        .iter()
        .map(|i| {
            (
                i.source_id.as_str(),
                i.target_id.as_deref(),
                i.payload.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("101", None, odd),
            ("id \"with\" quotes", Some("00Q7"), "{}")
        ]
    );
    assert!(outbox_batches::open(pool, "another mapping")
        .await
        .unwrap()
        .is_empty());

    // Settled: gone.
    outbox_batches::settle(pool, second).await.unwrap();
    assert_eq!(outbox_batches::open(pool, &mapping).await.unwrap().len(), 1);

    // Exploded: one sent intent per item, dated when the batch was recorded.
    let mut conn_ = pool.acquire().await.unwrap();
    let keys = vec![
        format!("{mapping}:fwd:101:create:a"),
        format!("{mapping}:fwd:q:create:b"),
    ];
    assert!(outbox_batches::explode(&mut conn_, &open[0], &keys[..1])
        .await
        .is_err());
    outbox_batches::explode(&mut conn_, &open[0], &keys)
        .await
        .unwrap();
    assert!(outbox_batches::open(pool, &mapping)
        .await
        .unwrap()
        .is_empty());
    let left = outbox::unfinished(pool, &mapping).await.unwrap();
    assert_eq!(left.len(), 2);
    assert!(left.iter().all(|i| i.state == OutboxState::Sent
        && i.attempts == 1
        && i.created_at == open[0].created_at
        && i.run_id == run
        && i.operation == OutboxOp::Create));
    assert_eq!(left[0].payload, odd);
    assert_eq!(left[1].target_id.as_deref(), Some("00Q7"));
    assert_eq!(left[1].idempotency_key, keys[1]);

    // The table refuses items that are not JSON.
    let bad = sqlx::query(
        "INSERT INTO outbox_batches (run_id, mapping_id, connection_id, object, operation, way, items, created_at)
         VALUES (?, ?, ?, 'contacts', 'create', 'fwd', '[{', 0)",
    )
    .bind(&run)
    .bind(&mapping)
    .bind(&conn)
    .execute(pool)
    .await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn open_intents_are_found_by_mapping_and_taken_over_by_key() {
    let (store, _d) = common::temp_store().await;
    let (mapping, conn, run) = a_run(&store).await;
    let pool = store.pool();
    let prefix = format!("{mapping}:");
    assert!(!outbox::any_open_with_prefix(pool, &prefix).await.unwrap());

    let key = |n: u32| format!("{mapping}:fwd:{n}:create:d");
    let keys: Vec<String> = (1..=3).map(key).collect();
    let intents: Vec<outbox::NewIntent<'_>> = keys
        .iter()
        .map(|k| outbox::NewIntent {
            run_id: &run,
            mapping_id: &mapping,
            connection_id: &conn,
            object: "contacts",
            operation: OutboxOp::Create,
            source_id: Some("1"),
            target_id: None,
            idempotency_key: k,
            payload: "{}",
        })
        .collect();
    let mut c = pool.acquire().await.unwrap();
    let ids = outbox::record_many(&mut c, &intents, false).await.unwrap();
    // A mapping whose id only starts like this one's has none open.
    let longer = format!("{}x:", &prefix[..prefix.len() - 1]);
    assert!(!outbox::any_open_with_prefix(pool, &longer).await.unwrap());
    assert!(outbox::any_open_with_prefix(pool, &prefix).await.unwrap());

    // Confirmed intents are history: neither counted open nor taken over.
    outbox::confirm(pool, ids[0].0, Some("00Q1")).await.unwrap();
    outbox::fail(pool, ids[1].0, "DUPLICATE_VALUE")
        .await
        .unwrap();
    let taken = outbox::take_over(pool, &[keys[0].as_str(), keys[1].as_str(), "other"])
        .await
        .unwrap();
    assert_eq!(taken, 1, "only the failed one of the two is open");
    assert!(outbox::any_open_with_prefix(pool, &prefix).await.unwrap());
    assert_eq!(
        outbox::take_over(pool, &[keys[2].as_str()]).await.unwrap(),
        1
    );
    assert!(!outbox::any_open_with_prefix(pool, &prefix).await.unwrap());
    assert_eq!(outbox::take_over(pool, &[]).await.unwrap(), 0);
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "the confirmed intent stays as history");
}

//! One test per repository module, against a real temp database.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::{a_mapping, two_connections};

use switchyard_store::kinds::*;
use switchyard_store::now_ms;
use switchyard_store::tables::*;

#[tokio::test]
async fn connections_crud_and_status() {
    let (store, _d) = common::temp_store().await;
    let (a, _) = two_connections(&store).await;
    let listed = connections::list(store.pool()).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].status, ConnectionStatus::Connected);
    connections::set_status(
        store.pool(),
        &a,
        ConnectionStatus::NeedsReconnect,
        Some("Salesforce signed you out"),
    )
    .await
    .unwrap();
    connections::set_token_expiry(store.pool(), &a, Some(42))
        .await
        .unwrap();
    connections::rename(store.pool(), &a, "Prod SF")
        .await
        .unwrap();
    let got = connections::get(store.pool(), &a).await.unwrap();
    assert_eq!(got.status, ConnectionStatus::NeedsReconnect);
    assert_eq!(
        got.status_message.as_deref(),
        Some("Salesforce signed you out")
    );
    assert_eq!(got.token_expires_at, Some(42));
    assert_eq!(got.label, "Prod SF");
    assert!(got.last_checked_at.is_some());
    assert!(connections::get(store.pool(), "nope").await.is_err());
    // The CHECK constraint keeps unknown providers out even with raw SQL.
    let bad = sqlx::query("UPDATE connections SET provider = 'myspace' WHERE id = ?")
        .bind(&a)
        .execute(store.pool())
        .await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn mappings_and_field_rows() {
    let (store, _d) = common::temp_store().await;
    let (m, a, _) = a_mapping(&store).await;
    let rows = vec![
        field_maps::FieldRow {
            source_field: Some("Email".into()),
            target_field: "email".into(),
            transform: r#"[{"op":"lowercase"}]"#.into(),
            sync_rule: SyncRule::TwoWay,
            reverse_transform: r#"[{"op":"trim"}]"#.into(),
        },
        field_maps::FieldRow {
            source_field: Some("LastName".into()),
            target_field: "lastname".into(),
            transform: "[]".into(),
            sync_rule: SyncRule::AlwaysSource,
            reverse_transform: "[]".into(),
        },
    ];
    let mut tx = store.pool().begin().await.unwrap();
    field_maps::replace(&mut tx, &m.id, &rows).await.unwrap();
    tx.commit().await.unwrap();
    let listed = mappings::list_with_counts(store.pool()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].field_count, 2);
    assert_eq!(listed[0].mapping.direction, SyncDirection::TwoWay);
    let fields = field_maps::list(store.pool(), &m.id).await.unwrap();
    assert_eq!(
        fields
            .iter()
            .map(|f| f.target_field.as_str())
            .collect::<Vec<_>>(),
        ["email", "lastname"]
    );
    mappings::set_enabled(store.pool(), &m.id, false)
        .await
        .unwrap();
    assert!(!mappings::get(store.pool(), &m.id).await.unwrap().enabled);
    // Deleting a connection removes its mappings and their rows.
    connections::delete(store.pool(), &a).await.unwrap();
    assert!(mappings::list_with_counts(store.pool())
        .await
        .unwrap()
        .is_empty());
    assert!(field_maps::list(store.pool(), &m.id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn links_identity_map() {
    let (store, _d) = common::temp_store().await;
    let (m, _, _) = a_mapping(&store).await;
    for i in 0..5 {
        let (s, t) = (format!("00Q{i}"), format!("{}", 900 + i));
        links::upsert(
            store.pool(),
            &links::LinkUpsert {
                mapping_id: &m.id,
                source_id: &s,
                target_id: &t,
                base: "{}",
                source_modified_at: None,
                target_modified_at: None,
                run_id: None,
            },
        )
        .await
        .unwrap();
    }
    let got = links::by_source_ids(
        store.pool(),
        &m.id,
        &["00Q1".into(), "00Q3".into(), "missing".into()],
    )
    .await
    .unwrap();
    assert_eq!(got.len(), 2);
    let got = links::by_target_ids(store.pool(), &m.id, &["904".into()])
        .await
        .unwrap();
    assert_eq!(got[0].source_id, "00Q4");
    // Pin 00Q1 to 904 by hand: both old links of those records go.
    let mut conn = store.pool().acquire().await.unwrap();
    links::pin(&mut conn, &m.id, "00Q1", "904").await.unwrap();
    drop(conn);
    assert_eq!(links::count(store.pool(), &m.id).await.unwrap(), 4);
    // A pinned pair keeps its target when the sync upserts.
    links::upsert(
        store.pool(),
        &links::LinkUpsert {
            mapping_id: &m.id,
            source_id: "00Q1",
            target_id: "999",
            base: r#"{"a":1}"#,
            source_modified_at: Some(1),
            target_modified_at: None,
            run_id: None,
        },
    )
    .await
    .unwrap();
    let l = &links::by_source_ids(store.pool(), &m.id, &["00Q1".into()])
        .await
        .unwrap()[0];
    assert_eq!(
        (l.target_id.as_str(), l.pinned, l.base.as_str()),
        ("904", true, r#"{"a":1}"#)
    );
    assert_eq!(
        links::search(store.pool(), &m.id, "90", 10)
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        links::search(store.pool(), &m.id, "%", 10)
            .await
            .unwrap()
            .len(),
        0,
        "LIKE wildcards are literal"
    );
    assert!(links::unlink(store.pool(), &m.id, "00Q2").await.unwrap());
    assert_eq!(links::count(store.pool(), &m.id).await.unwrap(), 3);
    // Many at once: new pairs are added, known ones refreshed, a pinned one keeps its target.
    let pair = |source_id: &'static str, target_id: &'static str| links::LinkUpsert {
        mapping_id: &m.id,
        source_id,
        target_id,
        base: r#"{"b":2}"#,
        source_modified_at: None,
        target_modified_at: Some(7),
        run_id: None,
    };
    links::upsert_many(
        &mut store.pool().acquire().await.unwrap(),
        &[
            pair("00Q1", "998"),
            pair("00Q3", "903"),
            pair("00Q7", "907"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(links::count(store.pool(), &m.id).await.unwrap(), 4);
    let mut got = links::by_source_ids(
        store.pool(),
        &m.id,
        &["00Q1".into(), "00Q3".into(), "00Q7".into()],
    )
    .await
    .unwrap();
    got.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    let seen: Vec<(&str, &str, &str, Option<i64>)> = got
        .iter()
        .map(|l| {
            (
                l.source_id.as_str(),
                l.target_id.as_str(),
                l.base.as_str(),
                l.target_modified_at,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("00Q1", "904", r#"{"b":2}"#, Some(7)),
            ("00Q3", "903", r#"{"b":2}"#, Some(7)),
            ("00Q7", "907", r#"{"b":2}"#, Some(7))
        ]
    );
}

#[tokio::test]
async fn cursors_and_runs_checkpoint_together() {
    let (store, _d) = common::temp_store().await;
    let (m, _, _) = a_mapping(&store).await;
    let run = runs::insert(
        store.pool(),
        &runs::NewRun {
            mapping_id: &m.id,
            trigger: RunTrigger::Manual,
            dry_run: false,
            full_resync: true,
            call_budget: Some(100),
        },
    )
    .await
    .unwrap();
    assert_eq!(run.status, RunStatus::Running);

    let mut tx = store.pool().begin().await.unwrap();
    cursors::set(&mut *tx, &m.id, Side::Source, "2026-11-28T10:00:00Z|00Q9")
        .await
        .unwrap();
    runs::checkpoint(
        &mut *tx,
        &run.id,
        "writing",
        runs::Counts {
            read: 200,
            created: 150,
            skipped: 50,
            calls: 3,
            ..Default::default()
        },
        Some(r#"{"page":1}"#),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(
        cursors::get(store.pool(), &m.id, Side::Source)
            .await
            .unwrap(),
        None,
        "rolled back together"
    );
    assert_eq!(
        runs::get(store.pool(), &run.id).await.unwrap().records_read,
        0
    );

    let mut tx = store.pool().begin().await.unwrap();
    cursors::set(&mut *tx, &m.id, Side::Source, "c1")
        .await
        .unwrap();
    runs::checkpoint(
        &mut *tx,
        &run.id,
        "writing",
        runs::Counts {
            read: 200,
            created: 150,
            skipped: 50,
            calls: 3,
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    runs::checkpoint(
        store.pool(),
        &run.id,
        "writing",
        runs::Counts {
            read: 10,
            failed: 1,
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    let got = runs::get(store.pool(), &run.id).await.unwrap();
    assert_eq!(
        (
            got.records_read,
            got.records_created,
            got.records_failed,
            got.calls_made
        ),
        (210, 150, 1, 3)
    );
    assert_eq!(
        cursors::get(store.pool(), &m.id, Side::Source)
            .await
            .unwrap()
            .as_deref(),
        Some("c1")
    );

    assert_eq!(
        runs::interrupted(store.pool(), now_ms() + 1)
            .await
            .unwrap()
            .len(),
        1
    );
    runs::finish(
        store.pool(),
        &run.id,
        RunStatus::Partial,
        Some("1 record failed"),
    )
    .await
    .unwrap();
    assert!(
        runs::finish(store.pool(), &run.id, RunStatus::Succeeded, None)
            .await
            .is_err(),
        "finished once"
    );
    assert!(
        runs::checkpoint(store.pool(), &run.id, "x", runs::Counts::default(), None)
            .await
            .is_err()
    );
    let recent = runs::recent(store.pool(), 10).await.unwrap();
    assert_eq!(recent[0].mapping_name, "Leads to contacts");
    assert_eq!(recent[0].run.status, RunStatus::Partial);
    assert_eq!(cursors::reset(store.pool(), &m.id).await.unwrap(), 1);
}

#[tokio::test]
async fn run_errors_and_outbox() {
    let (store, _d) = common::temp_store().await;
    let (m, _, b) = a_mapping(&store).await;
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
    let e = run_errors::insert(
        store.pool(),
        &run_errors::NewRunError {
            run_id: &run.id,
            mapping_id: &m.id,
            side: Side::Target,
            record_id: Some("00Q1"),
            code: "CONFLICT",
            message: "Contact already exists",
            payload: Some("{}"),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        run_errors::open_for_mapping(store.pool(), &m.id)
            .await
            .unwrap()
            .len(),
        1
    );
    run_errors::set_status(store.pool(), e, RunErrorStatus::Resolved)
        .await
        .unwrap();
    assert!(run_errors::open_for_mapping(store.pool(), &m.id)
        .await
        .unwrap()
        .is_empty());
    assert!(run_errors::for_run(store.pool(), &run.id).await.unwrap()[0]
        .resolved_at
        .is_some());

    let mut conn = store.pool().acquire().await.unwrap();
    let intent = outbox::NewIntent {
        run_id: &run.id,
        mapping_id: &m.id,
        connection_id: &b,
        object: "contacts",
        operation: OutboxOp::Create,
        source_id: Some("00Q1"),
        target_id: None,
        idempotency_key: "run1:00Q1:create",
        payload: "{}",
    };
    let (id1, state) = outbox::record_many(&mut conn, std::slice::from_ref(&intent), false)
        .await
        .unwrap()[0];
    assert_eq!(state, OutboxState::Pending);
    let second = outbox::NewIntent {
        idempotency_key: "run1:00Q2:create",
        source_id: Some("00Q2"),
        ..intent.clone()
    };
    let third = outbox::NewIntent {
        idempotency_key: "run1:00Q3:create",
        source_id: Some("00Q3"),
        ..intent.clone()
    };
    // A batch: ids come back in the order asked, the known key gives its old intent.
    let got = outbox::record_many(
        &mut conn,
        &[second.clone(), intent.clone(), third.clone()],
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        got[1],
        (id1, OutboxState::Pending),
        "same idempotency key, same intent"
    );
    assert!(got[0].0 != id1 && got[2].0 != id1 && got[0].0 != got[2].0);
    let (other, third_id) = (got[0].0, got[2].0);
    // Recorded again as sent: the same intents, handed to the provider (one attempt).
    let sent_ids = outbox::record_many(&mut conn, &[intent.clone(), second.clone()], true)
        .await
        .unwrap();
    assert_eq!(
        sent_ids,
        [(id1, OutboxState::Sent), (other, OutboxState::Sent)]
    );
    drop(conn);
    outbox::confirm(store.pool(), id1, Some("901"))
        .await
        .unwrap();
    outbox::requeue(store.pool(), other, "HTTP 503")
        .await
        .unwrap();
    let left = outbox::unfinished(store.pool(), &m.id).await.unwrap();
    let left: Vec<_> = left
        .iter()
        .map(|i| (i.id, i.state, i.attempts, i.last_error.as_deref()))
        .collect();
    assert_eq!(
        left,
        [
            (other, OutboxState::Pending, 1, Some("HTTP 503")),
            (third_id, OutboxState::Pending, 0, None)
        ]
    );
    outbox::fail(store.pool(), other, "DUPLICATE_VALUE")
        .await
        .unwrap();
    outbox::confirm(store.pool(), third_id, Some("903"))
        .await
        .unwrap();
    assert!(outbox::unfinished(store.pool(), &m.id)
        .await
        .unwrap()
        .is_empty());
    // Recording again: a failed intent is pending again; a confirmed one is history, so
    // its key starts a new intent and the confirmed row keeps what was written.
    let mut conn = store.pool().acquire().await.unwrap();
    let template = intent.clone();
    let again = outbox::record_many(&mut conn, &[second, third, intent], false)
        .await
        .unwrap();
    assert_eq!(again[0], (other, OutboxState::Pending));
    let fresh = [again[1], again[2]];
    for (id, state) in fresh {
        assert_eq!(state, OutboxState::Pending);
        assert!(id != third_id && id != id1 && id != other, "a new intent");
    }
    let row: (String, Option<String>) =
        sqlx::query_as("SELECT state, target_id FROM outbox WHERE id = ?")
            .bind(third_id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(row, ("confirmed".to_owned(), Some("903".to_owned())));
    // Open keys stay unique: recording the new ones again returns them.
    let third_again = outbox::NewIntent {
        idempotency_key: "run1:00Q3:create",
        source_id: Some("00Q3"),
        ..template
    };
    let repeat = outbox::record_many(&mut conn, std::slice::from_ref(&third_again), false)
        .await
        .unwrap();
    assert_eq!(repeat, vec![fresh[0]]);
    // Recorded as sent: a new intent is sent with one attempt; an open one (here pending,
    // never sent) is the same intent, now sent with one attempt more.
    let fourth = outbox::NewIntent {
        idempotency_key: "run1:00Q4:create",
        source_id: Some("00Q4"),
        ..third_again.clone()
    };
    let sent = outbox::record_many(&mut conn, &[fourth, third_again], true)
        .await
        .unwrap();
    assert_eq!(sent[1], (fresh[0].0, OutboxState::Sent));
    assert_eq!(sent[0].1, OutboxState::Sent);
    let attempts: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, state, attempts FROM outbox WHERE id IN (?, ?) ORDER BY id")
            .bind(sent[0].0)
            .bind(sent[1].0)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let mut expected = vec![
        (fresh[0].0, "sent".to_owned(), 1),
        (sent[0].0, "sent".to_owned(), 1),
    ];
    expected.sort();
    assert_eq!(attempts, expected);
}

#[tokio::test]
async fn request_metrics_aggregate() {
    let (store, _d) = common::temp_store().await;
    let (a, _) = two_connections(&store).await;
    let now = now_ms();
    let row =
        |latency, outcome, cache, remaining: Option<i64>, at| request_metrics::RequestMetric {
            connection_id: Some(a.clone()),
            provider: ProviderId::Salesforce,
            run_id: None,
            method: "GET".into(),
            endpoint: "/services/data/v66.0/query".into(),
            status: Some(200),
            outcome,
            cache,
            latency_ms: latency,
            attempt: 1,
            response_bytes: Some(512),
            limit_remaining: remaining,
            limit_total: remaining.map(|_| 15000),
            at,
        };
    let mut rows: Vec<_> = (1..=10)
        .map(|i| {
            row(
                i * 10,
                Outcome::Ok,
                CacheUse::Bypass,
                Some(15000 - i),
                now - 1000 + i,
            )
        })
        .collect();
    rows.push(row(500, Outcome::RateLimited, CacheUse::Bypass, None, now));
    rows.push(row(0, Outcome::Ok, CacheUse::Hit, None, now));
    rows.push(row(30, Outcome::Ok, CacheUse::Miss, None, now));
    rows.push(row(
        10,
        Outcome::ServerError,
        CacheUse::Bypass,
        None,
        now - 10_000_000,
    )); // outside the window
    assert_eq!(
        request_metrics::insert_batch(store.pool(), &rows)
            .await
            .unwrap(),
        14
    );

    let t = request_metrics::totals(store.pool(), now - 60_000, None)
        .await
        .unwrap();
    assert_eq!(
        (
            t.requests,
            t.ok,
            t.errors,
            t.rate_limited,
            t.cache_hits,
            t.cache_misses
        ),
        (12, 11, 1, 1, 1, 1)
    );
    assert_eq!(
        request_metrics::totals(store.pool(), now - 60_000, Some("other"))
            .await
            .unwrap()
            .requests,
        0
    );
    // Latencies in window (hits excluded): 10..100, 500, 30 → 12 values; p50 = 6th = 50, p95 = 12th = 500.
    assert_eq!(
        request_metrics::latency_percentile(store.pool(), now - 60_000, None, 50)
            .await
            .unwrap(),
        Some(50)
    );
    assert_eq!(
        request_metrics::latency_percentile(store.pool(), now - 60_000, Some(&a), 95)
            .await
            .unwrap(),
        Some(500)
    );
    assert_eq!(
        request_metrics::latency_percentile(store.pool(), now + 1, None, 95)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        request_metrics::latest_limit(store.pool(), &a)
            .await
            .unwrap(),
        Some((14990, 15000))
    );
    assert_eq!(
        request_metrics::prune(store.pool(), now - 60_000)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn alerts_dedup_acknowledge_resolve() {
    let (store, _d) = common::temp_store().await;
    let (a, _) = two_connections(&store).await;
    let new = alerts::NewAlert {
        connection_id: Some(&a),
        mapping_id: None,
        kind: "auth_failed",
        severity: Severity::Warning,
        message: "Reconnect Salesforce",
        dedup_key: "auth_failed:sf",
    };
    let first = alerts::raise(store.pool(), &new).await.unwrap();
    let again = alerts::raise(
        store.pool(),
        &alerts::NewAlert {
            severity: Severity::Critical,
            ..new.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!((again.occurrences, again.severity), (2, Severity::Critical));
    assert_eq!(alerts::count_open(store.pool()).await.unwrap(), 1);
    alerts::acknowledge(store.pool(), &first.id).await.unwrap();
    assert_eq!(alerts::count_open(store.pool()).await.unwrap(), 0);
    assert_eq!(alerts::open(store.pool(), true).await.unwrap().len(), 1);
    assert!(alerts::open(store.pool(), false).await.unwrap().is_empty());
    assert!(alerts::resolve(store.pool(), "auth_failed:sf")
        .await
        .unwrap());
    // After resolution the same condition raises a new alert.
    let third = alerts::raise(store.pool(), &new).await.unwrap();
    assert_ne!(third.id, first.id);
    assert!(alerts::acknowledge(store.pool(), "missing").await.is_err());
}

#[tokio::test]
async fn cache_entries_expire_and_invalidate() {
    let (store, _d) = common::temp_store().await;
    let (a, _) = two_connections(&store).await;
    cache_entries::put(
        store.pool(),
        &a,
        "describe",
        "Lead",
        "{\"fields\":[]}",
        60_000,
    )
    .await
    .unwrap();
    cache_entries::put(store.pool(), &a, "describe", "Contact", "{}", -1)
        .await
        .unwrap();
    assert!(cache_entries::get(store.pool(), &a, "describe", "Lead")
        .await
        .unwrap()
        .is_some());
    assert!(
        cache_entries::get(store.pool(), &a, "describe", "Contact")
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert_eq!(cache_entries::purge_expired(store.pool()).await.unwrap(), 1);
    assert_eq!(
        cache_entries::invalidate(store.pool(), &a, "describe", None)
            .await
            .unwrap(),
        1
    );
    assert!(cache_entries::get(store.pool(), &a, "describe", "Lead")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn webhook_events_dedup_by_delivery() {
    let (store, _d) = common::temp_store().await;
    let e = webhook_events::NewWebhookEvent {
        connection_id: None,
        provider: ProviderId::Hubspot,
        delivery_id: "evt-1",
        event_type: "contact.propertyChange",
        object: Some("contacts"),
        record_id: Some("901"),
        signature_valid: true,
        payload: "[]",
    };
    let id = webhook_events::insert(store.pool(), &e)
        .await
        .unwrap()
        .expect("first delivery stored");
    assert_eq!(
        webhook_events::insert(store.pool(), &e).await.unwrap(),
        None,
        "a retried delivery is ignored"
    );
    webhook_events::insert(
        store.pool(),
        &webhook_events::NewWebhookEvent {
            delivery_id: "evt-bad",
            signature_valid: false,
            ..e.clone()
        },
    )
    .await
    .unwrap();
    let pending = webhook_events::pending(store.pool(), 10).await.unwrap();
    assert_eq!(pending.len(), 1, "unsigned deliveries are never processed");
    webhook_events::mark_processed(store.pool(), id, None)
        .await
        .unwrap();
    assert!(webhook_events::pending(store.pool(), 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn settings_round_trip() {
    let (store, _d) = common::temp_store().await;
    assert_eq!(
        settings::get::<String>(store.pool(), "ui.theme")
            .await
            .unwrap(),
        None
    );
    settings::set(store.pool(), "ui.theme", &"dark")
        .await
        .unwrap();
    settings::set(store.pool(), "ui.theme", &"light")
        .await
        .unwrap();
    assert_eq!(
        settings::get::<String>(store.pool(), "ui.theme")
            .await
            .unwrap()
            .as_deref(),
        Some("light")
    );
    assert!(
        settings::get::<u32>(store.pool(), "ui.theme")
            .await
            .is_err(),
        "wrong type is an error, not a default"
    );
    assert!(settings::delete(store.pool(), "ui.theme").await.unwrap());
}

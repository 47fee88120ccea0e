//! Minute roll-ups of the request rows and retention, on a real store: fixed rows in,
//! exact counts and nearest-rank percentiles out; raw rows older than 7 days go.

#![allow(clippy::unwrap_used)]

use switchyard_engine::store::kinds::{CacheUse, Outcome, ProviderId};
use switchyard_engine::store::tables::request_metrics::{self, RequestMetric};
use switchyard_engine::store::tables::{connections, metric_rollups};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

fn row(conn: &str, at: i64, outcome: Outcome, latency: i64) -> RequestMetric {
    RequestMetric {
        connection_id: Some(conn.into()),
        provider: ProviderId::Hubspot,
        run_id: None,
        method: "GET".into(),
        endpoint: "/crm/v3/objects/{object}".into(),
        status: Some(200),
        outcome,
        cache: CacheUse::Bypass,
        latency_ms: latency,
        attempt: 1,
        response_bytes: None,
        limit_remaining: None,
        limit_total: None,
        at,
    }
}

#[tokio::test]
async fn minutes_are_rolled_up_exactly_and_old_rows_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    let pool = engine.store().pool();
    let new = connections::NewConnection {
        provider: ProviderId::Hubspot,
        label: "HubSpot".into(),
        environment: switchyard_engine::store::kinds::Environment::Sandbox,
        auth_kind: switchyard_engine::store::kinds::AuthKind::PastedToken,
        account_id: None,
        account_name: None,
        user_name: None,
        instance_url: None,
        scopes: None,
    };
    let conn = connections::insert(pool, &new).await.unwrap().id;
    let now = switchyard_engine::store::now_ms();
    let minute = (now / 60_000 - 5) * 60_000;
    let mut rows: Vec<RequestMetric> = (1..=20)
        .map(|i| row(&conn, minute + i * 100, Outcome::Ok, i * 10))
        .collect();
    rows.push(row(&conn, minute + 3_000, Outcome::RateLimited, 500));
    rows.push(row(&conn, minute + 60_000 + 5, Outcome::ServerError, 900));
    rows.push(row(&conn, now - 8 * 24 * 3600 * 1000, Outcome::Ok, 1));
    request_metrics::insert_batch(pool, &rows).await.unwrap();

    let written = engine.roll_up_metrics(now).await.unwrap();
    assert!(written >= 2, "{written}");
    let minutes = metric_rollups::range(pool, &conn, minute, now)
        .await
        .unwrap();
    assert_eq!(minutes.len(), 2);
    let first = &minutes[0];
    assert_eq!((first.requests, first.ok, first.rate_limited), (21, 20, 1));
    // Latencies 10..=200 and 500: p50 = 11th value = 110, p95 = 20th = 200, p99 = 21st = 500.
    assert_eq!(
        (first.p50_ms, first.p95_ms, first.p99_ms),
        (Some(110), Some(200), Some(500))
    );
    assert_eq!(
        (minutes[1].server_errors, minutes[1].p50_ms),
        (1, Some(900))
    );
    let totals = request_metrics::totals(pool, 0, Some(&conn)).await.unwrap();
    assert_eq!(totals.requests, 22, "the 8-day-old raw row is pruned");

    // A second pass rolls the recent minutes again without doubling them.
    engine.roll_up_metrics(now + 1_000).await.unwrap();
    let again = metric_rollups::range(pool, &conn, minute, now)
        .await
        .unwrap();
    assert_eq!(again, minutes);
}

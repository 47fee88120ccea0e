//! Health on a real store: connection status thresholds and the summary's math on fixed
//! request rows; alert rules with de-duplication, cool-down and delivery across ticks;
//! the charts' series picking up the minute in progress; and, against the sandbox, a
//! fault storm during a real sync turning a connection degraded with an alert, seen by
//! a subscriber of the live ticks.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::json;
use switchyard_engine::health::{HealthRange, HealthSettings, HealthStatus};
use switchyard_engine::store::kinds::{
    AuthKind, CacheUse, Environment, Outcome, ProviderId, RunStatus, RunTrigger,
};
use switchyard_engine::store::tables::request_metrics::{self, RequestMetric};
use switchyard_engine::store::tables::{alerts, connections, runs};
use switchyard_engine::store::{now_ms, KeyPolicy};
use switchyard_engine::{Engine, EngineConfig};

fn row(conn: &str, at: i64, outcome: Outcome, latency: i64) -> RequestMetric {
    RequestMetric {
        connection_id: Some(conn.into()),
        provider: ProviderId::Hubspot,
        run_id: None,
        method: "POST".into(),
        endpoint: "/crm/v3/objects/{object}/search".into(),
        status: Some(if outcome == Outcome::Ok { 200 } else { 503 }),
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

/// `ok` successes and `failed` 503s spread over the last minutes.
fn traffic(conn: &str, ok: usize, failed: usize, now: i64) -> Vec<RequestMetric> {
    (0..ok + failed)
        .map(|i| {
            let outcome = if i < ok {
                Outcome::Ok
            } else {
                Outcome::ServerError
            };
            row(conn, now - 1000 - i as i64 * 500, outcome, 100 + i as i64)
        })
        .collect()
}

async fn engine_with(labels: &[&str]) -> (tempfile::TempDir, Engine, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    let mut ids = Vec::new();
    for label in labels {
        let new = connections::NewConnection {
            provider: ProviderId::Hubspot,
            label: (*label).into(),
            environment: Environment::Sandbox,
            auth_kind: AuthKind::PastedToken,
            account_id: None,
            account_name: None,
            user_name: None,
            instance_url: None,
            scopes: None,
        };
        ids.push(
            connections::insert(engine.store().pool(), &new)
                .await
                .unwrap()
                .id,
        );
    }
    (dir, engine, ids)
}

#[tokio::test]
async fn statuses_follow_the_threshold_and_the_summary_math_is_exact() {
    let (_dir, engine, ids) = engine_with(&["At 95", "At 90", "Quiet", "Signed out"]).await;
    let pool = engine.store().pool();
    let now = now_ms();
    let mut rows = traffic(&ids[0], 95, 5, now);
    rows.extend(traffic(&ids[1], 90, 10, now));
    rows.extend(traffic(&ids[3], 10, 0, now));
    // Traffic older than the 15-minute window does not count.
    rows.push(row(&ids[2], now - 16 * 60_000, Outcome::ServerError, 50));
    // Cache use: 3 hits, 1 miss (the miss is also a request).
    for (i, cache) in [CacheUse::Hit, CacheUse::Hit, CacheUse::Hit, CacheUse::Miss]
        .into_iter()
        .enumerate()
    {
        rows.push(RequestMetric {
            cache,
            ..row(&ids[0], now - 200 - i as i64, Outcome::Ok, 0)
        });
    }
    request_metrics::insert_batch(pool, &rows).await.unwrap();
    connections::set_status(
        pool,
        &ids[3],
        switchyard_engine::store::kinds::ConnectionStatus::NeedsReconnect,
        Some("refused"),
    )
    .await
    .unwrap();

    let s = engine.health_summary(15 * 60).await.unwrap();
    let by = |label: &str| {
        s.connections
            .iter()
            .find(|c| c.label == label)
            .unwrap()
            .clone()
    };
    assert_eq!(by("At 95").status, HealthStatus::Healthy);
    assert_eq!(by("At 90").status, HealthStatus::Degraded);
    assert_eq!(
        by("At 90").status_reason,
        "90 of 100 requests succeeded (90 %) in the last 15 minutes"
    );
    assert_eq!(by("Quiet").status, HealthStatus::Unknown);
    assert_eq!(by("Signed out").status, HealthStatus::Down);
    // 101 requests on "At 95" (100 + the cache miss), 100 on "At 90", 10 on "Signed out".
    assert_eq!(s.requests, 211);
    assert_eq!(s.errors, 15);
    assert_eq!(s.success_rate, Some(196.0 / 211.0));
    assert_eq!(s.cache_hit_rate, Some(0.75));
    assert_eq!((s.services, s.active_connections), (1, 4));
    let latency_sum: i64 =
        (0..100).map(|i| 100 + i).sum::<i64>() * 2 + (0..10).map(|i| 100 + i).sum::<i64>();
    assert_eq!(s.avg_latency_ms, Some(latency_sum as f64 / 211.0));
    let last = by("At 90").last_error.unwrap();
    assert_eq!(
        last.text,
        "503 server error on POST /crm/v3/objects/{object}/search"
    );

    // A stricter threshold turns the 95 % connection degraded.
    engine
        .set_health_settings(HealthSettings {
            healthy_success_pct: 96.0,
            ..Default::default()
        })
        .await
        .unwrap();
    let s = engine.health_summary(15 * 60).await.unwrap();
    assert_eq!(
        s.connections
            .iter()
            .find(|c| c.label == "At 95")
            .unwrap()
            .status,
        HealthStatus::Degraded
    );
}

#[tokio::test]
async fn alerts_are_raised_once_reopened_in_the_cool_down_and_sent_once() {
    let (_dir, engine, ids) = engine_with(&["CRM"]).await;
    let pool = engine.store().pool();
    let crm = &ids[0];
    let now = now_ms();
    request_metrics::insert_batch(pool, &traffic(crm, 50, 0, now))
        .await
        .unwrap();
    // First tick: healthy, remembered; nothing raised.
    let t1 = engine.health_tick(now).await.unwrap();
    assert_eq!(t1.statuses[0].status, HealthStatus::Healthy);
    assert!(t1.alerts.is_empty());
    assert_eq!(
        (t1.changes[0].from, t1.changes[0].to),
        (HealthStatus::Unknown, HealthStatus::Healthy)
    );

    // 30 failures in the last minutes: 50 of 80 = 62.5 % → degraded, and an error spike.
    request_metrics::insert_batch(pool, &traffic(crm, 0, 30, now + 1000))
        .await
        .unwrap();
    let t2 = engine.health_tick(now + 2000).await.unwrap();
    assert_eq!(t2.changes.len(), 1);
    assert_eq!(
        (t2.changes[0].from, t2.changes[0].to),
        (HealthStatus::Healthy, HealthStatus::Degraded)
    );
    let mut kinds: Vec<&str> = t2.alerts.iter().map(|a| a.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["error_spike", "status"]);
    let status_alert = t2.alerts.iter().find(|a| a.kind == "status").unwrap();
    assert!(status_alert
        .message
        .starts_with("CRM is degraded: 50 of 80 requests"));

    // The same condition on the next ticks: no new alert, nothing sent again.
    for i in 0..3 {
        let t = engine.health_tick(now + 3000 + i).await.unwrap();
        assert!(t.alerts.is_empty() && t.changes.is_empty());
    }
    let open = engine.list_alerts(true).await.unwrap();
    assert_eq!(open.len(), 2);
    assert!(open.iter().all(|a| a.occurrences == 1));

    // Recovery (many successes) resolves both; a relapse inside the cool-down reopens
    // the same status alert (2 occurrences) and does not send it again.
    request_metrics::insert_batch(pool, &traffic(crm, 2000, 0, now + 4000))
        .await
        .unwrap();
    let t = engine.health_tick(now + 5000).await.unwrap();
    assert_eq!(t.statuses[0].status, HealthStatus::Healthy);
    assert!(engine.list_alerts(true).await.unwrap().is_empty());
    request_metrics::insert_batch(pool, &traffic(crm, 0, 500, now + 6000))
        .await
        .unwrap();
    let t = engine.health_tick(now + 7000).await.unwrap();
    assert_eq!(t.statuses[0].status, HealthStatus::Degraded);
    let again = engine.list_alerts(true).await.unwrap();
    let status = again.iter().find(|a| a.kind == "status").unwrap();
    assert_eq!(
        (status.id.as_str(), status.occurrences),
        (status_alert.id.as_str(), 2)
    );
    assert!(
        t.alerts.iter().all(|a| a.kind != "status"),
        "a reopened alert inside the cool-down is not sent again"
    );
    let history = engine.alert_history(HealthRange::Hour1).await.unwrap();
    assert_eq!(history.len(), 2);

    // Acknowledged alerts leave the open list and are never sent; once the cool-down
    // has passed, the repeated spike is due again.
    engine.acknowledge_alert(&status.id).await.unwrap();
    assert_eq!(engine.list_alerts(false).await.unwrap().len(), 1);
    let due = alerts::due_for_delivery(pool, now_ms() + 31 * 60_000)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].kind, "error_spike");
}

#[tokio::test]
async fn quota_use_over_the_level_and_failed_runs_raise_alerts() {
    let setup = common::sandbox_engine(41, 20).await;
    let engine = &setup.engine;
    let pool = engine.store().pool();
    let hs = setup.id(ProviderId::Hubspot);
    let now = now_ms();
    let t0 = engine.health_tick(now).await.unwrap();
    assert!(t0.alerts.is_empty(), "{:?}", t0.alerts);

    // The mapping first: suggesting it calls both providers, and those calls' own quota
    // readings must not be newer than the one this test plants.
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    request_metrics::insert_batch(
        pool,
        &[RequestMetric {
            limit_remaining: Some(15),
            limit_total: Some(100),
            ..row(&hs, now_ms() + 10, Outcome::Ok, 20)
        }],
    )
    .await
    .unwrap();
    let run = runs::insert(
        pool,
        &runs::NewRun {
            mapping_id: &mapping.id,
            trigger: RunTrigger::Manual,
            dry_run: false,
            full_resync: false,
            call_budget: None,
        },
    )
    .await
    .unwrap();
    runs::finish(
        pool,
        &run.id,
        RunStatus::Failed,
        Some("HubSpot refused the token"),
    )
    .await
    .unwrap();
    let t = engine.health_tick(now_ms() + 1000).await.unwrap();
    let rate = t.alerts.iter().find(|a| a.kind == "rate_limit").unwrap();
    assert_eq!(
        rate.message,
        format!(
            "{} has used 85 % of its API quota (alert level 80 %)",
            t.statuses
                .iter()
                .find(|s| s.connection_id == hs)
                .unwrap()
                .label
        )
    );
    let failed = t.alerts.iter().find(|a| a.kind == "run_failed").unwrap();
    assert!(
        failed
            .message
            .ends_with("failed: HubSpot refused the token"),
        "{}",
        failed.message
    );
    assert_eq!(failed.mapping_id.as_deref(), Some(mapping.id.as_str()));
}

#[tokio::test]
async fn a_fault_storm_during_a_sync_turns_the_target_degraded_live() {
    let setup = common::sandbox_engine(43, 300).await;
    let engine = &setup.engine;
    let sf = setup.id(ProviderId::Salesforce);
    let mut ticks = engine.health_ticks();
    engine.start_health_monitor();
    engine
        .set_health_settings(HealthSettings {
            error_spike_min_requests: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    // A fifth of the Salesforce calls answer 503 (retried by the client stack): about
    // 80 % success, under the 95 % threshold, and rarely five failures in a row (which
    // would open the circuit: down rather than degraded).
    common::sandbox(
        engine,
        ProviderId::Salesforce,
        "faults",
        Some(
            json!({ "kind": "server_error", "status": 503, "path": "/services/data", "rate": 0.2 }),
        ),
    )
    .await;
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let run = {
        let engine = engine.clone();
        let id = mapping.id.clone();
        tokio::spawn(async move { engine.run_mapping(&id, Default::default(), &|_| {}).await })
    };
    let mut degraded_after = None;
    let mut alert = None;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while tokio::time::Instant::now() < deadline && (degraded_after.is_none() || alert.is_none()) {
        let Ok(Ok(tick)) = tokio::time::timeout_at(deadline, ticks.recv()).await else {
            break;
        };
        let now = tick
            .statuses
            .iter()
            .find(|s| s.connection_id == sf)
            .map(|s| s.status);
        if now == Some(HealthStatus::Degraded) && degraded_after.is_none() {
            degraded_after = Some(started.elapsed());
        }
        if alert.is_none() {
            alert = tick
                .alerts
                .iter()
                .find(|a| a.kind == "status" && a.connection_id.as_deref() == Some(sf.as_str()))
                .cloned();
        }
    }
    let _ = run.await;
    let degraded_after = degraded_after.expect("Salesforce never turned degraded");
    let alert = alert.expect("no status alert was sent for Salesforce");
    assert!(alert.message.contains("is degraded"), "{}", alert.message);
    println!(
        "fault storm: degraded after {} ms, first alert: {} ({})",
        degraded_after.as_millis(),
        alert.message,
        alert.kind
    );
    let series = engine
        .health_series(HealthRange::Minutes15, Some(&sf))
        .await
        .unwrap();
    let s = &series.connections[0];
    assert!(s.server_errors.iter().sum::<i64>() > 0);
    assert!(s.requests.iter().sum::<i64>() > s.ok.iter().sum::<i64>());
}

/// Seven days of per-minute traffic for five connections (50,400 minutes): how long the
/// roll-up and the 7-day series take. Prints numbers; asserts only the counts.
#[tokio::test]
async fn seven_days_for_five_connections_roll_up_and_chart() {
    let (_dir, engine, ids) = engine_with(&["A", "B", "C", "D", "E"]).await;
    let pool = engine.store().pool();
    let now = now_ms();
    let minutes = 7 * 24 * 60;
    let start = std::time::Instant::now();
    let mut batch = Vec::with_capacity(1000);
    for id in &ids {
        for m in 0..minutes {
            let outcome = if m % 50 == 0 {
                Outcome::ServerError
            } else {
                Outcome::Ok
            };
            batch.push(row(
                id,
                now - (m as i64 + 1) * 60_000,
                outcome,
                50 + (m % 200) as i64,
            ));
            if batch.len() == 1000 {
                request_metrics::insert_batch(pool, &batch).await.unwrap();
                batch.clear();
            }
        }
    }
    request_metrics::insert_batch(pool, &batch).await.unwrap();
    let inserted = start.elapsed();
    let start = std::time::Instant::now();
    let written = engine.roll_up_metrics(now).await.unwrap();
    let rolled = start.elapsed();
    assert_eq!(written, 5 * minutes);
    let start = std::time::Instant::now();
    let series = engine
        .health_series(HealthRange::Days7, None)
        .await
        .unwrap();
    let charted = start.elapsed();
    assert_eq!(series.times.len(), 2016);
    assert_eq!(series.connections.len(), 5);
    let total: i64 = series
        .connections
        .iter()
        .map(|c| c.requests.iter().sum::<i64>())
        .sum();
    // The oldest minute may fall just outside the 7-day range.
    assert!(total >= 5 * (minutes as i64 - 5), "{total}");
    let json = serde_json::to_string(&series).unwrap();
    let start = std::time::Instant::now();
    let one = engine
        .health_series(HealthRange::Hours24, Some(&ids[0]))
        .await
        .unwrap();
    let drill = start.elapsed();
    assert_eq!(one.times.len(), 1440);
    println!(
        "health scale: {} raw rows inserted in {} ms; rolled up into {written} minute rows in {} ms; \
         7-day series for 5 connections ({} buckets, {} KB of JSON) in {} ms; 24-hour drill-down in {} ms",
        5 * minutes,
        inserted.as_millis(),
        rolled.as_millis(),
        series.times.len(),
        json.len() / 1024,
        charted.as_millis(),
        drill.as_millis()
    );
}

#[tokio::test]
async fn health_data_and_run_logs_export_as_csv_and_json() {
    use switchyard_engine::health::export::ExportFormat;
    let (_dir, engine, ids) = engine_with(&["Acme, \"CRM\""]).await;
    let pool = engine.store().pool();
    let now = now_ms();
    request_metrics::insert_batch(pool, &traffic(&ids[0], 9, 1, now))
        .await
        .unwrap();
    engine.health_tick(now).await.unwrap();

    let csv = engine
        .export_health(HealthRange::Hour1, ExportFormat::Csv)
        .await
        .unwrap();
    assert!(csv.file_name.starts_with("switchyard-health-1h-") && csv.file_name.ends_with(".csv"));
    let mut lines = csv.content.lines();
    assert_eq!(
        lines.next().unwrap(),
        "at,connectionId,connection,provider,requests,ok,clientErrors,rateLimited,serverErrors,timeouts,retries,cacheHits,cacheMisses,successRate,p50Ms,p95Ms,p99Ms,quotaUsed"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), csv.rows);
    assert!(rows.iter().all(
        |r| r.contains("\"Acme, \"\"CRM\"\"\"") && r.split(',').next().unwrap().ends_with('Z')
    ));
    let json = engine
        .export_health(HealthRange::Hour1, ExportFormat::Json)
        .await
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json.content).unwrap();
    let total: i64 = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["requests"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 10);
    let errors: i64 = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["serverErrors"].as_i64().unwrap())
        .sum();
    assert_eq!(errors, 1);
    assert_eq!(json.rows, csv.rows);

    let missing = engine
        .export_run("no-such-run", ExportFormat::Csv)
        .await
        .unwrap_err();
    assert_eq!(missing.code.as_str(), "not_found");
}

#[tokio::test]
async fn a_connection_named_like_a_formula_exports_as_text_beside_plain_numbers() {
    use switchyard_engine::health::export::ExportFormat;
    let (_dir, engine, ids) = engine_with(&["=HYPERLINK(\"https://evil.example\")"]).await;
    let pool = engine.store().pool();
    let now = now_ms();
    request_metrics::insert_batch(pool, &traffic(&ids[0], 9, 1, now))
        .await
        .unwrap();
    engine.health_tick(now).await.unwrap();
    let csv = engine
        .export_health(HealthRange::Hour1, ExportFormat::Csv)
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.content.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(
            &row[column("connection")],
            "'=HYPERLINK(\"https://evil.example\")"
        );
        assert!(row[column("requests")].parse::<i64>().is_ok(), "{row:?}");
    }
}

/// How soon a provider call shows up in a health tick (the Health screen refreshes on the
/// tick): printed, not asserted against a clock; the tick must carry the new request.
#[tokio::test]
async fn a_provider_call_reaches_a_health_tick_within_a_second() {
    let setup = common::sandbox_engine(47, 10).await;
    let engine = &setup.engine;
    let hs = setup.id(ProviderId::Hubspot);
    engine.start_health_monitor();
    let mut ticks = engine.health_ticks();
    let mut samples = Vec::new();
    for _ in 0..5 {
        let before = engine.health_summary(900).await.unwrap().requests;
        engine.test_connection(&hs).await.unwrap();
        let called = std::time::Instant::now();
        loop {
            let tick = tokio::time::timeout(std::time::Duration::from_secs(15), ticks.recv())
                .await
                .expect("no tick within 15 s")
                .unwrap();
            assert!(tick.at > 0);
            if engine.health_summary(900).await.unwrap().requests > before {
                samples.push(called.elapsed().as_millis());
                break;
            }
        }
    }
    samples.sort_unstable();
    println!(
        "call → health tick: {:?} ms (median {} ms, worst {} ms)",
        samples,
        samples[samples.len() / 2],
        samples[samples.len() - 1]
    );
}

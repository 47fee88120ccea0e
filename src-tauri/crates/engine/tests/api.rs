//! The engine API against a real store in a temp directory.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_engine::api::settings::Theme;
use switchyard_engine::store::kinds::*;
use switchyard_engine::store::tables::{alerts, connections, request_metrics};
use switchyard_engine::store::{now_ms, KeyPolicy, KeySource};
use switchyard_engine::{Engine, EngineConfig, ErrorCode};

async fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = EngineConfig {
        data_dir: dir.path().join("data"),
        log_dir: Some(dir.path().join("logs")),
        key_policy: KeyPolicy::File,
    };
    (Engine::open(config).await.unwrap(), dir)
}

#[tokio::test]
async fn a_fresh_install_is_empty_and_says_where_it_lives() {
    let (engine, dir) = engine().await;
    assert!(engine.list_connections().await.unwrap().is_empty());
    assert!(engine.list_mappings().await.unwrap().is_empty());
    assert!(engine.list_runs(50).await.unwrap().is_empty());
    assert!(engine.list_alerts(true).await.unwrap().is_empty());
    let info = engine.app_info();
    assert_eq!(
        info.database_path,
        dir.path().join("data/switchyard.db").display().to_string()
    );
    assert_eq!(info.key_source, KeySource::KeyFile);
    assert_eq!(
        info.schema_version,
        switchyard_engine::store::latest_schema_version()
    );
    let health = engine.health_summary(86_400).await.unwrap();
    assert_eq!(
        (
            health.requests,
            health.success_rate,
            health.p95_latency_ms,
            health.cache_hit_rate
        ),
        (0, None, None, None)
    );
    assert_eq!(
        switchyard_engine::api::connections::list_providers().len(),
        5
    );
}

#[tokio::test]
async fn preferences_persist() {
    let (engine, _dir) = engine().await;
    let p = engine.preferences().await.unwrap();
    assert_eq!((p.theme, p.onboarding_completed), (Theme::System, false));
    assert_eq!(
        engine.set_theme(Theme::Dark).await.unwrap().theme,
        Theme::Dark
    );
    assert!(
        engine
            .complete_onboarding()
            .await
            .unwrap()
            .onboarding_completed
    );
    let p = engine.preferences().await.unwrap();
    assert_eq!((p.theme, p.onboarding_completed), (Theme::Dark, true));
}

#[tokio::test]
async fn provider_limits_default_to_the_careful_figure_and_refuse_nonsense() {
    use switchyard_engine::api::provider_limits::ProviderLimits;
    let (engine, _dir) = engine().await;
    assert_eq!(
        engine
            .provider_limits()
            .await
            .unwrap()
            .hubspot_search_per_second,
        4
    );
    let five = ProviderLimits {
        hubspot_search_per_second: 5,
    };
    engine.set_provider_limits(five.clone()).await.unwrap();
    assert_eq!(engine.provider_limits().await.unwrap(), five);
    for bad in [0, 101] {
        let err = engine
            .set_provider_limits(ProviderLimits {
                hubspot_search_per_second: bad,
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation, "{bad}");
    }
    assert_eq!(engine.provider_limits().await.unwrap(), five, "kept");
}

#[tokio::test]
async fn bad_input_gets_a_stable_code() {
    let (engine, _dir) = engine().await;
    assert_eq!(
        engine.list_runs(0).await.unwrap_err().code,
        ErrorCode::Validation
    );
    assert_eq!(
        engine.list_runs(501).await.unwrap_err().code,
        ErrorCode::Validation
    );
    assert_eq!(
        engine.health_summary(0).await.unwrap_err().code,
        ErrorCode::Validation
    );
    let missing = engine.acknowledge_alert("no-such-alert").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(
        missing.message.contains("no-such-alert"),
        "{}",
        missing.message
    );
}

#[tokio::test]
async fn health_summarises_metrics_and_alerts() {
    let (engine, _dir) = engine().await;
    let pool = engine.store().pool();
    let c = connections::insert(
        pool,
        &connections::NewConnection {
            provider: ProviderId::Hubspot,
            label: "Marketing HubSpot".into(),
            environment: Environment::Sandbox,
            auth_kind: AuthKind::PastedToken,
            account_id: Some("62515".into()),
            account_name: Some("Acme".into()),
            user_name: None,
            instance_url: None,
            scopes: None,
        },
    )
    .await
    .unwrap();
    let now = now_ms();
    let m = |outcome, cache, latency, remaining: Option<i64>| request_metrics::RequestMetric {
        connection_id: Some(c.id.clone()),
        provider: ProviderId::Hubspot,
        run_id: None,
        method: "POST".into(),
        endpoint: "/crm/v3/objects/contacts/search".into(),
        status: Some(200),
        outcome,
        cache,
        latency_ms: latency,
        attempt: 1,
        response_bytes: Some(512),
        limit_remaining: remaining,
        limit_total: remaining.map(|_| 190),
        at: now,
    };
    let rows = vec![
        m(Outcome::Ok, CacheUse::Miss, 100, Some(95)),
        m(Outcome::Ok, CacheUse::Bypass, 200, None),
        m(Outcome::RateLimited, CacheUse::Bypass, 300, None),
        m(Outcome::Ok, CacheUse::Hit, 0, None),
    ];
    request_metrics::insert_batch(pool, &rows).await.unwrap();
    alerts::raise(
        pool,
        &alerts::NewAlert {
            connection_id: Some(&c.id),
            mapping_id: None,
            kind: "rate_limited",
            severity: Severity::Warning,
            message: "HubSpot is throttling",
            dedup_key: "rl",
        },
    )
    .await
    .unwrap();

    let h = engine.health_summary(3600).await.unwrap();
    assert_eq!(
        (
            h.requests,
            h.errors,
            h.rate_limited,
            h.cache_hits,
            h.cache_misses,
            h.open_alerts
        ),
        (3, 1, 1, 1, 1, 1)
    );
    assert_eq!(h.success_rate, Some(2.0 / 3.0));
    assert_eq!(h.cache_hit_rate, Some(0.5));
    assert_eq!((h.p50_latency_ms, h.p95_latency_ms), (Some(200), Some(300)));
    assert_eq!(h.connections.len(), 1);
    assert_eq!(h.connections[0].headroom_pct, Some(0.5));

    let listed = engine.list_alerts(false).await.unwrap();
    assert_eq!(listed.len(), 1);
    engine.acknowledge_alert(&listed[0].id).await.unwrap();
    assert!(engine.list_alerts(false).await.unwrap().is_empty());
    assert_eq!(engine.health_summary(3600).await.unwrap().open_alerts, 0);
}

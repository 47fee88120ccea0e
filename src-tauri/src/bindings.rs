//! The typed command list, exported to TypeScript (`ui/src/bindings/index.ts`). A test
//! fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test` rewrites it.

use crate::commands::{connections, health, mappings, runs, settings, startup, webhooks};
use specta_typescript::Typescript;
use tauri::Runtime;

pub fn builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        // Epoch milliseconds and counters stay far below 2^53: plain `number` is exact.
        .dangerously_cast_bigints_to_number()
        // The views only travel Rust → UI: one TypeScript type each, not Serialize/Deserialize pairs.
        .disable_serde_phases()
        .events(tauri_specta::collect_events![health::HealthUpdated])
        .commands(tauri_specta::collect_commands![
            connections::list_providers,
            connections::list_connections,
            connections::connect_sandbox_accounts,
            connections::test_connection,
            connections::disconnect,
            connections::set_backoff,
            connections::start_connect,
            connections::finish_connect,
            connections::finish_connect_pasted,
            connections::cancel_connect,
            connections::connect_pasted,
            settings::app_credentials,
            settings::set_app_credentials,
            mappings::list_mappings,
            mappings::list_objects,
            mappings::describe_object,
            mappings::clear_cache,
            mappings::get_mapping,
            mappings::create_mapping,
            mappings::update_mapping,
            mappings::duplicate_mapping,
            mappings::delete_mapping,
            mappings::validate_mapping,
            mappings::preview_mapping,
            mappings::suggest_mapping,
            mappings::create_default_mappings,
            runs::list_runs,
            runs::start_run,
            runs::cancel_run,
            runs::get_run,
            runs::retry_failed,
            runs::list_links,
            runs::unlink,
            runs::pin_link,
            runs::resolve_conflict,
            health::health_summary,
            health::list_alerts,
            health::acknowledge_alert,
            health::health_series,
            health::health_timeline,
            health::alert_history,
            health::health_settings,
            health::set_health_settings,
            health::export_health,
            health::export_runs,
            health::export_run,
            settings::app_info,
            settings::get_preferences,
            settings::set_theme,
            settings::complete_onboarding,
            settings::notification_settings,
            settings::set_notification_settings,
            settings::provider_limits,
            settings::set_provider_limits,
            webhooks::webhook_settings,
            webhooks::set_webhook_settings,
            webhooks::set_webhook_secret,
            webhooks::rotate_webhook_secret,
            webhooks::remove_webhook_secret,
            webhooks::webhook_stats,
            startup::startup_painted,
        ])
}

/// The TypeScript exporter settings.
pub fn typescript() -> Typescript {
    Typescript::default()
        .header("// Generated from the Rust commands by tauri-specta. Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchyard --test bindings`.\n")
}

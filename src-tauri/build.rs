//! Declares our commands to Tauri's ACL so each needs an explicit `allow-*` permission
//! in capabilities/ (least privilege), then runs the usual Tauri build steps.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "list_providers",
        "list_connections",
        "connect_sandbox_accounts",
        "test_connection",
        "disconnect",
        "set_backoff",
        "start_connect",
        "finish_connect",
        "finish_connect_pasted",
        "cancel_connect",
        "connect_pasted",
        "app_credentials",
        "set_app_credentials",
        "list_mappings",
        "list_objects",
        "describe_object",
        "clear_cache",
        "get_mapping",
        "create_mapping",
        "update_mapping",
        "duplicate_mapping",
        "delete_mapping",
        "validate_mapping",
        "preview_mapping",
        "suggest_mapping",
        "create_default_mappings",
        "list_runs",
        "health_summary",
        "list_alerts",
        "acknowledge_alert",
        "app_info",
        "get_preferences",
        "set_theme",
        "complete_onboarding",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}

//! Commands through Tauri's real IPC path (mock runtime, the app's real capabilities):
//! results arrive as JSON, errors as `{code, message}`, and a command missing from the
//! capability is refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use serde_json::{json, Value};
use switchyard_app::state::AppState;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn commands_answer_over_ipc_with_typed_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = tauri::async_runtime::block_on(Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    }))
    .expect("engine");
    let specta = switchyard_app::bindings::builder::<tauri::test::MockRuntime>();
    let app = mock_builder()
        .invoke_handler(specta.invoke_handler())
        .manage(AppState::new(Ok(engine)))
        .build(tauri::generate_context!())
        .expect("mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .data_directory(dir.path().join("webview"))
        .build()
        .expect("main window");

    let providers =
        get_ipc_response(&window, request("list_providers", json!({}))).expect("list_providers");
    let providers: Value = providers.deserialize().expect("json");
    assert_eq!(providers.as_array().map(Vec::len), Some(5));
    assert_eq!(providers[0]["authKinds"][0], "oauth_loopback");

    let runs: Value = get_ipc_response(&window, request("list_runs", json!({ "limit": 10 })))
        .expect("runs")
        .deserialize()
        .expect("json");
    assert_eq!(runs, json!([]));

    let prefs: Value = get_ipc_response(&window, request("set_theme", json!({ "theme": "dark" })))
        .expect("theme")
        .deserialize()
        .expect("json");
    assert_eq!(
        prefs,
        json!({ "theme": "dark", "onboardingCompleted": false })
    );

    let err = get_ipc_response(&window, request("list_runs", json!({ "limit": 0 })))
        .expect_err("limit 0 is invalid");
    assert_eq!(err["code"], "validation", "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("between 1 and 500"),
        "{err}"
    );

    let err = get_ipc_response(
        &window,
        request("acknowledge_alert", json!({ "id": "nope" })),
    )
    .expect_err("unknown alert");
    assert_eq!(err["code"], "not_found", "{err}");

    // Not one of our commands: refused by the ACL / handler, never executed.
    assert!(get_ipc_response(
        &window,
        request("plugin:fs|read_file", json!({ "path": "/etc/passwd" }))
    )
    .is_err());
}

#[test]
fn a_failed_engine_start_is_reported_by_every_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = mock_builder()
        .invoke_handler(
            switchyard_app::bindings::builder::<tauri::test::MockRuntime>().invoke_handler(),
        )
        .manage(AppState::new(Err(switchyard_engine::EngineError::new(
            switchyard_engine::ErrorCode::Storage,
            "this database was last updated by a newer Switchyard",
        ))))
        .build(tauri::generate_context!())
        .expect("mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .data_directory(dir.path().join("webview"))
        .build()
        .expect("main window");
    for cmd in ["list_connections", "app_info", "get_preferences"] {
        let err = get_ipc_response(&window, request(cmd, json!({}))).expect_err(cmd);
        assert_eq!(err["code"], "storage");
        assert!(err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("newer Switchyard"));
    }
}

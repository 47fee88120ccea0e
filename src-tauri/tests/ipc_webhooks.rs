//! The webhook commands through Tauri's real IPC path and the app's real capabilities:
//! each is allowed, answers camelCase JSON, and refuses bad input with a typed error.

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
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn webhook_commands_answer_over_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let engine = tauri::async_runtime::block_on(Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    }))
    .unwrap();
    let app = mock_builder()
        .invoke_handler(
            switchyard_app::bindings::builder::<tauri::test::MockRuntime>().invoke_handler(),
        )
        .manage(AppState::new(Ok(engine)))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .data_directory(dir.path().join("webview"))
        .build()
        .unwrap();
    let call = |cmd: &str, args: Value| -> Result<Value, Value> {
        get_ipc_response(&window, request(cmd, args)).map(|r| r.deserialize().unwrap())
    };

    let view = call("webhook_settings", json!({})).unwrap();
    assert_eq!(view["status"]["state"], "off");
    assert_eq!(view["settings"]["enabled"], false);
    assert_eq!(view["settings"]["host"], "127.0.0.1");
    assert_eq!(
        view["endpoints"][0]["url"],
        "http://127.0.0.1:8787/webhooks/hubspot"
    );

    let on = json!({ "settings": { "enabled": true, "host": "127.0.0.1", "port": 0, "publicUrl": null, "hubspotSignature": "v3", "debounceMs": 2000 } });
    let view = call("set_webhook_settings", on).unwrap();
    assert_eq!(view["status"]["state"], "listening", "{view}");

    let view = call(
        "set_webhook_secret",
        json!({ "provider": "quickbooks", "secret": "verifier-xyz" }),
    )
    .unwrap();
    assert_eq!(view["endpoints"][1]["hasSecret"], true);
    assert!(
        !view.to_string().contains("verifier-xyz"),
        "secrets are write-only"
    );

    let stats = call("webhook_stats", json!({ "sinceMs": 0 })).unwrap();
    assert_eq!(stats["received"], 0);
    assert_eq!(stats["receiver"], "listening");

    let err = call("rotate_webhook_secret", json!({ "mappingId": "nope" })).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let err = call(
        "set_webhook_secret",
        json!({ "provider": "salesforce", "secret": "x" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
    let bad = json!({ "settings": { "enabled": true, "host": "not an ip", "port": 0, "publicUrl": null, "hubspotSignature": "v3", "debounceMs": 2000 } });
    assert_eq!(
        call("set_webhook_settings", bad).unwrap_err()["code"],
        "validation"
    );
    let view = call("remove_webhook_secret", json!({ "mappingId": "nope" })).unwrap();
    assert_eq!(view["generic"], json!([]));

    let off = json!({ "settings": { "enabled": false, "host": "127.0.0.1", "port": 8787, "publicUrl": null, "hubspotSignature": "v3", "debounceMs": 2000 } });
    assert_eq!(
        call("set_webhook_settings", off).unwrap()["status"]["state"],
        "off"
    );
}

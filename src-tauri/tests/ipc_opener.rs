//! The opener plugin through Tauri's real IPC path (mock runtime, the app's real
//! capabilities): the window may open https links and http links to a port on this
//! computer (the sandbox's consent page), and nothing else. Only refusals are exercised:
//! an allowed URL would really open a browser. The webview's data folder is a temp dir
//! (Tauri would otherwise create the real app-data folder).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn open_url(url: &str) -> InvokeRequest {
    InvokeRequest {
        cmd: "plugin:opener|open_url".into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(json!({ "url": url })),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn only_https_and_loopback_http_links_may_be_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = mock_builder()
        .plugin(tauri_plugin_opener::init())
        .build(tauri::generate_context!())
        .expect("mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .data_directory(dir.path().join("webview"))
        .build()
        .expect("main window");
    for url in [
        "http://attacker.invalid/",
        "http://attacker.invalid:8080/services/oauth2/authorize",
        // Loopback look-alikes: user info before the host, a longer host name, no port.
        "http://127.0.0.1:8080@attacker.invalid/",
        "http://localhost:1@attacker.invalid/x",
        "http://localhost.attacker.invalid:80/",
        "http://127.0.0.1.attacker.invalid:8080/",
        "http://127.0.0.1/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ] {
        let refused: Value = get_ipc_response(&window, open_url(url)).expect_err(url);
        assert!(
            refused
                .as_str()
                .unwrap_or_default()
                .starts_with("Not allowed to open url"),
            "{url}: {refused}"
        );
    }
}

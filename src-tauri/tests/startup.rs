//! The start-up probe through Tauri's real IPC path (mock runtime, the app's capabilities):
//! on, the window's "first screen painted" writes one report the bench can read; off, the
//! same call writes nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use serde_json::{json, Value};
use switchyard_app::startup::StartupProbe;
use switchyard_engine::startup::{monotonic_ns, StartupReport};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn painted(marks: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: "startup_painted".into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(json!({ "marks": marks })),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn marks(screen: &str) -> Value {
    json!({
        "screen": screen,
        "domContentLoadedMs": 41.5,
        "firstContentfulPaintMs": null,
        "mountedMs": 40.0,
        "readyMs": 90.0,
        "paintedMs": 120.0,
        "sentMs": 121.0,
    })
}

/// The window, its webview data kept in `dir` (never the real app-data folder).
fn window_with(
    probe: StartupProbe,
    dir: &std::path::Path,
) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    let app = mock_builder()
        .invoke_handler(
            switchyard_app::bindings::builder::<tauri::test::MockRuntime>().invoke_handler(),
        )
        .manage(probe)
        .build(tauri::generate_context!())
        .expect("mock app");
    WebviewWindowBuilder::new(&app, "main", Default::default())
        .data_directory(dir.join("webview"))
        .build()
        .expect("main window")
}

#[test]
fn the_first_paint_writes_one_readable_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("startup.json");
    let before = monotonic_ns();
    let probe = StartupProbe::new(Some(path.clone()));
    probe.setup_started();
    probe.setup_done();
    let window = window_with(probe, dir.path());

    get_ipc_response(&window, painted(marks("welcome"))).expect("startup_painted");
    let report: StartupReport =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report.pid, std::process::id());
    assert_eq!(report.ui.screen, "welcome");
    assert_eq!(report.ui.dom_content_loaded_ms, Some(41.5));
    assert!(before <= report.main_ns, "{report:?}");
    assert!(report.first_screen_ns <= monotonic_ns(), "{report:?}");
    assert_eq!(report.check(), Ok(()));
    // No page loaded in the mock runtime: the mark is absent, not invented.
    assert_eq!(
        (report.page_started_ns, report.page_loaded_ns),
        (None, None)
    );

    // A reloaded page reports again: the first report stays.
    get_ipc_response(&window, painted(marks("connections"))).expect("second report");
    let again: StartupReport =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(again, report);
    assert!(!dir.path().join("startup.json.partial").exists());
}

#[test]
fn without_the_variable_the_call_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let probe = StartupProbe::new(None);
    assert!(!probe.is_on());
    let window = window_with(probe, dir.path());
    let answer: Value = get_ipc_response(&window, painted(marks("welcome")))
        .expect("startup_painted")
        .deserialize()
        .unwrap();
    assert_eq!(answer, Value::Null);
}

#[test]
fn an_unwritable_report_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("startup.json");
    let window = window_with(StartupProbe::new(Some(path)), dir.path());
    let err = get_ipc_response(&window, painted(marks("welcome"))).expect_err("cannot write");
    assert_eq!(err["code"], "internal", "{err}");
}

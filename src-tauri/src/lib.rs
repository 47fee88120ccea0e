//! The desktop shell: builds the Tauri app around the engine. The only crate that
//! depends on `tauri`; everything it does is a thin adapter over `switchyard-engine`.

pub mod bindings;
pub mod commands;
pub mod error;
pub mod rendering;
mod setup;
pub mod startup;
pub mod state;

use tauri::Manager;

/// Runs the app until the last window closes.
pub fn run() {
    // First: with SWITCHYARD_STARTUP_REPORT set, this is where start-up timing begins.
    let probe = startup::StartupProbe::from_env();
    // Before WebKit loads: no GPU, no GL renderer on the CPU (see rendering.rs).
    rendering::prefer_software_path_without_gpu();
    let specta = bindings::builder::<tauri::Wry>();
    let mut builder = tauri::Builder::default()
        // Must be first: a second launch focuses the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                if let Err(e) = window.set_focus() {
                    tracing::warn!("cannot focus the running window: {e}");
                }
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init());
    if probe.is_on() {
        builder = builder.plugin(startup::plugin());
    }
    let app = builder
        .manage(probe)
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            app.state::<startup::StartupProbe>().setup_started();
            specta.mount_events(app);
            let started = setup::start(app.handle());
            app.state::<startup::StartupProbe>().setup_done();
            started
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Switchyard could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            setup::stop(handle);
        }
    });
}

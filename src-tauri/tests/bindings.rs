//! Fails when ui/src/bindings/index.ts no longer matches the Rust commands and types.
//! `UPDATE_BINDINGS=1 cargo test -p switchyard --test bindings` regenerates it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;

#[test]
fn typescript_bindings_are_fresh() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings/index.ts");
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh_path = dir.path().join("index.ts");
    switchyard_app::bindings::builder::<tauri::Wry>()
        .export(switchyard_app::bindings::typescript(), &fresh_path)
        .expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh_path).expect("read generated bindings");
    assert!(
        fresh.contains("listConnections"),
        "generated bindings look wrong:\n{fresh}"
    );
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings/index.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p switchyard --test bindings` and commit it"
    );
}

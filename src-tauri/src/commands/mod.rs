//! Tauri commands, grouped by area. Each is a few lines: unpack, call the engine, map
//! the error. The list here is also what `bindings` exports to TypeScript and what
//! build.rs declares to the ACL.

pub mod connections;
pub mod health;
pub mod mappings;
pub mod runs;
pub mod settings;
pub mod startup;
pub mod webhooks;

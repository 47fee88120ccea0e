//! Mappings: how the fields of one object become the fields of another. A mapping's
//! field rows each name a source field, a target field and a list of transform steps;
//! this module holds the pure, data-free parts of that (no store, no network), so they
//! can be previewed, validated and unit-tested on their own.

pub mod transform;

//! Mappings: how the fields of one object become the fields of another. A mapping's
//! field rows each name a source field, a target field and a list of transform steps.
//! This module holds the parts that need no store and no network — the model, the
//! transforms, validation against discovered schemas, the default mappings and the
//! preview's record conversion — so they can be unit-tested on their own.

pub mod defaults;
pub mod model;
pub mod preview;
pub mod transform;
pub mod validate;

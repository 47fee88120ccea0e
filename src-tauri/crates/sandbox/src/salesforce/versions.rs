//! `GET /services/data/`: the API versions 20.0 through 68.0 with their release names, and
//! `GET /services/data/vXX.X/`: a version's resources (which versions exist is
//! `api_version.rs`).

use super::api_version::{Api, MAX, MIN};
use super::limits::with_usage;
use super::Salesforce;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};
use std::sync::Arc;

/// Winter '11 was v20.0; three releases a year (Spring, Summer, Winter of the next year).
fn label(major: u32) -> String {
    let n = major - MIN;
    let (season, year) = match n % 3 {
        0 => ("Winter", 11 + n / 3),
        1 => ("Spring", 11 + n / 3),
        _ => ("Summer", 11 + n / 3),
    };
    format!("{season} '{year:02}")
}

/// `GET /services/data/`: served without a session.
pub async fn list(State(sf): State<Arc<Salesforce>>) -> Response {
    let versions: Vec<Value> = (MIN..=MAX).map(|v| json!({ "label": label(v), "url": format!("/services/data/v{v}.0"), "version": format!("{v}.0") })).collect();
    with_usage(
        Json(versions).into_response(),
        sf.usage.used(),
        sf.limits().daily,
    )
}

/// `GET /services/data/vXX.X/`: the resources of a version.
pub async fn resources(Extension(api): Extension<Api>) -> Json<Value> {
    let base = format!("/services/data/v{}", api.version);
    let names = [
        "sobjects",
        "query",
        "queryAll",
        "limits",
        "composite",
        "search",
        "recent",
        "tooling",
    ];
    Json(Value::Object(
        names
            .iter()
            .map(|n| ((*n).to_owned(), Value::String(format!("{base}/{n}"))))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::api_version::parse;
    use super::*;

    #[test]
    fn versions_and_release_names() {
        assert_eq!(parse("v66.0").as_deref(), Some("66.0"));
        assert_eq!(parse("v19.0"), None);
        assert_eq!(parse("v69.0"), None);
        assert_eq!(parse("v66.1"), None);
        assert_eq!(parse("66.0"), None);
        assert_eq!(label(20), "Winter '11");
        assert_eq!(label(60), "Spring '24");
        assert_eq!(label(68), "Winter '27");
    }
}

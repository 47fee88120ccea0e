//! Salesforce's error formats. REST API errors are always a JSON array of
//! `{"message","errorCode","fields"}`; per-record results inside sObject Collections use
//! `{"statusCode","message","fields"}`; the OAuth endpoints answer RFC 6749 style
//! `{"error","error_description"}` with status 400.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// One error as the REST API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn with_fields(mut self, fields: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        )
    }

    pub fn session() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        )
    }

    pub fn entity_deleted() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ENTITY_IS_DELETED",
            "entity is deleted",
        )
    }

    pub fn json_parser(detail: impl std::fmt::Display) -> Self {
        Self::bad("JSON_PARSER_ERROR", detail.to_string())
    }

    /// The element of a REST error array.
    pub fn body(&self) -> Value {
        // Record-level (DML) errors always carry `fields`; request-level ones only when set.
        let dml = matches!(
            self.code,
            "DUPLICATE_VALUE"
                | "ENTITY_IS_DELETED"
                | "INVALID_CROSS_REFERENCE_KEY"
                | "MALFORMED_ID"
                | "UNABLE_TO_LOCK_ROW"
                | "STRING_TOO_LONG"
        );
        if self.fields.is_empty() && !dml {
            json!({ "message": self.message, "errorCode": self.code })
        } else {
            json!({ "message": self.message, "errorCode": self.code, "fields": self.fields })
        }
    }

    /// The element of a per-record `errors` list (sObject Collections, SaveResult).
    pub fn save_error(&self) -> Value {
        json!({ "statusCode": self.code, "message": self.message, "fields": self.fields })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(Value::Array(vec![self.body()]))).into_response()
    }
}

/// `401` for a missing, unknown, revoked or timed-out session.
pub fn invalid_session() -> Response {
    ApiError::session().into_response()
}

/// An OAuth endpoint error: status 400 with `{"error","error_description"}`.
pub fn oauth_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// What a failed upsert/insert clash on a unique field says (text `[UNCONFIRMED]`).
pub fn duplicate_value(field: &str, existing_id: &str) -> ApiError {
    ApiError::bad(
        "DUPLICATE_VALUE",
        format!("duplicate value found: {field} duplicates value on record with id: {existing_id}"),
    )
}

/// The error a SOQL parser reports, with the query line, a caret and the position.
pub fn soql_error(code: &'static str, query: &str, at: usize, message: &str) -> ApiError {
    let at = at.min(query.len());
    let before = &query[..at];
    let row = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = query[at..].find('\n').map_or(query.len(), |i| at + i);
    let column = query[line_start..at].chars().count() + 1;
    let caret = format!("{}^", " ".repeat(column - 1));
    ApiError::bad(
        code,
        format!(
            "\n{}\n{caret}\nERROR at Row:{row}:Column:{column}\n{message}",
            &query[line_start..line_end]
        ),
    )
}

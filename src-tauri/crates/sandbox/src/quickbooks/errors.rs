//! QuickBooks' error bodies, in the two shapes clients must handle: the data-service
//! `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"},"time"}` (also sent
//! inside HTTP 200 in one case) and the gateway's lowercase
//! `{"fault":{"error":[{"message","detail","code"}],"type"},"time"}` used for 401, 403 and 429
//! (the `message=…; errorCode=…; statusCode=…` strings are the gateway's format).
//!
//! Codes and texts from the reference (§3) and Intuit's error pages: 5010 Stale Object
//! Error, 6240 Duplicate Name Exists Error, 6210 duplicate DocNumber, 610 Object Not Found,
//! 4000 Error parsing query (`QueryParserError: …`), 2020 required parameter, 500
//! Unsupported Operation, 10000 system failure. `[UNCONFIRMED]` texts: the 401/429 `detail`
//! and `type`, the 4001 query-validation text, and the codes chosen for a too-large batch,
//! an out-of-range `changedSince` and a rejected minor version.

use super::time::fault_time;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// One `Fault` with its HTTP status.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub status: StatusCode,
    pub kind: &'static str,
    pub errors: Vec<Value>,
}

fn error(message: &str, detail: &str, code: &str, element: &str) -> Value {
    json!({ "Message": message, "Detail": detail, "code": code, "element": element })
}

impl Fault {
    pub fn validation(code: &str, message: &str, detail: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "ValidationFault",
            errors: vec![error(message, detail, code, "")],
        }
    }

    pub fn with_element(mut self, element: &str) -> Self {
        if let Some(Value::Object(e)) = self.errors.first_mut() {
            e.insert("element".into(), Value::String(element.into()));
        }
        self
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn stale(entity: &str, id: &str) -> Self {
        Self::validation(
            "5010",
            "Stale Object Error",
            &format!("Stale Object Error : You and Sandbox User are working on this at the same time. Sandbox User finished before you did, so your work was not saved. ({entity} {id})"),
        )
    }

    pub fn duplicate_name(name: &str) -> Self {
        Self::validation("6240", "Duplicate Name Exists Error", &format!("The name supplied already exists. : Another customer is already using this name. Please use a different name. Name={name}"))
            .with_element("DisplayName")
    }

    pub fn duplicate_doc_number() -> Self {
        Self::validation("6210", "Duplicate Document Number Error", "Duplicate Document Number Error : You must specify a different number. This number has already been used.")
            .with_element("DocNumber")
    }

    pub fn not_found(entity: &str, id: &str) -> Self {
        Self::validation(
            "610",
            "Object Not Found",
            &format!("Object Not Found : Something you're trying to use has been made inactive or deleted. Check the fields with {entity} Id={id}."),
        )
    }

    pub fn required(what: &str) -> Self {
        Self::validation(
            "2020",
            "Required param missing, need to supply the required value for the API",
            &format!("Required parameter {what} is missing in the request"),
        )
        .with_element(what)
    }

    pub fn invalid(element: &str, detail: &str) -> Self {
        Self::validation(
            "2010",
            "Request has invalid or unsupported property",
            &format!("Property Name:{detail}"),
        )
        .with_element(element)
    }

    pub fn unsupported(operation: &str) -> Self {
        Self::validation(
            "500",
            "Unsupported Operation",
            &format!("Operation {operation} is not supported."),
        )
    }

    pub fn parse_query(detail: &str) -> Self {
        Self::validation(
            "4000",
            "Error parsing query",
            &format!("QueryParserError: {detail}"),
        )
    }

    pub fn invalid_query(detail: &str) -> Self {
        Self::validation(
            "4001",
            "Invalid query",
            &format!("QueryValidationError: {detail}"),
        )
    }

    pub fn business(detail: &str) -> Self {
        Self::validation(
            "6000",
            "A business validation error has occurred while processing your request",
            &format!("Business Validation Error: {detail}"),
        )
    }

    pub fn system(detail: &str) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "SystemFault",
            errors: vec![error(
                "An application error has occurred while processing your request",
                &format!("System Failure Error: {detail}"),
                "10000",
                "",
            )],
        }
    }

    /// `{"Fault":{…}}` without `time` (batch items carry it this way).
    pub fn fault_object(&self) -> Value {
        json!({ "Error": self.errors, "type": self.kind })
    }

    pub fn body(&self) -> Value {
        json!({ "Fault": self.fault_object(), "time": fault_time() })
    }
}

impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// The gateway's lowercase fault (401, 403, 429).
pub fn gateway(
    status: StatusCode,
    name: &str,
    error_code: &str,
    detail: &str,
    kind: &str,
) -> Response {
    let code = error_code.trim_start_matches('0');
    let message = format!(
        "message={name}; errorCode={error_code}; statusCode={}",
        status.as_u16()
    );
    let body = json!({ "fault": { "error": [{ "message": message, "detail": detail, "code": code }], "type": kind }, "time": fault_time() });
    (status, Json(body)).into_response()
}

pub fn unauthorized(detail: &str) -> Response {
    gateway(
        StatusCode::UNAUTHORIZED,
        "AuthenticationFailed",
        "003200",
        detail,
        "AUTHENTICATION",
    )
}

pub fn forbidden(detail: &str) -> Response {
    gateway(
        StatusCode::FORBIDDEN,
        "ApplicationAuthorizationFailed",
        "003100",
        detail,
        "AUTHORIZATION",
    )
}

pub fn throttled() -> Response {
    gateway(
        StatusCode::TOO_MANY_REQUESTS,
        "ThrottleExceeded",
        "003001",
        "The request limit was reached. Wait 60 seconds before retrying.",
        "SERVICE",
    )
}

/// OAuth endpoint errors: `{"error":"invalid_grant"}` (400) and friends.
pub fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_fault_has_the_documented_keys() {
        let body = Fault::stale("Customer", "1").body();
        let e = &body["Fault"]["Error"][0];
        assert_eq!(e["code"], "5010");
        assert_eq!(e["Message"], "Stale Object Error");
        assert_eq!(e["element"], "");
        assert_eq!(body["Fault"]["type"], "ValidationFault");
        assert!(body["time"].as_str().is_some_and(|t| t.ends_with("-07:00")));
    }
}

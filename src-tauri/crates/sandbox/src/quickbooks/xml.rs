//! "Send `Accept: application/json`. Without it, XML comes back" (reference §3): API
//! responses to a request that does not ask for JSON are rendered as Intuit's XML —
//! `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="…">` around the same
//! elements, with `domain`, `sparse`, `status`, `startPosition`, `maxResults`,
//! `totalCount`, `bId`, Fault `type` and Error `code`/`element` as attributes. The
//! gateway's 401/403/429 bodies stay JSON. Element order is alphabetical, not the XSD's.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

const ATTRIBUTES: &[&str] = &[
    "domain",
    "sparse",
    "status",
    "startPosition",
    "maxResults",
    "totalCount",
    "bId",
    "type",
    "code",
    "element",
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| element(out, name, item)),
        Value::Object(map) => {
            out.push('<');
            out.push_str(name);
            for (k, v) in map.iter().filter(|(k, _)| ATTRIBUTES.contains(&k.as_str())) {
                if let Some(text) = scalar(v) {
                    out.push_str(&format!(" {k}=\"{}\"", escape(&text)));
                }
            }
            out.push('>');
            for (k, v) in map
                .iter()
                .filter(|(k, v)| !(ATTRIBUTES.contains(&k.as_str()) && scalar(v).is_some()))
            {
                element(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => {}
        other => out.push_str(&format!(
            "<{name}>{}</{name}>",
            escape(&scalar(other).unwrap_or_default())
        )),
    }
}

/// The XML form of a JSON response body.
pub fn render(body: &Value) -> String {
    let time = body.get("time").and_then(Value::as_str).unwrap_or_default();
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{}">"#,
        escape(time)
    );
    if let Some(map) = body.as_object() {
        for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "time") {
            element(&mut out, k, v);
        }
    }
    out.push_str("</IntuitResponse>");
    out
}

/// Middleware: XML for API calls that did not ask for JSON.
pub async fn negotiate(request: Request, next: Next) -> Response {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let api = request.uri().path().starts_with("/v3/");
    let response = next.run(request).await;
    let gateway = matches!(
        response.status(),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    );
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || accept.contains("json") || gateway || !json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(render(&value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entities_faults_and_lists() {
        let body = json!({"QueryResponse": {"Customer": [{"Id": "1", "domain": "QBO", "sparse": false, "DisplayName": "A & B"}, {"Id": "2"}], "startPosition": 1, "maxResults": 2}, "time": "t"});
        let xml = render(&body);
        assert!(xml
            .contains(r#"<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="t">"#));
        assert!(xml.contains(r#"<QueryResponse maxResults="2" startPosition="1"><Customer domain="QBO" sparse="false"><DisplayName>A &amp; B</DisplayName><Id>1</Id></Customer><Customer><Id>2</Id></Customer></QueryResponse>"#), "{xml}");
        let fault = render(
            &json!({"Fault": {"Error": [{"Message": "m", "Detail": "d", "code": "5010", "element": ""}], "type": "ValidationFault"}, "time": "t"}),
        );
        assert!(fault.contains(r#"<Fault type="ValidationFault"><Error code="5010" element=""><Detail>d</Detail><Message>m</Message></Error></Fault>"#), "{fault}");
    }
}

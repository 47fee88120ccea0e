//! How Slack's Web API reads a call's arguments: the query string, an url-encoded form
//! body, or a JSON body (only for methods that accept JSON; others ignore JSON
//! arguments, as Slack does). The token comes from `Authorization: Bearer` or a `token`
//! argument in the query or form, never from a JSON body. Also the opaque base64
//! cursors of cursor paging (`dXNlcjpVMDYxTkZUVDI=` is `user:U061NFTT2`).

use crate::oauth::bearer;
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use serde_json::{Map, Value};

#[derive(Debug, Default, Clone)]
pub struct Params {
    args: Map<String, Value>,
    form_token: Option<String>,
}

fn pairs(text: &[u8]) -> Result<Vec<(String, String)>, &'static str> {
    serde_urlencoded::from_bytes(text).map_err(|_| "invalid_form_data")
}

/// Reads the arguments, or the Slack error code for a body it cannot read.
pub fn parse(
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    json_args: bool,
) -> Result<Params, &'static str> {
    let mut params = Params::default();
    let mut form = query
        .map(|q| pairs(q.as_bytes()))
        .transpose()?
        .unwrap_or_default();
    if !body.is_empty() {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("application/json") {
            let Value::Object(mut map) =
                serde_json::from_slice::<Value>(body).map_err(|_| "invalid_json")?
            else {
                return Err("invalid_json");
            };
            map.remove("token");
            if json_args {
                params.args.extend(map);
            }
        } else if content_type.is_empty()
            || content_type.starts_with("application/x-www-form-urlencoded")
        {
            form.extend(pairs(body)?);
        }
    }
    for (key, value) in form {
        if key == "token" {
            params.form_token = Some(value);
        } else {
            params.args.insert(key, Value::String(value));
        }
    }
    Ok(params)
}

impl Params {
    /// The caller's token: the Authorization header first, then a `token` argument.
    pub fn token<'a>(&'a self, headers: &'a HeaderMap) -> Option<&'a str> {
        bearer(headers)
            .or(self.form_token.as_deref())
            .filter(|t| !t.is_empty())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.args.get(key).filter(|v| !v.is_null())
    }

    /// An argument as text (numbers and booleans as they would be written in a form).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A non-empty text argument.
    pub fn text(&self, key: &str) -> Option<String> {
        self.str(key).filter(|s| !s.trim().is_empty())
    }

    /// Slack booleans: `true`, `1` (form) or JSON `true` / `1`.
    pub fn flag(&self, key: &str) -> bool {
        self.str(key).is_some_and(|v| v == "true" || v == "1")
    }

    /// An integer argument; `Err` when present but not a number.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ()> {
        match self.str(key) {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => s.trim().parse().map(Some).map_err(|_| ()),
        }
    }
}

/// `prefix:value` as Slack's base64 cursor.
pub fn cursor(prefix: &str, value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{prefix}:{value}"))
}

/// The value of a cursor made by [`cursor`] with this prefix.
pub fn read_cursor(prefix: &str, cursor: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cursor.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(prefix)?
        .strip_prefix(':')
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_match_the_documented_encoding() {
        assert_eq!(cursor("user", "U061NFTT2"), "dXNlcjpVMDYxTkZUVDI=");
        assert_eq!(
            read_cursor("team", "dGVhbTpDMDYxRkE1UEI=").as_deref(),
            Some("C061FA5PB")
        );
        assert_eq!(read_cursor("user", "dGVhbTpDMDYxRkE1UEI="), None);
        assert_eq!(read_cursor("user", "%%%"), None);
    }

    #[test]
    fn json_is_read_only_for_json_methods_and_never_carries_the_token() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/json;charset=utf-8"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        let body = br#"{"channel":"C1","token":"xoxb-1","limit":5}"#;
        let p = parse(Some("cursor=abc"), &h, body, true).unwrap_or_default();
        assert_eq!(p.str("channel").as_deref(), Some("C1"));
        assert_eq!(p.int("limit"), Ok(Some(5)));
        assert_eq!(p.token(&h), None);
        let p = parse(None, &h, body, false).unwrap_or_default();
        assert_eq!(p.str("channel"), None);
        assert_eq!(parse(None, &h, b"[1]", true).err(), Some("invalid_json"));
    }

    #[test]
    fn form_and_query_arguments_merge_and_carry_the_token() {
        let h = HeaderMap::new();
        let p = parse(
            Some("limit=2"),
            &h,
            b"token=xoxp-9&exclude_archived=true",
            false,
        )
        .unwrap_or_default();
        assert_eq!(p.token(&h), Some("xoxp-9"));
        assert!(p.flag("exclude_archived"));
        assert_eq!(p.int("limit"), Ok(Some(2)));
        assert!(parse(Some("limit=x"), &h, b"", false).is_ok_and(|p| p.int("limit").is_err()));
    }
}

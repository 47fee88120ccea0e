//! Zapier: a catch-hook URL is the credential. It is checked for the documented shape
//! (`https://hooks.zapier.com/hooks/catch/{account}/{hook}/`, or a sandbox base URL with
//! the same path) before it is stored, and can be proven with a test post.

use crate::http::{Call, Stack};
use crate::identity::{Identity, IdentityError};
use regex::Regex;
use reqwest::Method;
use std::sync::LazyLock;

static HOOK_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^/hooks/catch/(\d+)/([A-Za-z0-9]+)/?$").expect("hook pattern compiles")
});

/// The account and hook ids of a catch-hook URL, or why it is not one.
pub fn parse_hook_url(url: &str, allowed_host: &str) -> Result<(String, String), String> {
    let parsed =
        reqwest::Url::parse(url.trim()).map_err(|_| "this is not a web address".to_owned())?;
    let origin = format!(
        "{}://{}",
        parsed.scheme(),
        parsed.host_str().unwrap_or_default()
    );
    let with_port = parsed
        .port()
        .map_or(origin.clone(), |p| format!("{origin}:{p}"));
    if with_port != allowed_host.trim_end_matches('/')
        && origin != allowed_host.trim_end_matches('/')
    {
        return Err(format!("a Zapier catch hook starts with {allowed_host}"));
    }
    let caps = HOOK_PATH
        .captures(parsed.path())
        .ok_or("a Zapier catch hook looks like …/hooks/catch/123456/abcdef/")?;
    Ok((caps[1].to_owned(), caps[2].to_owned()))
}

/// Posts a small test payload; a 200 proves the hook exists.
pub async fn test_post(stack: &Stack, url: &str) -> Result<Identity, IdentityError> {
    let mut call = Call::new(Method::POST, url, "/hooks/catch/{account}/{hook}/");
    call.headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    call.body = Some(br#"{"switchyard":"connection test"}"#.to_vec().into());
    stack.send(&call).await?;
    let hook = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    Ok(Identity {
        account_id: Some(hook.clone()),
        account_name: format!("Zapier hook {hook}"),
        user_name: None,
    })
}

/// Posts a JSON payload to the hook (a run summary). Zapier acknowledges with 200 and
/// `{"status":"success","id","request_id"}`; the request id is returned. Not retried
/// when it may have arrived: a Zap would run twice.
pub async fn post(
    stack: &Stack,
    url: &str,
    payload: &serde_json::Value,
) -> Result<String, crate::connector::ConnectorError> {
    use crate::connector::ConnectorError;
    let mut call = Call::new(Method::POST, url, "/hooks/catch/{account}/{hook}/");
    call.headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    call.body = Some(payload.to_string().into());
    let reply = stack.send(&call).await?;
    let body: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(ConnectorError::unexpected)?;
    if body.get("status").and_then(serde_json::Value::as_str) != Some("success") {
        return Err(ConnectorError::unexpected(format!(
            "Zapier did not accept the post: {body}"
        )));
    }
    Ok(body
        .get("request_id")
        .or_else(|| body.get("id"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_urls_are_checked() {
        let host = "https://hooks.zapier.com";
        assert_eq!(
            parse_hook_url("https://hooks.zapier.com/hooks/catch/123/abc9/", host),
            Ok(("123".into(), "abc9".into()))
        );
        assert!(parse_hook_url("https://evil.example/hooks/catch/123/abc/", host).is_err());
        assert!(parse_hook_url("https://hooks.zapier.com/hooks/other/123/abc/", host).is_err());
        assert!(parse_hook_url("not a url", host).is_err());
        assert!(
            parse_hook_url("http://127.0.0.1:9/hooks/catch/1/x/", "http://127.0.0.1:9").is_ok()
        );
    }
}

//! The simulators' consent page, driven by a program: what the app's one-click "Try with
//! sandbox accounts" and the tests use in place of a person at a browser. It opens the
//! page and submits Allow or Deny exactly as a browser would; the OAuth flow around it
//! (state, PKCE, redirect, code exchange) is the real one.

use regex::Regex;
use std::sync::LazyLock;

static FORM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<form method="post" action="([^"]+)""#).expect("form pattern"));
static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)">"#).expect("input pattern")
});

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Allows the request at `authorize_url` and follows the redirect (to the app's loopback
/// listener, which then completes the flow).
pub async fn allow(authorize_url: &str) -> Result<(), String> {
    let location = decide(authorize_url, "allow").await?;
    reqwest::get(&location).await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Answers the consent page with `decision` ("allow" or "deny") and returns where the
/// browser would be sent, without going there (the address a person copies in the
/// paste-the-redirect path).
pub async fn decide(authorize_url: &str, decision: &str) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let page = http
        .get(authorize_url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !page.status().is_success() {
        return Err(format!(
            "the sandbox consent page answered HTTP {}",
            page.status()
        ));
    }
    let html = page.text().await.map_err(|e| e.to_string())?;
    let action = FORM
        .captures(&html)
        .map(|c| unescape(&c[1]))
        .ok_or("the consent page has no form")?;
    let action = reqwest::Url::parse(authorize_url)
        .and_then(|u| u.join(&action))
        .map_err(|e| e.to_string())?;
    let mut form: Vec<(String, String)> = HIDDEN
        .captures_iter(&html)
        .map(|c| (c[1].to_owned(), unescape(&c[2])))
        .collect();
    form.push(("decision".into(), decision.into()));
    let answer = http
        .post(action)
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .ok_or("the consent answer did not redirect")?
        .to_owned();
    Ok(location)
}

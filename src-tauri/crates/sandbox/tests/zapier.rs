//! Zapier catch hooks, checked against shared/reference/provider-apis.md §5: 200 with
//! `{id, request_id, attempt, status}` UUIDs, JSON / form / query payloads kept,
//! unknown hooks refused, 429 past 30 requests/s per hook.

#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use switchyard_sandbox::{Sandbox, SandboxConfig};

async fn hook(sandbox: &Sandbox) -> (String, String) {
    let base = sandbox.base_url("zapier").unwrap().to_owned();
    let token: Value = reqwest::Client::new()
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (base, token["hook_url"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_post_is_acknowledged_with_uuids_and_kept() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (base, url) = hook(&sandbox).await;
    assert!(url.contains("/hooks/catch/") && url.ends_with('/'), "{url}");
    let c = reqwest::Client::new();
    let r = c
        .post(&url)
        .json(&json!({"run": "r1", "written": 12}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "success");
    for key in ["id", "request_id", "attempt"] {
        let v = body[key].as_str().unwrap();
        assert_eq!(v.len(), 36, "{key} is a UUID: {v}");
    }
    c.post(&url)
        .form(&[("name", "Zoë"), ("n", "2")])
        .send()
        .await
        .unwrap();
    c.post(format!("{url}?from=query&x=1"))
        .send()
        .await
        .unwrap();
    c.post(url.trim_end_matches('/'))
        .json(&json!([1, 2]))
        .send()
        .await
        .unwrap();

    let dump: Value = c
        .get(format!("{base}/__sandbox/dump"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hook_id = url.trim_end_matches('/').rsplit('/').next().unwrap();
    let kept = dump["hooks"][hook_id].as_array().unwrap();
    assert_eq!(kept.len(), 4);
    assert_eq!(kept[0], json!({"run": "r1", "written": 12}));
    assert_eq!(kept[1], json!({"name": "Zoë", "n": "2"}));
    assert_eq!(kept[2], json!({"from": "query", "x": "1"}));
    assert_eq!(kept[3], json!([1, 2]));
}

#[tokio::test]
async fn unknown_hooks_are_not_found() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (base, _) = hook(&sandbox).await;
    let r = reqwest::Client::new()
        .post(format!("{base}/hooks/catch/4827165/nosuchhook/"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn more_than_the_per_second_limit_gets_429_with_retry_after() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (base, url) = hook(&sandbox).await;
    let c = reqwest::Client::new();
    c.put(format!("{base}/__sandbox/limits"))
        .json(&json!({"per_second": 5}))
        .send()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = c.post(&url).json(&json!({})).send().await.unwrap();
        statuses.push((
            r.status().as_u16(),
            r.headers().get("retry-after").is_some(),
        ));
    }
    assert_eq!(
        statuses.iter().filter(|(s, _)| *s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses[5..].iter().all(|&(s, retry)| s == 429 && retry),
        "{statuses:?}"
    );
    assert_eq!(
        c.put(format!("{base}/__sandbox/limits"))
            .json(&json!({"nope": 1}))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
}

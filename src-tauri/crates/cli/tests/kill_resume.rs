//! Nothing lost, nothing doubled: a sync of ~5,000 records (HubSpot contacts → Salesforce
//! Leads) run by the CLI is killed with SIGKILL at six different moments, resumed each
//! time, and finally completed; the target then holds exactly one Lead per contact —
//! 0 missing, 0 duplicated. The sandbox runs in its own process, so its data outlives
//! every killed run.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_switchyard-cli");
const RECORDS: &str = "5000";

async fn start_sandbox() -> (Child, Value) {
    let mut child = Command::new(BIN)
        .args([
            "sandbox",
            "--records",
            RECORDS,
            "--seed",
            "9",
            "--latency-ms",
            "15",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut text = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        text.push_str(&line);
        text.push('\n');
        if let Ok(doc) = serde_json::from_str::<Value>(&text) {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, doc);
        }
    }
    panic!("the sandbox printed no document: {text}");
}

fn cli(data: &std::path::Path, urls: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .arg("--data-dir")
        .arg(data)
        .env("SWITCHYARD_KEY_STORE", "file")
        .env("SWITCHYARD_SANDBOX_URLS", urls)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

async fn dump(base: &str) -> Value {
    reqwest::get(format!("{base}/__sandbox/dump"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().trim().to_owned()
}

/// Leads by what identifies them: the e-mail, or for contacts without one the names.
fn lead_keys(sf: &Value) -> HashMap<String, usize> {
    let mut keys = HashMap::new();
    for lead in sf["Lead"].as_array().unwrap() {
        let key = match lead["Email"].as_str() {
            Some(e) if !e.trim().is_empty() => format!("email:{}", e.trim().to_lowercase()),
            _ => format!(
                "name:{}|{}|{}",
                text(&lead["FirstName"]),
                text(&lead["LastName"]),
                text(&lead["Company"])
            ),
        };
        *keys.entry(key).or_default() += 1;
    }
    keys
}

fn contact_key(c: &Value) -> String {
    let p = &c["properties"];
    match p["email"].as_str() {
        Some(e) if !e.trim().is_empty() => format!("email:{}", e.trim().to_lowercase()),
        _ => {
            let or = |v: String| {
                if v.is_empty() {
                    "[not provided]".to_owned()
                } else {
                    v
                }
            };
            format!(
                "name:{}|{}|{}",
                text(&p["firstname"]),
                or(text(&p["lastname"])),
                or(text(&p["company"]))
            )
        }
    }
}

/// When to kill each run: after how many pages, and how many ms later. `fixed`, unless
/// `SWITCHYARD_KILL_SEED` asks for other moments (a stress loop over seeds explores
/// more of them than one schedule: `for s in $(seq 50); do SWITCHYARD_KILL_SEED=$s …`).
/// Only the fixed-schedule test takes the seed; the other always runs seed 4.
fn kill_points(fixed: Vec<(usize, u64)>) -> Vec<(usize, u64)> {
    match std::env::var("SWITCHYARD_KILL_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seed) => seeded_points(seed),
        None => fixed,
    }
}

/// Six kill moments spread by `seed`.
fn seeded_points(seed: u64) -> Vec<(usize, u64)> {
    // splitmix64: enough to spread the moments, no dependency for it.
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..6)
        .map(|i| (2 + i + (next() % 3) as usize, next() % 120))
        .collect()
}

#[tokio::test]
async fn a_sync_killed_six_times_ends_with_nothing_missing_or_doubled() {
    killed_six_times(kill_points(vec![
        (2, 5),
        (3, 40),
        (4, 15),
        (5, 70),
        (6, 25),
        (7, 55),
    ]))
    .await;
}

/// Seed 4's moments kill a run while a batch holding an e-mail-less contact was sent but
/// not answered, beside an older Lead with the same values: reconcile linked the contact
/// to that Lead (1 missing) or, finding both, re-sent it (1 doubled) until candidates
/// older than the intent or linked elsewhere were left out.
#[tokio::test]
async fn a_sync_killed_beside_look_alike_records_ends_with_nothing_missing_or_doubled() {
    killed_six_times(seeded_points(4)).await;
}

// What each killed run did and which keys came out wrong are the test's diagnostics.
#[allow(clippy::print_stdout)]
async fn killed_six_times(points: Vec<(usize, u64)>) {
    let (mut sandbox, doc) = start_sandbox().await;
    let base = |p: &str| doc["providers"][p]["base_url"].as_str().unwrap().to_owned();
    let urls = ["salesforce", "hubspot", "quickbooks", "slack", "zapier"]
        .map(|p| format!("{p}={}", base(p)))
        .join(",");
    let dir = tempfile::tempdir().unwrap();
    let setup = cli(
        dir.path(),
        &urls,
        &["connect-sandbox", "--default-mappings"],
    )
    .output()
    .await
    .unwrap();
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let setup: Value = serde_json::from_slice(&setup.stdout).unwrap();
    let mapping = setup["mappings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["sourceObject"] == "contacts")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();

    let before = lead_keys(&dump(&base("salesforce")).await);
    let contacts = dump(&base("hubspot")).await["contacts"]
        .as_array()
        .unwrap()
        .clone();
    assert!(contacts.len() > 4900, "{} contacts", contacts.len());

    // Each run is killed a moment after its k-th page was committed, so the kill lands
    // in the middle of the next page (reading, matching, or writing a batch).
    let mut kills = 0;
    for (pages, extra_ms) in points {
        let mut run = cli(dir.path(), &urls, &["sync", &mapping]).spawn().unwrap();
        let mut progress = BufReader::new(run.stderr.take().unwrap()).lines();
        let mut seen = 0;
        let mut last = String::new();
        while seen < pages {
            match progress.next_line().await.unwrap() {
                Some(line) if line.starts_with("read ") => {
                    seen += 1;
                    last = line;
                }
                Some(line) => println!("run {kills}: {line}"),
                None => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(extra_ms)).await;
        if run.try_wait().unwrap().is_none() {
            run.kill().await.unwrap();
            println!("run {kills} killed {extra_ms} ms after: {last}");
            kills += 1;
        }
    }
    assert!(kills >= 5, "only {kills} runs were still going when killed");
    let last = cli(dir.path(), &urls, &["sync", &mapping, "--json"])
        .output()
        .await
        .unwrap();
    let report: Value = serde_json::from_slice(&last.stdout).unwrap_or(Value::Null);
    assert!(
        last.status.success(),
        "{}\n{report}",
        String::from_utf8_lossy(&last.stderr)
    );

    let after = lead_keys(&dump(&base("salesforce")).await);
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for c in &contacts {
        *wanted.entry(contact_key(c)).or_default() += 1;
    }
    let (mut missing, mut doubled) = (0, 0);
    let mut wrong = Vec::new();
    for (key, n) in &wanted {
        let had = before.get(key).copied().unwrap_or(0);
        // Contacts matching one Lead update it; two or more are ambiguous and left alone;
        // contacts matching none create one each.
        let expected = if key.starts_with("email:") && had >= 1 {
            had
        } else {
            had + n
        };
        let got = after.get(key).copied().unwrap_or(0);
        missing += expected.saturating_sub(got);
        doubled += got.saturating_sub(expected);
        if got != expected {
            wrong.push(format!(
                "{key}: {got} Leads, {expected} expected (had {had})"
            ));
        }
    }
    // Which ones, so a failure can be traced through the sandbox's dump and the runs.
    wrong.sort();
    for w in wrong.iter().take(20) {
        println!("  {w}");
    }
    println!(
        "killed {kills} times; {} contacts; {missing} missing, {doubled} doubled; final run: {}",
        contacts.len(),
        report["message"]
    );
    assert_eq!((missing, doubled), (0, 0));

    // And once more: nothing left to write.
    let again = cli(dir.path(), &urls, &["sync", &mapping, "--json"])
        .output()
        .await
        .unwrap();
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    sandbox.kill().await.unwrap();
}

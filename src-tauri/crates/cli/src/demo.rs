//! `switchyard-cli demo`: the whole product in one command, headless. It starts the
//! in-process sandbox, connects the five providers the way "Try with sandbox accounts"
//! does (OAuth code flow with PKCE through the consent page, pasted bot token, hook URL),
//! creates the default mappings, runs each once, posts a summary to the sandbox's Slack
//! channel and Zapier hook through the notification settings, and prints what happened
//! with the health figures. Everything lives in a fresh data folder, removed afterwards
//! unless asked to keep it; the keychain is never touched (the key stays in a file there).

mod report;

use report::{
    ConnectionLine, DemoReport, FailedStep, HealthLine, MappingLine, Notifications, Posted,
};
use std::path::PathBuf;
use std::time::Instant;
use switchyard_engine::store::kinds::{ProviderId, RunStatus, RunTrigger, SyncDirection};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig, EngineError, ErrorCode};
use switchyard_sandbox::{SandboxConfig, SeedSpec};

/// What `demo` was asked to do.
#[derive(Debug, Clone)]
pub struct DemoArgs {
    pub records: usize,
    pub seed: u64,
    pub json: bool,
    pub keep: bool,
    /// Use (and keep) this folder instead of a temporary one.
    pub data_dir: Option<PathBuf>,
}

/// The health window the demo reports: everything it did, and nothing older than an hour.
const HEALTH_WINDOW_SECS: u32 = 3600;

/// A failure of one named step, for the exit message.
fn step_error(step: &str, e: &EngineError) -> FailedStep {
    FailedStep {
        step: step.to_owned(),
        code: e.code.as_str().to_owned(),
        message: e.message.clone(),
    }
}

/// A fresh folder under the system's temp folder: `switchyard-demo-<pid>-<ms>`.
fn temp_data_dir() -> Result<PathBuf, EngineError> {
    let stamp = switchyard_engine::store::now_ms();
    let dir = std::env::temp_dir().join(format!("switchyard-demo-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| {
        EngineError::new(
            ErrorCode::Storage,
            format!("cannot create {}: {e}", dir.display()),
        )
    })?;
    Ok(dir)
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn run(args: DemoArgs) -> Result<(), EngineError> {
    let started = Instant::now();
    let (dir, remove) = match &args.data_dir {
        Some(dir) => (dir.clone(), false),
        None => (temp_data_dir()?, !args.keep),
    };
    let mut report = DemoReport::new(&dir, !remove, args.records, args.seed);
    if !args.json {
        eprintln!(
            "switchyard demo: {} records per object, data in {}",
            args.records,
            dir.display()
        );
    }
    let engine = Engine::open(EngineConfig {
        data_dir: dir.clone(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await;
    match engine {
        Ok(engine) => {
            // Ctrl-C stops at once and still cleans up (the sandbox, the temp folder).
            let outcome = tokio::select! {
                done = steps(&engine, &args, &mut report) => done.map_err(Some),
                _ = tokio::signal::ctrl_c() => Err(None),
            };
            report.failed_step = match outcome {
                Ok(()) => None,
                Err(Some(failed)) => Some(failed),
                Err(None) => Some(FailedStep {
                    step: report.step.clone(),
                    code: "cancelled".to_owned(),
                    message: "interrupted (Ctrl-C)".to_owned(),
                }),
            };
            engine.shutdown().await;
        }
        Err(e) => report.failed_step = Some(step_error("open the data folder", &e)),
    }
    report.totals = report.sum();
    report.wall_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if remove {
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("could not remove {}: {e}", dir.display());
        }
    }
    if args.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| EngineError::new(ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", report.table());
    }
    match &report.failed_step {
        None => Ok(()),
        Some(f) => Err(EngineError::new(
            ErrorCode::Unavailable,
            format!("demo step \u{201c}{}\u{201d} failed: {}", f.step, f.message),
        )),
    }
}

/// The demo's steps in order; the first that fails stops it, named.
async fn steps(
    engine: &Engine,
    args: &DemoArgs,
    report: &mut DemoReport,
) -> Result<(), FailedStep> {
    engine.configure_sandbox(SandboxConfig {
        seed: SeedSpec {
            seed: args.seed,
            records: args.records,
        },
        ..Default::default()
    });
    let step = "start the sandbox";
    report.step = step.to_owned();
    report.external_sandbox = std::env::var_os("SWITCHYARD_SANDBOX_URLS").is_some();
    for provider in ProviderId::ALL {
        let base_url = engine
            .sandbox_base_url(*provider)
            .await
            .map_err(|e| step_error(step, &e))?;
        report
            .sandbox
            .insert(provider.as_str().to_owned(), base_url);
    }

    let step = "connect the five sandbox accounts";
    report.step = step.to_owned();
    engine
        .connect_sandbox_accounts()
        .await
        .map_err(|e| step_error(step, &e))?;
    report.connections = connection_lines(engine)
        .await
        .map_err(|e| step_error(step, &e))?;
    if let Some(c) = report.connections.iter().find(|c| c.status != "connected") {
        let e = EngineError::new(
            ErrorCode::AuthExpired,
            format!("{} is {}", c.label, c.status),
        );
        return Err(step_error(step, &e));
    }

    let step = "create the default mappings";
    report.step = step.to_owned();
    let mut mappings = engine
        .create_default_mappings()
        .await
        .map_err(|e| step_error(step, &e))?;
    mappings.sort_by_key(|m| run_order(&m.target_object, m.direction));

    for m in &mappings {
        let step = format!("sync {}", m.name);
        report.step.clone_from(&step);
        // A default mapping can need a person first (deals match on a name that is not
        // unique): it is listed with the reason instead of run.
        let draft = engine
            .get_mapping(&m.id)
            .await
            .map_err(|e| step_error(&step, &e))?
            .draft;
        let problems = engine
            .validate_mapping(&draft)
            .await
            .map_err(|e| step_error(&step, &e))?;
        if !problems.is_empty() {
            report.mappings.push(MappingLine::not_run(m, &problems));
            continue;
        }
        let options = switchyard_engine::sync::RunOptions {
            trigger: Some(RunTrigger::Cli),
            ..Default::default()
        };
        let began = Instant::now();
        let run = engine
            .run_mapping(&m.id, options, &|_| {})
            .await
            .map_err(|e| step_error(&step, &e))?;
        let errors = engine
            .get_run(&run.run_id)
            .await
            .map(|d| report::error_counts(&d.errors))
            .map_err(|e| step_error(&step, &e))?;
        report
            .mappings
            .push(MappingLine::new(m, &run, began.elapsed(), errors));
        // Per-record errors (duplicates in the seed) are reported, not fatal; a run that
        // could not finish is.
        if matches!(run.status, RunStatus::Failed | RunStatus::Cancelled) {
            let e = EngineError::new(ErrorCode::Unavailable, run.message.clone());
            return Err(step_error(&step, &e));
        }
    }

    let step = "post the summary to Slack and Zapier";
    report.step = step.to_owned();
    report.notifications = Some(
        notify(engine, report)
            .await
            .map_err(|e| step_error(step, &e))?,
    );

    let step = "read the health figures";
    report.step = step.to_owned();
    engine.flush_metrics().await;
    let health = engine
        .health_summary(HEALTH_WINDOW_SECS)
        .await
        .map_err(|e| step_error(step, &e))?;
    report.health = Some(HealthLine::from(&health));
    Ok(())
}

/// Accounts before the people who belong to them, leads, then deals; one-way before
/// two-way within each, so two-way runs see what the one-way ones created.
fn run_order(target_object: &str, direction: SyncDirection) -> (u8, u8) {
    let object = match target_object {
        "Account" => 0,
        "Contact" => 1,
        "Lead" => 2,
        "Opportunity" => 3,
        _ => 4,
    };
    (object, u8::from(direction == SyncDirection::TwoWay))
}

async fn connection_lines(engine: &Engine) -> Result<Vec<ConnectionLine>, EngineError> {
    let rows = switchyard_engine::store::tables::connections::list(engine.store().pool()).await?;
    Ok(rows.into_iter().map(ConnectionLine::from).collect())
}

/// Points the notification settings at the sandbox Slack workspace's first channel the
/// bot belongs to and at the Zapier hook, then posts one summary of every run.
async fn notify(engine: &Engine, report: &DemoReport) -> Result<Notifications, EngineError> {
    let pick = |p: ProviderId| {
        report
            .connections
            .iter()
            .find(|c| c.provider == p)
            .map(|c| c.id.clone())
    };
    let channel = bot_channel(engine).await?;
    engine
        .set_notification_settings(
            switchyard_engine::api::notifications::NotificationSettings {
                desktop: false,
                slack_connection_id: pick(ProviderId::Slack),
                slack_channel: Some(channel),
                zapier_connection_id: pick(ProviderId::Zapier),
            },
        )
        .await?;
    let totals = report.sum();
    let text = format!(
        "Switchyard demo · {} mappings: read {}, created {}, updated {}, unchanged {}, failed {}, {} API calls",
        report.mappings.len(),
        totals.read,
        totals.created,
        totals.updated,
        totals.skipped,
        totals.failed,
        totals.calls
    );
    let payload = serde_json::json!({
        "type": "switchyard.demo",
        "text": text,
        "totals": totals,
        "mappings": report.mappings,
    });
    let deliveries = engine.notify(&text, &payload).await;
    let find = |name: &str| {
        deliveries
            .iter()
            .find(|d| d.channel == name)
            .map(Posted::from)
            .unwrap_or_else(|| Posted::missing(name))
    };
    let out = Notifications {
        slack: find("Slack"),
        zapier: find("Zapier"),
    };
    for p in [&out.slack, &out.zapier] {
        if !p.ok {
            return Err(EngineError::new(ErrorCode::Unavailable, p.detail.clone()));
        }
    }
    Ok(out)
}

/// The sandbox Slack workspace's first open channel the bot is a member of, as a person
/// would pick it in Settings (read from the simulator's own control API).
async fn bot_channel(engine: &Engine) -> Result<String, EngineError> {
    let unavailable = |e: String| EngineError::new(ErrorCode::Unavailable, e);
    let base = engine.sandbox_base_url(ProviderId::Slack).await?;
    let dump: serde_json::Value = reqwest::get(format!("{base}/__sandbox/dump"))
        .await
        .map_err(|e| unavailable(e.to_string()))?
        .json()
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    let bot = dump["bot_user_id"].as_str().unwrap_or_default();
    dump["channels"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| {
            c["is_archived"] != true
                && c["members"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|u| u == bot))
        })
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            unavailable("the sandbox Slack workspace has no channel the bot is in".into())
        })
}

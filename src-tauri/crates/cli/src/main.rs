//! `switchyard-cli`: the engine without a window, on the same SQLite file as the app.

mod bench;
mod demo;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use switchyard_engine::{Engine, EngineConfig, EngineError};

#[derive(Parser, Debug)]
#[command(
    name = "switchyard-cli",
    version,
    about = "Switchyard's sync engine without a window"
)]
struct Cli {
    /// Data folder (default: SWITCHYARD_DATA_DIR, else the app's data folder).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Where the data lives, the schema version and what is stored.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Connect one sandbox account per provider (the in-process sandbox, or the one
    /// SWITCHYARD_SANDBOX_URLS names) and print the connections and mappings as JSON.
    ConnectSandbox {
        /// Also create the default mappings between them.
        #[arg(long)]
        default_mappings: bool,
    },
    /// Run a mapping once (by id or name) and print what happened.
    Sync {
        /// The mapping's id or exact name.
        mapping: String,
        /// Plan only: read and compare, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read everything instead of the changes since the last run.
        #[arg(long)]
        full: bool,
        /// Print the run report as JSON.
        #[arg(long)]
        json: bool,
        /// Stop at the first checkpoint after this many API calls.
        #[arg(long)]
        budget: Option<u32>,
        /// Stop at a checkpoint when an account's daily API headroom falls below this percentage.
        #[arg(long)]
        min_headroom: Option<f64>,
    },
    /// Serve the provider sandbox on 127.0.0.1 until interrupted; prints one JSON
    /// document with each provider's base URL, client credentials and a ready token.
    Sandbox {
        /// Records per main object.
        #[arg(long, default_value_t = 200)]
        records: usize,
        /// Seed of the generated data (same seed, same data).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Latency added to every API response, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Seed only these objects, comma-separated `provider/object` pairs or whole
        /// providers (`hubspot/contacts,quickbooks`); default: every object.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Run the benchmark scenarios against the in-process sandbox and print how close the
    /// engine comes to the fewest calls and the shortest time the providers allow.
    Bench(bench::BenchArgs),
    /// Start the sandbox, connect all five providers, create the default mappings, run
    /// them, post a summary to Slack and Zapier and print what happened with the health
    /// figures. Uses a temporary data folder unless --data-dir is given.
    Demo {
        /// Records per main object in the sandbox.
        #[arg(long, default_value_t = 200)]
        records: usize,
        /// Seed of the generated data (same seed, same data).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Print one JSON document instead of tables.
        #[arg(long)]
        json: bool,
        /// Keep the temporary data folder (its path is printed).
        #[arg(long)]
        keep: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _logs = switchyard_engine::logging::init(None);
    // The command runs as a task on the runtime's workers, not on this thread: `main`
    // only blocks on it. A sync run's future then shares a worker with the HTTP
    // connections' tasks it wakes, instead of each answer crossing threads (B4 at 20k:
    // 26-35 % faster, measured in alternation).
    let result = match tokio::spawn(dispatch(cli)).await {
        Ok(result) => result,
        Err(e) => {
            eprintln!("error [internal]: the command stopped: {e}");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error [{}]: {}", e.code.as_str(), e.message);
            ExitCode::FAILURE
        }
    }
}

/// Runs one command.
async fn dispatch(cli: Cli) -> Result<(), EngineError> {
    match cli.command {
        Command::Status { json } => status(cli.data_dir, json).await,
        Command::ConnectSandbox { default_mappings } => {
            connect_sandbox(cli.data_dir, default_mappings).await
        }
        Command::Sync {
            mapping,
            dry_run,
            full,
            json,
            budget,
            min_headroom,
        } => {
            let limits = (budget, min_headroom);
            sync(cli.data_dir, &mapping, dry_run, full, json, limits).await
        }
        Command::Sandbox {
            records,
            seed,
            latency_ms,
            only,
        } => sandbox(records, seed, latency_ms, only).await,
        Command::Bench(args) => bench::run(args).await,
        Command::Demo {
            records,
            seed,
            json,
            keep,
        } => {
            let data_dir = cli.data_dir;
            demo::run(demo::DemoArgs {
                records,
                seed,
                json,
                keep,
                data_dir,
            })
            .await
        }
    }
}

async fn open(data_dir: Option<PathBuf>) -> Result<Engine, EngineError> {
    let config = match data_dir {
        Some(dir) => EngineConfig {
            data_dir: dir,
            ..EngineConfig::new(PathBuf::new(), None)?
        },
        None => {
            let dir = switchyard_engine::store::default_data_dir().ok_or_else(|| {
                EngineError::validation(
                    "no data folder: pass --data-dir or set SWITCHYARD_DATA_DIR",
                )
            })?;
            EngineConfig::new(dir, None)?
        }
    };
    Engine::open(config).await
}

#[derive(serde::Serialize)]
struct StatusReport {
    database: String,
    schema_version: i64,
    key_source: switchyard_engine::store::KeySource,
    connections: usize,
    mappings: usize,
    runs_shown: usize,
}

#[allow(clippy::print_stdout)]
async fn status(data_dir: Option<PathBuf>, json: bool) -> Result<(), EngineError> {
    let engine = open(data_dir).await?;
    let info = engine.app_info();
    let report = StatusReport {
        database: info.database_path,
        schema_version: info.schema_version,
        key_source: info.key_source,
        connections: engine.list_connections().await?.len(),
        mappings: engine.list_mappings().await?.len(),
        runs_shown: engine.list_runs(500).await?.len(),
    };
    engine.shutdown().await;
    if json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| EngineError::new(switchyard_engine::ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
    } else {
        println!("database     {}", report.database);
        println!("schema       {}", report.schema_version);
        println!("key kept in  {:?}", report.key_source);
        println!("connections  {}", report.connections);
        println!("mappings     {}", report.mappings);
        println!("runs         {}", report.runs_shown);
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
async fn sandbox(
    records: usize,
    seed: u64,
    latency_ms: u64,
    only: Vec<String>,
) -> Result<(), EngineError> {
    use switchyard_sandbox::{Latency, SandboxConfig, SeedScope, SeedSpec};
    let unavailable = |e: String| EngineError::new(switchyard_engine::ErrorCode::Unavailable, e);
    let config = SandboxConfig {
        seed: SeedSpec { seed, records },
        latency: Latency {
            fixed_ms: latency_ms,
            jitter_ms: 0,
        },
        seed_scope: SeedScope::only(only.iter().map(|o| o.trim()).filter(|o| !o.is_empty())),
        ..Default::default()
    };
    let sandbox = switchyard_sandbox::Sandbox::start(config)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    // Credentials and a ready token come from each simulator's own control API, the
    // same way a test script would fetch them.
    let http = reqwest::Client::new();
    let mut providers = serde_json::Map::new();
    for slot in sandbox.slots() {
        let get = |path: &'static str| {
            http.get(format!("{}/__sandbox/{path}", slot.base_url))
                .send()
        };
        let credentials: serde_json::Value = get("credentials")
            .await
            .map_err(|e| unavailable(e.to_string()))?
            .json()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let token: serde_json::Value = http
            .post(format!("{}/__sandbox/token", slot.base_url))
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?
            .json()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        providers.insert(slot.provider.to_owned(), serde_json::json!({ "base_url": slot.base_url, "credentials": credentials, "token": token }));
    }
    let doc = serde_json::json!({ "seed": seed, "records": records, "latency_ms": latency_ms, "providers": providers });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    Ok(())
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
async fn sync(
    data_dir: Option<PathBuf>,
    mapping: &str,
    dry_run: bool,
    full: bool,
    json: bool,
    (call_budget, min_headroom_pct): (Option<u32>, Option<f64>),
) -> Result<(), EngineError> {
    use switchyard_engine::sync::{Progress, RunOptions};
    let engine = open(data_dir).await?;
    engine.resume_sandbox_accounts().await?;
    let all = engine.list_mappings().await?;
    let id = all
        .iter()
        .find(|m| m.id == mapping || m.name == mapping)
        .map(|m| m.id.clone())
        .ok_or_else(|| {
            EngineError::new(
                switchyard_engine::ErrorCode::NotFound,
                format!("no mapping has the id or name {mapping:?}"),
            )
        })?;
    let options = RunOptions {
        dry_run,
        full,
        trigger: Some(switchyard_engine::store::kinds::RunTrigger::Cli),
        call_budget,
        min_headroom_pct,
        ..Default::default()
    };
    let show = move |p: Progress| {
        if let (
            false,
            Progress::Page {
                read,
                created,
                updated,
                skipped,
                failed,
                calls,
                records_per_sec,
            },
        ) = (json, &p)
        {
            eprintln!("read {read}  created {created}  updated {updated}  unchanged {skipped}  failed {failed}  calls {calls}  {records_per_sec:.0} records/s");
        }
    };
    let report = engine.run_mapping(&id, options, &show).await;
    engine.shutdown().await;
    let report = report?;
    if json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| EngineError::new(switchyard_engine::ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
    } else {
        println!("{}: {}", report.status, report.message);
    }
    if report.status == switchyard_engine::store::kinds::RunStatus::Failed {
        return Err(EngineError::new(
            switchyard_engine::ErrorCode::Unavailable,
            report.message,
        ));
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
async fn connect_sandbox(
    data_dir: Option<PathBuf>,
    default_mappings: bool,
) -> Result<(), EngineError> {
    let engine = open(data_dir).await?;
    let connections = engine.connect_sandbox_accounts().await?;
    let mappings = if default_mappings {
        engine.create_default_mappings().await?
    } else {
        engine.list_mappings().await?
    };
    engine.shutdown().await;
    let doc = serde_json::json!({ "connections": connections, "mappings": mappings });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    Ok(())
}

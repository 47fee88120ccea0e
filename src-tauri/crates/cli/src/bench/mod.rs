//! `switchyard-cli bench`: runs the benchmark scenarios of issue 8 against the in-process
//! sandbox and reports, for each, the calls made against the fewest the providers' page
//! and batch sizes allow, the wall time against the shortest the rate limits allow, and
//! whether the scenario's target is met. Targets are reported, never asserted: numbers
//! depend on the machine, and only a `--release` build's numbers mean anything.

pub mod app_launch;
pub mod desktop;
mod env;
pub mod hubspot_salesforce;
mod isolated;
mod launches;
mod machine;
pub mod procs;
pub mod quickbooks_salesforce;
pub mod report;
pub mod row;
pub mod scale;
mod scaling;
mod scenario;
pub mod two_way;

pub use scenario::{progress, Scenario, Settings};
use std::path::PathBuf;
use switchyard_engine::{EngineError, ErrorCode};

/// The command `./dev bench` runs; written into docs/benchmarks.md.
pub const REGENERATE: &str = "./dev bench";

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Scenarios to run, comma-separated (default: every one built so far).
    #[arg(long, value_delimiter = ',')]
    scenario: Vec<String>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    json: bool,
    /// Records per scenario instead of each scenario's own size (for quick checks; the
    /// published numbers use the defaults).
    #[arg(long)]
    records: Option<usize>,
    /// Seed of the sandbox's generated data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write the report as Markdown to this file (docs/benchmarks.md).
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// B7: the desktop app binary (default: SWITCHYARD_BIN, else `switchyard` beside
    /// this binary).
    #[arg(long)]
    app_bin: Option<PathBuf>,
    /// B7: how many times to launch the app.
    #[arg(long, default_value_t = desktop::DEFAULT_LAUNCHES)]
    launches: usize,
}

/// Scenarios of issue 8 not offered yet, listed as such in docs/benchmarks.md (none left).
pub const NOT_BUILT: [(&str, &str); 0] = [];

fn parse(names: &[String]) -> Result<Vec<Scenario>, EngineError> {
    if names.is_empty() {
        return Ok(Scenario::BUILT.to_vec());
    }
    let mut out = Vec::new();
    for name in names {
        let name = name.trim();
        let s = Scenario::BUILT
            .iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let built: Vec<&str> = Scenario::BUILT.iter().map(|s| s.as_str()).collect();
                EngineError::validation(format!(
                    "no benchmark scenario {name:?}; built so far: {}",
                    built.join(", ")
                ))
            })?;
        if !out.contains(s) {
            out.push(*s);
        }
    }
    out.sort();
    Ok(out)
}

pub fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

/// Runs the chosen scenarios and returns the report document.
pub async fn measure(
    scenarios: &[Scenario],
    settings: &Settings,
) -> Result<report::Document, EngineError> {
    let mut rows = Vec::new();
    let hs_sf: Vec<Scenario> = scenarios
        .iter()
        .copied()
        .filter(|s| matches!(s, Scenario::B1 | Scenario::B2 | Scenario::B3))
        .collect();
    if !hs_sf.is_empty() {
        rows.extend(hubspot_salesforce::run(settings, &hs_sf).await?);
    }
    if scenarios.contains(&Scenario::B4) {
        rows.extend(isolated::run(settings).await?);
    }
    if scenarios.contains(&Scenario::B5) {
        rows.extend(two_way::run(settings).await?);
    }
    if scenarios.contains(&Scenario::B6) {
        rows.extend(quickbooks_salesforce::run(settings).await?);
    }
    if scenarios.contains(&Scenario::B7) {
        let bin = desktop::app_binary(settings.app_bin.as_deref())?;
        let launches = settings.launches.max(1);
        let b7 = tokio::task::spawn_blocking(move || desktop::run(&bin, launches, desktop::IDLE));
        rows.extend(b7.await.map_err(desktop::join_error)??);
    }
    Ok(report::Document {
        build_profile: build_profile(),
        date_utc: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        commit: machine::git_commit(),
        command_line: std::iter::once("switchyard-cli".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        machine: machine::describe(),
        seed: settings.seed,
        process_peak_rss_mb: machine::peak_rss_mb(),
        rows,
    })
}

#[allow(clippy::print_stdout)]
pub async fn run(args: BenchArgs) -> Result<(), EngineError> {
    let scenarios = parse(&args.scenario)?;
    let settings = Settings {
        records: args.records,
        seed: args.seed,
        app_bin: args.app_bin,
        launches: args.launches,
    };
    let doc = measure(&scenarios, &settings).await?;
    if args.json {
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| EngineError::new(ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", report::table(&doc.rows));
        println!("build profile: {}", doc.build_profile);
    }
    if let Some(path) = args.markdown {
        let md = report::markdown(&doc, REGENERATE, &NOT_BUILT);
        std::fs::write(&path, md).map_err(|e| {
            EngineError::new(
                ErrorCode::Internal,
                format!("could not write {}: {e}", path.display()),
            )
        })?;
        progress(&format!("wrote {}", path.display()));
    }
    Ok(())
}

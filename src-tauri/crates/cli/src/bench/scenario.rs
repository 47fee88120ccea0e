//! What every scenario shares: which one it is, the settings the command line gave,
//! and the progress line it prints. The scenarios use it; `mod.rs` runs them.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario {
    B1,
    B2,
    B3,
    B4,
    B5,
    B6,
    B7,
}

impl Scenario {
    /// Built scenarios, in the order they run.
    pub const BUILT: [Scenario; 7] = [
        Scenario::B1,
        Scenario::B2,
        Scenario::B3,
        Scenario::B4,
        Scenario::B5,
        Scenario::B6,
        Scenario::B7,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::B1 => "B1",
            Scenario::B2 => "B2",
            Scenario::B3 => "B3",
            Scenario::B4 => "B4",
            Scenario::B5 => "B5",
            Scenario::B6 => "B6",
            Scenario::B7 => "B7",
        }
    }
}

pub struct Settings {
    pub records: Option<usize>,
    pub seed: u64,
    /// B7's app binary, as given (`--app-bin`); see [`super::desktop::app_binary`].
    pub app_bin: Option<PathBuf>,
    pub launches: usize,
}

/// A line on stderr, so `--json` output stays one document on stdout.
#[allow(clippy::print_stderr)]
pub fn progress(line: &str) {
    eprintln!("bench: {line}");
}

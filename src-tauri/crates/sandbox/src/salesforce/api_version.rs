//! The API versions this org serves (`vNN.0`, 20.0 through 68.0) and the version a
//! request was made under, which the gate hands to handlers for the URLs they print. A
//! path under any other version is a 404 NOT_FOUND.

/// What handlers learn from the gate.
#[derive(Debug, Clone)]
pub struct Api {
    /// `"66.0"`, for URLs in responses.
    pub version: String,
}

impl Api {
    /// The major version number (`66` for `"66.0"`).
    pub fn major(&self) -> u32 {
        self.version
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0)
    }
}

pub const MIN: u32 = 20;
pub const MAX: u32 = 68;

/// `"66.0"` from a path segment `v66.0`, if it is a served version.
pub fn parse(segment: &str) -> Option<String> {
    let number = segment.strip_prefix('v')?.strip_suffix(".0")?;
    let major: u32 = number.parse().ok().filter(|n| (MIN..=MAX).contains(n))?;
    (number == major.to_string()).then(|| format!("{major}.0"))
}

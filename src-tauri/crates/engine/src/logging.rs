//! Logging for every shell: `tracing` to stderr and to a daily rolling file, both through
//! a writer that redacts secrets. Redaction works on the formatted line, so it also
//! catches a token that slipped into an error message or a URL: authorization headers,
//! bearer tokens, OAuth parameters (`access_token`, `refresh_token`, `client_secret`,
//! `code`, ...), provider token shapes (Slack `xox*-`, HubSpot `pat-`, Salesforce
//! session ids, Zapier hook paths) and any value registered with [`register_secret`].

use regex::{Captures, Regex};
use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::{LazyLock, RwLock};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

pub const REDACTED: &str = "<redacted>";
const DEFAULT_FILTER: &str = "info,sqlx=warn,tao=warn,wry=warn";
const LOG_FILES_KEPT: usize = 14;

struct Rule {
    re: Regex,
    keep_groups: usize,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |pattern: &str, keep_groups| Rule {
        re: Regex::new(pattern).expect("redaction pattern compiles"),
        keep_groups,
    };
    vec![
        // Authorization: Bearer abc / "authorization": "Basic abc"
        rule(
            r#"(?i)(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',}]+"#,
            1,
        ),
        rule(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=!\-]+", 1),
        // key=value, "key": "value", key: value for secret-bearing names
        rule(
            r#"(?i)(\b(?:access_token|refresh_token|id_token|client_secret|code_verifier|password|api_key|apikey|secret|token)["']?\s*[:=]\s*["']?)[^\s"'&,}]+"#,
            1,
        ),
        // OAuth authorization codes in redirect URLs
        rule(r"([?&]code=)[^&\s#]+", 1),
        // Provider token shapes
        rule(r"\b(xox[abposer]-)[A-Za-z0-9\-]+", 1),
        rule(r"\b(pat-[a-z0-9]{2,4}-)[0-9a-fA-F\-]{8,}", 1),
        rule(r"\b(00D[A-Za-z0-9]{12,15}!)[A-Za-z0-9._]+", 1),
        rule(r#"(hooks\.zapier\.com/hooks/catch/)[^\s"']+"#, 1),
    ]
});

static REGISTERED: LazyLock<RwLock<BTreeSet<String>>> = LazyLock::new(Default::default);

/// Marks a value as secret: from now on it is redacted wherever it appears in a log line.
/// Values shorter than 6 characters are ignored (they would mask ordinary words).
pub fn register_secret(value: &str) {
    if value.len() < 6 {
        return;
    }
    match REGISTERED.write() {
        Ok(mut set) => {
            set.insert(value.to_owned());
        }
        Err(poisoned) => {
            poisoned.into_inner().insert(value.to_owned());
        }
    }
}

/// Redacts one formatted log line (or any text).
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    if let Ok(set) = REGISTERED.read() {
        for secret in set.iter().rev() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
    }
    for rule in RULES.iter() {
        if rule.re.is_match(&out) {
            out = rule
                .re
                .replace_all(&out, |c: &Captures<'_>| {
                    let kept: String = (1..=rule.keep_groups)
                        .filter_map(|i| c.get(i))
                        .map(|m| m.as_str())
                        .collect();
                    format!("{kept}{REDACTED}")
                })
                .into_owned();
        }
    }
    out
}

/// A `MakeWriter` that redacts every line before it reaches the inner writer.
#[derive(Debug, Clone)]
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

#[derive(Debug)]
pub struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The fmt layer hands over one whole formatted event per call.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Keeps the background file writer alive; drop it last (it flushes on drop).
#[derive(Debug)]
pub struct LogGuard {
    _file: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Installs the global subscriber: stderr, plus `<log_dir>/switchyard.<date>.log` when
/// given. `RUST_LOG` overrides the default filter. Safe to call more than once (later
/// calls keep the first subscriber).
pub fn init(log_dir: Option<&Path>) -> LogGuard {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stderr = tracing_subscriber::fmt::layer()
        .with_ansi(io::stderr().is_terminal())
        .with_writer(Redacting(io::stderr))
        .with_target(false);
    let (file_layer, guard, file_error) = match log_dir.map(file_writer) {
        Some(Ok((writer, guard))) => {
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(Redacting(writer));
            (Some(layer), Some(guard), None)
        }
        Some(Err(e)) => (None, None, Some(e)),
        None => (None, None, None),
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(file_layer)
        .try_init()
        .is_ok();
    if let Some(e) = file_error {
        tracing::warn!("logging to stderr only: cannot open the log folder: {e}");
    }
    if installed {
        tracing::debug!("logging initialised");
    }
    LogGuard { _file: guard }
}

fn file_writer(
    dir: &Path,
) -> Result<
    (
        tracing_appender::non_blocking::NonBlocking,
        tracing_appender::non_blocking::WorkerGuard,
    ),
    String,
> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("switchyard")
        .filename_suffix("log")
        .max_log_files(LOG_FILES_KEPT)
        .build(dir)
        .map_err(|e| e.to_string())?;
    Ok(tracing_appender::non_blocking(appender))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_headers_params_and_token_shapes() {
        let cases = [
            (
                "Authorization: Bearer abc.def-ghi",
                "Authorization: <redacted>",
            ),
            (
                r#"headers={"authorization": "Bearer zzz"}"#,
                r#"headers={"authorization": "<redacted>"}"#,
            ),
            (
                "sending bearer eyJhbGciOi.x.y now",
                "sending bearer <redacted> now",
            ),
            (
                "grant_type=refresh_token&refresh_token=5Aep861&client_secret=shh",
                "grant_type=refresh_token&refresh_token=<redacted>&client_secret=<redacted>",
            ),
            (
                r#"{"access_token":"00Dxx!AQ4AQ","instance_url":"https://x"}"#,
                r#"{"access_token":"<redacted>","instance_url":"https://x"}"#,
            ),
            (
                "GET /cb?code=aPrx4sgoM2&state=s1",
                "GET /cb?code=<redacted>&state=s1",
            ),
            (
                "slack said xoxb-123-456-abcDEF",
                "slack said xoxb-<redacted>",
            ),
            (
                "hubspot pat-na1-11111111-2222-3333",
                "hubspot pat-na1-<redacted>",
            ),
            (
                "sid 00D5e000000abcd!AQcAQH0dMHZfz used",
                "sid 00D5e000000abcd!<redacted> used",
            ),
            (
                "post https://hooks.zapier.com/hooks/catch/123/abc/ ok",
                "post https://hooks.zapier.com/hooks/catch/<redacted> ok",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "input: {input}");
        }
    }

    #[test]
    fn leaves_ordinary_lines_alone() {
        let line = "run 42 finished: 200 read, 3 failed (error code 429), latency 120 ms";
        assert_eq!(redact(line), line);
    }

    #[test]
    fn registered_secrets_are_redacted_anywhere() {
        register_secret("s3cr3t-value-registered");
        register_secret("abc"); // too short to register
        assert_eq!(
            redact("x=s3cr3t-value-registered/y abc"),
            "x=<redacted>/y abc"
        );
    }

    #[test]
    fn the_writer_redacts_what_it_forwards() {
        let mut out = Vec::new();
        {
            let mut w = RedactingWriter(&mut out);
            w.write_all(b"Authorization: Basic dXNlcjpwYXNz\n")
                .unwrap_or_default();
        }
        assert_eq!(String::from_utf8_lossy(&out), "Authorization: <redacted>\n");
    }
}

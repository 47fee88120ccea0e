//! Health data and run logs as CSV or JSON files: one row per connection and bucket for
//! the charts' data, one row per run for the timeline, one row per failed record for a
//! run. Times are ISO 8601 UTC in CSV and epoch milliseconds in JSON. Text cells that a
//! spreadsheet would run as a formula are quoted ([`super::csv_cell`]); numbers are not.

use super::csv_cell::text_cell;
use super::series::HealthRange;
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    fn ext(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// A file to save: its suggested name and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub file_name: String,
    pub content: String,
    pub rows: usize,
}

/// One connection in one bucket.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricRow<'a> {
    at: i64,
    connection_id: &'a str,
    connection: &'a str,
    provider: &'a str,
    requests: i64,
    ok: i64,
    client_errors: i64,
    rate_limited: i64,
    server_errors: i64,
    timeouts: i64,
    retries: i64,
    cache_hits: i64,
    cache_misses: i64,
    success_rate: Option<f64>,
    p50_ms: Option<i64>,
    p95_ms: Option<i64>,
    p99_ms: Option<i64>,
    quota_used: Option<f64>,
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

fn failed(e: impl std::fmt::Display) -> EngineError {
    EngineError::new(ErrorCode::Internal, format!("export failed: {e}"))
}

/// The CSV header of each row type, for files without rows (a test keeps each equal to
/// the type's own field names).
const METRIC_COLUMNS: &[&str] = &[
    "at",
    "connectionId",
    "connection",
    "provider",
    "requests",
    "ok",
    "clientErrors",
    "rateLimited",
    "serverErrors",
    "timeouts",
    "retries",
    "cacheHits",
    "cacheMisses",
    "successRate",
    "p50Ms",
    "p95Ms",
    "p99Ms",
    "quotaUsed",
];
const RUN_COLUMNS: &[&str] = &[
    "runId",
    "mappingId",
    "mappingName",
    "status",
    "trigger",
    "startedAt",
    "finishedAt",
    "recordsRead",
    "recordsFailed",
    "message",
];
const RUN_ERROR_COLUMNS: &[&str] = &[
    "id",
    "side",
    "recordId",
    "code",
    "message",
    "payload",
    "status",
    "createdAt",
];

/// Rows as CSV (header from the field names, or `columns` when there are no rows;
/// `at`-like fields as ISO times) or JSON.
fn render<T: Serialize>(
    format: ExportFormat,
    rows: &[T],
    columns: &[&str],
    time_fields: &[&str],
) -> EngineResult<String> {
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(rows).map_err(failed),
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header: Option<Vec<String>> = None;
            for row in rows {
                let serde_json::Value::Object(map) = serde_json::to_value(row).map_err(failed)?
                else {
                    return Err(failed("a row is not a record"));
                };
                if header.is_none() {
                    let names = field_order(row)?;
                    w.write_record(&names).map_err(failed)?;
                    header = Some(names);
                }
                let cells = header.iter().flatten().map(|k| match map.get(k) {
                    Some(serde_json::Value::Number(n)) if time_fields.contains(&k.as_str()) => {
                        n.as_i64().map(iso).unwrap_or_default()
                    }
                    Some(serde_json::Value::String(s)) => text_cell(s).into_owned(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(v) => v.to_string(),
                });
                w.write_record(cells).map_err(failed)?;
            }
            if header.is_none() {
                w.write_record(columns).map_err(failed)?;
            }
            String::from_utf8(w.into_inner().map_err(failed)?).map_err(failed)
        }
    }
}

/// The row type's field names in declaration order (JSON objects come back sorted), as
/// the csv crate writes them in its own header.
fn field_order<T: Serialize>(row: &T) -> EngineResult<Vec<String>> {
    let mut probe = csv::Writer::from_writer(Vec::new());
    probe.serialize(row).map_err(failed)?;
    let bytes = probe.into_inner().map_err(failed)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    Ok(reader
        .headers()
        .map_err(failed)?
        .iter()
        .map(str::to_owned)
        .collect())
}

fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string()
}

impl Engine {
    /// The charts' data over `range`: one row per connection and bucket with traffic.
    pub async fn export_health(
        &self,
        range: HealthRange,
        format: ExportFormat,
    ) -> EngineResult<ExportFile> {
        let s = self.health_series(range, None).await?;
        let mut rows = Vec::new();
        for c in &s.connections {
            for (i, t) in s.times.iter().enumerate() {
                if c.requests[i] == 0 && c.cache_hits[i] == 0 {
                    continue;
                }
                rows.push(MetricRow {
                    at: t * 1000,
                    connection_id: &c.connection_id,
                    connection: &c.label,
                    provider: c.provider.as_str(),
                    requests: c.requests[i],
                    ok: c.ok[i],
                    client_errors: c.client_errors[i],
                    rate_limited: c.rate_limited[i],
                    server_errors: c.server_errors[i],
                    timeouts: c.timeouts[i],
                    retries: c.retries[i],
                    cache_hits: c.cache_hits[i],
                    cache_misses: c.cache_misses[i],
                    success_rate: c.success_rate[i],
                    p50_ms: c.p50_ms[i],
                    p95_ms: c.p95_ms[i],
                    p99_ms: c.p99_ms[i],
                    quota_used: c.limit_used[i],
                });
            }
        }
        rows.sort_by_key(|r| r.at);
        Ok(ExportFile {
            file_name: format!(
                "switchyard-health-{}-{}.{}",
                range.label(),
                stamp(),
                format.ext()
            ),
            content: render(format, &rows, METRIC_COLUMNS, &["at"])?,
            rows: rows.len(),
        })
    }

    /// The runs started in `range`, one row each.
    pub async fn export_runs(
        &self,
        range: HealthRange,
        format: ExportFormat,
    ) -> EngineResult<ExportFile> {
        let rows = self.health_timeline(range).await?;
        Ok(ExportFile {
            file_name: format!(
                "switchyard-runs-{}-{}.{}",
                range.label(),
                stamp(),
                format.ext()
            ),
            content: render(format, &rows, RUN_COLUMNS, &["startedAt", "finishedAt"])?,
            rows: rows.len(),
        })
    }

    /// One run's log: its summary (JSON) or its failed records, one row each (CSV and
    /// JSON).
    pub async fn export_run(&self, run_id: &str, format: ExportFormat) -> EngineResult<ExportFile> {
        let detail = self.get_run(run_id).await?;
        let content = match format {
            ExportFormat::Json => serde_json::to_string_pretty(&detail).map_err(failed)?,
            ExportFormat::Csv => render(format, &detail.errors, RUN_ERROR_COLUMNS, &["createdAt"])?,
        };
        Ok(ExportFile {
            file_name: format!("switchyard-run-{}.{}", run_id, format.ext()),
            content,
            rows: detail.errors.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct R {
        rate: Option<f64>,
        at: i64,
        name: &'static str,
    }

    #[test]
    fn csv_quotes_text_formats_times_and_leaves_missing_values_empty() {
        let rows = [
            R {
                rate: Some(0.5),
                at: 1_700_000_000_000,
                name: "Acme, \"Inc\"",
            },
            R {
                at: 0,
                name: "Zoë",
                rate: None,
            },
        ];
        let csv = render(ExportFormat::Csv, &rows, &[], &["at"]).unwrap();
        assert_eq!(
            csv,
            "rate,at,name\n0.5,2023-11-14T22:13:20.000Z,\"Acme, \"\"Inc\"\"\"\n,1970-01-01T00:00:00.000Z,Zoë\n"
        );
        let json = render(ExportFormat::Json, &rows, &[], &["at"]).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["at"], 1_700_000_000_000_i64);
        assert_eq!(back[1]["rate"], serde_json::Value::Null);
    }

    #[derive(Serialize)]
    struct Cells {
        amount: f64,
        count: i64,
        name: &'static str,
        note: &'static str,
    }

    #[test]
    fn csv_text_that_would_be_a_formula_is_quoted_but_numbers_stay_numbers() {
        let rows = [
            Cells {
                amount: -5.0,
                count: -5,
                name: "=HYPERLINK(\"https://evil.example\",\"x\")",
                note: "-5",
            },
            Cells {
                amount: 1.5,
                count: 2,
                name: "@SUM(A1)",
                note: "\tcmd",
            },
        ];
        let csv = render(ExportFormat::Csv, &rows, &[], &[]).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let cells: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            cells,
            [
                [
                    "-5.0",
                    "-5",
                    "'=HYPERLINK(\"https://evil.example\",\"x\")",
                    "'-5"
                ],
                ["1.5", "2", "'@SUM(A1)", "'\tcmd"],
            ]
        );
        let json = render(ExportFormat::Json, &rows, &[], &[]).unwrap();
        assert!(
            json.contains(r#""name": "@SUM(A1)""#),
            "JSON keeps the text: {json}"
        );
    }

    #[test]
    fn empty_files_still_have_their_header_and_it_matches_each_row_type() {
        use crate::api::health::TimelineRun;
        use crate::api::run_detail::RecordErrorView;
        use switchyard_store::kinds::{ProviderId, RunErrorStatus, RunStatus, RunTrigger, Side};
        let none: [RecordErrorView; 0] = [];
        assert_eq!(
            render(ExportFormat::Csv, &none, RUN_ERROR_COLUMNS, &[]).unwrap(),
            "id,side,recordId,code,message,payload,status,createdAt\n"
        );
        let metric = MetricRow {
            at: 0,
            connection_id: "c",
            connection: "C",
            provider: ProviderId::Hubspot.as_str(),
            requests: 0,
            ok: 0,
            client_errors: 0,
            rate_limited: 0,
            server_errors: 0,
            timeouts: 0,
            retries: 0,
            cache_hits: 0,
            cache_misses: 0,
            success_rate: None,
            p50_ms: None,
            p95_ms: None,
            p99_ms: None,
            quota_used: None,
        };
        assert_eq!(field_order(&metric).unwrap(), METRIC_COLUMNS);
        let run = TimelineRun {
            run_id: "r".into(),
            mapping_id: "m".into(),
            mapping_name: "M".into(),
            status: RunStatus::Succeeded,
            trigger: RunTrigger::Manual,
            started_at: 0,
            finished_at: None,
            records_read: 0,
            records_failed: 0,
            message: None,
        };
        assert_eq!(field_order(&run).unwrap(), RUN_COLUMNS);
        let error = RecordErrorView {
            id: 1,
            side: Side::Target,
            record_id: None,
            code: "x".into(),
            message: "y".into(),
            payload: None,
            status: RunErrorStatus::Open,
            created_at: 0,
        };
        assert_eq!(field_order(&error).unwrap(), RUN_ERROR_COLUMNS);
    }
}

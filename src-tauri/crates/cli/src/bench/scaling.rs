//! B4's scaling table for docs/benchmarks.md: the same run at each size, with the wall
//! time per record split into the CPU the engine's process and the sandbox's process
//! spent per record, and how much the wall cost per record grew from the smallest size to
//! the largest (the target is flat: within `scale::TARGET_FLATNESS`).

use super::row::Row;
use super::scale;

/// Rows of scenario B4 that ran in processes of their own (they carry CPU times).
fn b4_rows(rows: &[Row]) -> Vec<&Row> {
    let mut b4: Vec<&Row> = rows
        .iter()
        .filter(|r| r.scenario == "B4" && r.records > 0)
        .collect();
    b4.sort_by_key(|r| r.records);
    b4
}

fn per_record_us(seconds: f64, records: u64) -> f64 {
    seconds * 1e6 / records as f64
}

fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.decimals$}"))
}

/// How much the wall time per record grew from the smallest size to the largest, as a
/// fraction (0.1 = 10 % more per record); `None` with fewer than two sizes.
pub fn growth(rows: &[Row]) -> Option<f64> {
    let b4 = b4_rows(rows);
    let (first, last) = (b4.first()?, b4.last()?);
    if b4.len() < 2 || first.wall_s <= 0.0 {
        return None;
    }
    let cost = |r: &Row| per_record_us(r.wall_s, r.records);
    Some(cost(last) / cost(first) - 1.0)
}

/// The "Scaling" section, or `None` when no B4 row was measured.
pub fn section(rows: &[Row]) -> Option<String> {
    let b4 = b4_rows(rows);
    if b4.is_empty() {
        return None;
    }
    let mut md = String::from("## Scaling (B4)\n\n");
    md.push_str("The same B4 run at each size, each against a fresh sandbox process. Wall µs per record is the run's wall time over the records read; the CPU columns are the CPU time (every thread) that the engine's process and the sandbox's process spent on the run, per record. On 2 cores the two processes overlap, so their sum can exceed the wall time.\n\n");
    md.push_str("| records | records/s | wall µs/record | engine CPU µs/record | sandbox CPU µs/record | engine peak RSS (MB) | sandbox peak RSS (MB) | sandbox bytes/record |\n|---|---|---|---|---|---|---|---|\n");
    for r in &b4 {
        let sandbox_bytes = r
            .sandbox_peak_rss_mb
            .map(|mb| mb * 1024.0 * 1024.0 / r.records as f64);
        md.push_str(&format!(
            "| {} | {:.0} | {:.1} | {} | {} | {} | {} | {} |\n",
            r.records,
            r.records_per_s,
            per_record_us(r.wall_s, r.records),
            cell(r.engine_cpu_s.map(|s| per_record_us(s, r.records)), 1),
            cell(r.sandbox_cpu_s.map(|s| per_record_us(s, r.records)), 1),
            cell(r.peak_rss_mb, 1),
            cell(r.sandbox_peak_rss_mb, 1),
            cell(sandbox_bytes, 0),
        ));
    }
    md.push('\n');
    if let Some(g) = growth(rows) {
        let flat = g <= scale::TARGET_FLATNESS;
        md.push_str(&format!(
            "Wall cost per record from {} to {} records: {:+.0} % (target: within {:.0} %) — {}.\n\n",
            b4[0].records,
            b4[b4.len() - 1].records,
            g * 100.0,
            scale::TARGET_FLATNESS * 100.0,
            if flat { "met" } else { "not met" }
        ));
    }
    md.push_str("Where the time goes, from perf profiles of these runs: docs/profile-b4.md.\n\n");
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(records: u64, wall_s: f64) -> Row {
        Row {
            scenario: "B4".into(),
            records,
            wall_s,
            records_per_s: records as f64 / wall_s,
            engine_cpu_s: Some(wall_s),
            ..Row::default()
        }
    }

    #[test]
    fn growth_compares_the_smallest_and_largest_size() {
        let rows = [row(200_000, 24.0), row(20_000, 2.0), row(1_000_000, 100.0)];
        // 100 µs/record at 20k, 100 µs at 1M: flat; 120 µs at 200k does not count.
        assert_eq!(growth(&rows), Some(0.0));
        let rows = [row(20_000, 2.0), row(1_000_000, 150.0)];
        let g = growth(&rows).unwrap_or_default();
        assert!((g - 0.5).abs() < 1e-9, "{g}");
        assert_eq!(growth(&rows[..1]), None);
    }

    #[test]
    fn the_section_lists_each_size_and_says_whether_it_is_flat() {
        let rows = [row(20_000, 1.0), row(1_000_000, 100.0)];
        let md = section(&rows).unwrap_or_default();
        assert!(md.contains("| 20000 | 20000 | 50.0 | 50.0 | — |"), "{md}");
        assert!(
            md.contains("+100 % (target: within 20 %) — not met"),
            "{md}"
        );
        assert_eq!(section(&[]), None);
    }
}

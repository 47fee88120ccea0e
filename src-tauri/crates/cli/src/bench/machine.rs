//! The machine a benchmark ran on, read from /proc and uname (Linux; elsewhere the
//! fields say "unknown"), and the peak resident set size of this process.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub ram: String,
    pub os: String,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The value of `key:` in a /proc file of `key: value` lines.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_owned())
    })
}

fn command(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

pub fn describe() -> Machine {
    let unknown = || "unknown".to_owned();
    let cpu = field(&read("/proc/cpuinfo"), "model name").unwrap_or_else(unknown);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram = field(&read("/proc/meminfo"), "MemTotal")
        .and_then(|v| v.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(unknown, |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0));
    let distro = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned());
    let kernel = command("uname", &["-srm"]);
    let os = match (distro, kernel) {
        (Some(d), Some(k)) => format!("{d} ({k})"),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => std::env::consts::OS.to_owned(),
    };
    Machine {
        cpu,
        cores,
        ram,
        os,
    }
}

/// The commit of the working tree the command runs in, `+dirty` when it has changes.
pub fn git_commit() -> String {
    let Some(head) = command("git", &["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".to_owned();
    };
    let dirty = command("git", &["status", "--porcelain", "--untracked-files=no"]).is_some();
    if dirty {
        format!("{head}+dirty")
    } else {
        head
    }
}

/// Peak resident set size of this whole process (VmHWM), in MB; `None` off Linux.
pub fn peak_rss_mb() -> Option<f64> {
    vm_hwm_mb(&read("/proc/self/status"))
}

/// CPU time (user + system, every thread) a process has used so far, in seconds:
/// `pid` is a number or `self`. `None` off Linux or when the process is gone.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    cpu_seconds_of(
        &read(&format!("/proc/{pid}/stat")),
        rustix::param::clock_ticks_per_second(),
    )
}

/// utime + stime of a /proc `stat` line, in seconds at `ticks` per second. The command
/// name (field 2, in parentheses) may hold spaces, so fields are counted after its `)`:
/// utime and stime are fields 14 and 15, the 12th and 13th after it.
fn cpu_seconds_of(stat: &str, ticks: u64) -> Option<f64> {
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    (ticks > 0).then(|| (utime + stime) as f64 / ticks as f64)
}

/// VmHWM of a /proc `status` text, in MB.
pub fn vm_hwm_mb(status: &str) -> Option<f64> {
    field(status, "VmHWM")
        .and_then(|v| v.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_read_after_the_command_name() {
        // A command name with spaces and parentheses; utime 250, stime 50 ticks.
        let stat = "4242 (bench (x) y) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 4 0 100 200";
        assert_eq!(cpu_seconds_of(stat, 100), Some(3.0));
        assert_eq!(cpu_seconds_of("garbage", 100), None);
    }

    #[test]
    fn this_process_has_used_some_cpu() {
        let spent = cpu_seconds("self");
        if cfg!(target_os = "linux") {
            assert!(spent.is_some_and(|s| s >= 0.0), "{spent:?}");
        }
    }
}

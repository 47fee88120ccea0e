//! A process's memory and CPU time from `/proc/<pid>/status` and `/proc/<pid>/stat`.

use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux).
const TICKS: u64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct Proc(pub u32);

/// A `kB` field of a `/proc/<pid>/status` file, in bytes.
pub fn status_bytes(pid: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| {
            rest.trim_start_matches(':')
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .map_or(0, |kb: u64| kb * 1024)
}

impl Proc {
    pub fn rss(&self) -> u64 {
        status_bytes(&self.0.to_string(), "VmRSS")
    }

    pub fn hwm(&self) -> u64 {
        status_bytes(&self.0.to_string(), "VmHWM")
    }

    /// User plus system CPU time of every thread of the process so far.
    pub fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.0)).unwrap_or_default();
        // Fields after the command name (which may hold spaces) start at ") ".
        let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let tick = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        Duration::from_millis((tick(11) + tick(12)) * 1000 / TICKS)
    }
}

//! A process and its descendants, read from /proc (Linux): who they are and how much memory
//! each holds, and a way to stop them all.

use serde::Serialize;
use std::collections::HashMap;

/// One process's memory, in MB.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ProcessMemory {
    pub pid: u32,
    /// The kernel's short name (`comm`, at most 15 characters: `WebKitWebProces`).
    pub name: String,
    /// Resident set size (VmRSS): shared pages count in every process that maps them.
    pub rss_mb: f64,
    /// Proportional set size: shared pages split between the processes sharing them, so
    /// the sum over processes does not count them twice. `None` when unreadable.
    pub pss_mb: Option<f64>,
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The value in kB of `key:` in a /proc file of `key: value kB` lines, in MB.
fn kb_field_mb(text: &str, key: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        if k.trim() != key {
            return None;
        }
        let kb: f64 = v.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb / 1024.0)
    })
}

/// The parent pid in a /proc/<pid>/stat line (after the parenthesised name, which may
/// itself hold spaces and parentheses).
fn parent_of(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// Every live pid and its parent.
fn parents() -> HashMap<u32, u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return HashMap::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, parent_of(&read(&format!("/proc/{pid}/stat"))?)?)))
        .collect()
}

/// `root` and all its descendants, root first, then in the order they were found.
pub fn tree(root: u32) -> Vec<u32> {
    let parents = parents();
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        let mut children: Vec<u32> = parents
            .iter()
            .filter(|(_, p)| **p == parent)
            .map(|(c, _)| *c)
            .collect();
        children.sort_unstable();
        out.extend(children);
        i += 1;
    }
    out
}

/// The memory of one live process; `None` once it has gone.
pub fn memory(pid: u32) -> Option<ProcessMemory> {
    let status = read(&format!("/proc/{pid}/status"))?;
    let name = read(&format!("/proc/{pid}/comm"))?.trim().to_owned();
    let pss_mb = read(&format!("/proc/{pid}/smaps_rollup")).and_then(|t| kb_field_mb(&t, "Pss"));
    Some(ProcessMemory {
        pid,
        name,
        rss_mb: kb_field_mb(&status, "VmRSS")?,
        pss_mb,
    })
}

/// The memory of `root` and each of its descendants.
pub fn tree_memory(root: u32) -> Vec<ProcessMemory> {
    tree(root).into_iter().filter_map(memory).collect()
}

/// Sends `signal` to each listed process still running under the same name (a pid can
/// be reused once its process is gone).
pub fn signal_each(procs: &[(u32, String)], signal: rustix::process::Signal) {
    for (pid, name) in procs {
        let same = read(&format!("/proc/{pid}/comm")).is_some_and(|n| n.trim() == name);
        if let (true, Some(p)) = (
            same,
            i32::try_from(*pid)
                .ok()
                .and_then(rustix::process::Pid::from_raw),
        ) {
            let _ = rustix::process::kill_process(p, signal);
        }
    }
}

/// The pids and names of `root`'s tree, for [`signal_each`].
pub fn named_tree(root: u32) -> Vec<(u32, String)> {
    tree(root)
        .into_iter()
        .filter_map(|pid| Some((pid, read(&format!("/proc/{pid}/comm"))?.trim().to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_is_read_past_a_name_with_spaces_and_parentheses() {
        let stat = "4242 (Web (Content) x) S 4100 4242 4100 0 -1 4194560 1 0";
        assert_eq!(parent_of(stat), Some(4100));
        assert_eq!(parent_of("garbage"), None);
    }

    #[test]
    fn kb_fields_become_mb() {
        let status = "Name:\tapp\nVmHWM:\t  4096 kB\nVmRSS:\t  2048 kB\n";
        assert_eq!(kb_field_mb(status, "VmRSS"), Some(2.0));
        assert_eq!(kb_field_mb(status, "Pss"), None);
    }

    #[test]
    fn a_spawned_grandchild_is_found_with_its_memory() {
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & wait"])
            .spawn()
            .expect("spawn sh");
        let root = child.id();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut found = Vec::new();
        while std::time::Instant::now() < deadline {
            found = tree_memory(root);
            if found.iter().any(|p| p.name == "sleep") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let named = named_tree(root);
        signal_each(&named, rustix::process::Signal::KILL);
        let _ = child.wait();
        assert_eq!(found.first().map(|p| p.pid), Some(root), "{found:?}");
        let sleep = found.iter().find(|p| p.name == "sleep");
        assert!(sleep.is_some_and(|p| p.rss_mb > 0.0), "{found:?}");
        assert!(
            found.iter().all(|p| p.pss_mb.is_some_and(|m| m > 0.0)),
            "{found:?}"
        );
    }
}

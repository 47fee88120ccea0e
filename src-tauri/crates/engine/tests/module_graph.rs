//! The files of one folder depend on each other one way only. For each folder below,
//! every file's references to its siblings (`use super::x`, `super::x::…`,
//! `crate::sync::x`, `self::…` inside `mod.rs`, `use crate::{sync::x, …}` trees, and
//! through the names `mod.rs` re-exports) make a graph; a circle in it fails the test
//! with its path. `mod.rs` is the folder's index: it may name every child, and a child
//! naming an item defined in `mod.rs` itself is an arrow back to it. Files of
//! `engine/src/sync` must also stay under 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// File (module) → the sibling modules it refers to.
type Graph = BTreeMap<String, BTreeSet<String>>;

const MAX_SYNC_LINES: usize = 400;

/// The folders checked, with their module path from the crate root.
fn folders() -> Vec<(PathBuf, Vec<&'static str>)> {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crates = engine.join("..");
    vec![
        (engine.join("src/sync"), vec!["sync"]),
        (engine.join("src/webhooks"), vec!["webhooks"]),
        (
            engine.join("src/webhooks/payloads"),
            vec!["webhooks", "payloads"],
        ),
        (crates.join("connectors/src/auth"), vec!["auth"]),
        (crates.join("cli/src/bench"), vec!["bench"]),
    ]
}

/// Identifiers, `::` and the other characters of the code one by one, leaving out
/// comments (block comments are not nested here), strings and character literals.
fn tokens(src: &str) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let ident = |i: usize| {
        c.get(i)
            .is_some_and(|ch| ch.is_alphanumeric() || *ch == '_')
    };
    // The index just after the next `pat` at or after `from` (the end if there is none).
    let after = |from: usize, pat: &str| {
        let pat: Vec<char> = pat.chars().collect();
        (from..c.len())
            .find(|&j| c[j..].starts_with(&pat))
            .map_or(c.len(), |j| j + pat.len())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let rest = &c[i..];
        let hashes = rest.iter().skip(1).take_while(|ch| **ch == '#').count();
        if rest.starts_with(&['/', '/']) {
            i = after(i, "\n");
        } else if rest.starts_with(&['/', '*']) {
            i = after(i + 2, "*/");
        } else if c[i] == 'r' && c.get(i + 1 + hashes) == Some(&'"') {
            // A raw string, r"…" or r#"…"# (at the start of a token: identifiers are
            // read whole below).
            i = after(i + 2 + hashes, &format!("\"{}", "#".repeat(hashes)));
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c[i] == '\'' && c.get(i + 1) == Some(&'\\') {
            i = after(i + 3, "'");
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            i += 3;
        } else if ident(i) {
            let start = i;
            while ident(i) {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else if rest.starts_with(&[':', ':']) {
            out.push("::".to_owned());
            i += 2;
        } else {
            if !c[i].is_whitespace() {
                out.push(c[i].to_string());
            }
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars().all(|c| c.is_alphanumeric() || c == '_') && !t.is_empty()
}

/// Expands the path at `t[i]` (with `{…}` groups) onto `prefix`; returns the index after.
fn expand(t: &[String], mut i: usize, mut path: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    loop {
        match t.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while let Some(tok) = t.get(i).map(String::as_str) {
                    match tok {
                        "}" => return i + 1,
                        "," => i += 1,
                        _ => i = expand(t, i, path.clone(), out),
                    }
                }
                return i;
            }
            Some("*") => return i + 1,
            Some(tok) if is_ident(tok) && tok != "as" => {
                path.push(tok.to_owned());
                i += 1;
            }
            _ => break,
        }
        if t.get(i).map(String::as_str) != Some("::") {
            break;
        }
        i += 1;
    }
    if t.get(i).map(String::as_str) == Some("as") {
        // `as alias`: the item goes by the alias here (`as _`: by no name).
        if let (Some(alias), Some(last)) = (t.get(i + 1), path.last_mut()) {
            if alias != "_" && last != "self" {
                *last = alias.clone();
            }
        }
        i += 2;
    }
    out.push(path);
    i
}

/// The absolute module paths one file refers to, and the re-exports of a `mod.rs`
/// (name → child). `module` is the file's path from the crate root; `children` are
/// the names a `mod.rs` may use bare.
fn references(
    src: &str,
    module: &[String],
    children: &BTreeSet<String>,
) -> (Vec<Vec<String>>, BTreeMap<String, String>) {
    let t = tokens(src);
    let mut out = Vec::new();
    let mut reexports = BTreeMap::new();
    // Inline modules (`mod tests { … }`): their name, and the brace depth they close at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < t.len() {
        let tok = t[i].as_str();
        let after_colons = i > 0 && t[i - 1] == "::";
        if tok == "mod" && t.get(i + 2).map(String::as_str) == Some("{") {
            inline.push((t[i + 1].clone(), depth));
            i += 2;
            continue;
        }
        if tok == "{" {
            depth += 1;
        } else if tok == "}" {
            depth -= 1;
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
        }
        let here: Vec<String> = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(n, _)| n.clone()))
            .collect();
        let bare_child = children.contains(tok) && t.get(i + 1).map(String::as_str) == Some("::");
        let in_use = i > 0 && t[i - 1] == "use";
        if after_colons || !(matches!(tok, "crate" | "super" | "self") || bare_child) {
            i += 1;
            continue;
        }
        let mut paths = Vec::new();
        i = expand(&t, i, Vec::new(), &mut paths);
        for p in paths {
            let resolved = resolve(&p, &here);
            if in_use
                && resolved.len() == module.len() + 2
                && children.contains(&resolved[module.len()])
            {
                // `use child::Item` in a `mod.rs`: `super::Item` from a child means `child`.
                reexports.insert(
                    resolved[module.len() + 1].clone(),
                    resolved[module.len()].clone(),
                );
            }
            out.push(resolved);
        }
    }
    (out, reexports)
}

/// A path made absolute from the module `here`.
fn resolve(path: &[String], here: &[String]) -> Vec<String> {
    let from_root = path.first().map(String::as_str) == Some("crate");
    let mut abs: Vec<String> = if from_root { Vec::new() } else { here.to_vec() };
    let skip = usize::from(from_root);
    for seg in &path[skip..] {
        match seg.as_str() {
            "super" => {
                abs.pop();
            }
            "self" => {}
            _ => abs.push(seg.clone()),
        }
    }
    abs
}

/// The graph of one folder whose module path is `module`.
fn folder_graph(dir: &Path, module: &[&str]) -> Graph {
    let module: Vec<String> = module.iter().map(|s| (*s).to_owned()).collect();
    let mut files = BTreeMap::new();
    let mut siblings = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a folder entry").path();
        let name = path
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            siblings.insert(name);
        } else if path.extension().is_some_and(|e| e == "rs") {
            siblings.insert(name.clone());
            files.insert(name, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
    siblings.remove("mod");
    let (_, reexports) = references(&files["mod"], &module, &siblings);
    graph_of(&files, &module, &siblings, &reexports)
}

fn graph_of(
    files: &BTreeMap<String, String>,
    module: &[String],
    siblings: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> Graph {
    let mut graph = Graph::new();
    for (name, src) in files {
        let (here, children) = if name == "mod" {
            (module.to_vec(), siblings.clone())
        } else {
            let mut m = module.to_vec();
            m.push(name.clone());
            (m, BTreeSet::new())
        };
        let edges = graph.entry(name.clone()).or_default();
        for p in references(src, &here, &children).0 {
            if p.len() <= module.len() || p[..module.len()] != *module {
                continue;
            }
            let first = &p[module.len()];
            let to = if siblings.contains(first) {
                first.clone()
            } else {
                reexports
                    .get(first)
                    .cloned()
                    .unwrap_or_else(|| "mod".to_owned())
            };
            if to != *name {
                edges.insert(to);
            }
        }
    }
    graph
}

/// A circle in `graph` as its path (`a → b → a`), if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(n.to_owned());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_owned());
        for next in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_folder_has_a_circle() {
    let mut circles = Vec::new();
    for (dir, module) in folders() {
        let graph = folder_graph(&dir, &module);
        assert!(
            graph.len() > 2,
            "{} holds too few files: {graph:?}",
            dir.display()
        );
        if let Some(cycle) = find_cycle(&graph) {
            circles.push(format!("{}: {}", dir.display(), cycle.join(" → ")));
        }
    }
    assert!(
        circles.is_empty(),
        "modules in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn every_sync_file_is_under_400_lines() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sync");
    let mut long = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let lines = std::fs::read_to_string(&path).map_or(0, |s| s.lines().count());
        if lines >= MAX_SYNC_LINES {
            long.push(format!("{} has {lines} lines", path.display()));
        }
    }
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_circle_and_passes_a_dag() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
            g.entry((*b).to_owned()).or_default();
        }
        g
    };
    let dag = graph(&[("run", "pages"), ("run", "context"), ("pages", "context")]);
    assert_eq!(find_cycle(&dag), None);
    let circle = graph(&[
        ("run", "pages"),
        ("pages", "write"),
        ("write", "run"),
        ("run", "context"),
    ]);
    assert_eq!(
        find_cycle(&circle).map(|c| c.join(" → ")),
        Some("pages → write → run → pages".to_owned())
    );
}

#[test]
fn references_come_from_use_trees_paths_and_re_exports_not_comments() {
    let module = vec!["sync".to_owned()];
    let siblings: BTreeSet<String> = ["a", "b", "c", "d", "e", "r"].map(String::from).into();
    let files: BTreeMap<String, String> = [
        ("mod", "mod a; pub use r::{Report as R, Progress};"),
        (
            "a",
            r#"//! see super::e
            use super::{b, c::{self as cc, C}};
            use crate::{sync::d::D, mapping::M};
            fn f<'x>(s: &'x str) -> char { let _ = "super::e"; super::super::sync::Progress; '}' }
            #[cfg(test)] mod tests { use super::*; use super::super::e::E; }"#,
        ),
        ("b", "pub(super) fn g() { crate::sync::a::f(); }"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into();
    let (_, reexports) = references(&files["mod"], &module, &siblings);
    assert_eq!(reexports.get("Progress").map(String::as_str), Some("r"));
    assert_eq!(
        reexports.get("R").map(String::as_str),
        Some("r"),
        "{reexports:?}"
    );
    let g = graph_of(&files, &module, &siblings, &reexports);
    let of = |n: &str| g[n].iter().map(String::as_str).collect::<Vec<_>>();
    assert_eq!(of("a"), ["b", "c", "d", "e", "r"]);
    assert_eq!(of("mod"), ["r"]);
    assert_eq!(
        find_cycle(&g).map(|c| c.join(" → ")),
        Some("a → b → a".to_owned())
    );
}

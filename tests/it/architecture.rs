//! The shape of `src/`: every module sits in one stage's folder, uses only its own stage and
//! the stages before it, and no two modules import each other, directly or around a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in the order the data flows; a module may use its own stage and earlier ones.
const STAGES: [&str; 9] = [
    "console", "domain", "load", "check", "render", "output", "pipeline", "serve", "cli",
];

/// A module's path from the crate root (`load::config`), for every `.rs` file under `src/`.
fn modules() -> BTreeMap<String, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("under src/");
        let mut parts: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        let name = parts.join("::");
        if name == "lib" || name == "main" {
            continue;
        }
        out.insert(name, path.to_path_buf());
    }
    out
}

/// The source a module compiles outside tests: its text up to a `#[cfg(test)]` module, and
/// nothing for files that only hold tests.
fn non_test_source(name: &str, path: &Path) -> String {
    let last = name.rsplit("::").next().unwrap_or(name);
    if last.starts_with("tests") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("a source file");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The modules `name` refers to: each `crate::a::b…` path (and `super::…`) cut at the longest
/// known module, with use-trees `crate::{a::b, c::{d, e}}` expanded.
fn uses(name: &str, source: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let parent = name.rsplit_once("::").map_or("", |(p, _)| p);
    let mut out = BTreeSet::new();
    let bytes = source.as_bytes();
    for (anchor, prefix) in [("crate::", ""), ("super::", parent)] {
        let mut from = 0;
        while let Some(at) = source[from..].find(anchor) {
            let start = from + at;
            from = start + anchor.len();
            let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
                continue;
            }
            for path in expand(&source[from..]) {
                let full = if prefix.is_empty() {
                    path
                } else {
                    format!("{prefix}::{path}")
                };
                let mut best = None;
                let mut sofar = String::new();
                for seg in full.split("::") {
                    sofar = if sofar.is_empty() {
                        seg.to_string()
                    } else {
                        format!("{sofar}::{seg}")
                    };
                    if known.contains_key(&sofar) {
                        best = Some(sofar.clone());
                    }
                }
                if let Some(m) = best.filter(|m| m != name) {
                    out.insert(m);
                }
            }
        }
    }
    // A module reaches its own children by `child::…` or `self::child::…`.
    let prefix = format!("{name}::");
    for child in known.keys().filter_map(|k| k.strip_prefix(&prefix)) {
        if child.contains("::") {
            continue;
        }
        let needle = format!("{child}::");
        let mut from = 0;
        while let Some(at) = source[from..].find(&needle) {
            let start = from + at;
            from = start + needle.len();
            let before = source[..start].chars().next_back();
            let bare = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'));
            if bare || source[..start].ends_with("self::") {
                out.insert(format!("{name}::{child}"));
                break;
            }
        }
    }
    out
}

/// The paths a use-tree at the start of `text` names: `a::b::{c, d::{e}}` gives `a::b::c`
/// and `a::b::d::e`; a plain path `a::b::f(…)` gives `a::b::f`.
fn expand(text: &str) -> Vec<String> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let end = text.find(|c: char| !ident(c)).unwrap_or(text.len());
    let (path, tail) = text.split_at(end);
    let path = path.trim_end_matches(':');
    if !tail.starts_with('{') {
        return vec![path.to_string()];
    }
    let mut depth = 0;
    let mut items = Vec::new();
    let mut item_start = 1;
    for (i, c) in tail.char_indices() {
        match c {
            '{' => depth += 1,
            '}' | ',' if depth == 1 => {
                items.push(&tail[item_start..i]);
                item_start = i + 1;
                if c == '}' {
                    break;
                }
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            if item == "self" {
                return vec![path.to_string()];
            }
            expand(item)
                .into_iter()
                .map(|sub| {
                    if path.is_empty() {
                        sub
                    } else {
                        format!("{path}::{sub}")
                    }
                })
                .collect()
        })
        .collect()
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    known
        .iter()
        .map(|(name, path)| {
            (
                name.clone(),
                uses(name, &non_test_source(name, path), &known),
            )
        })
        .collect()
}

fn stage(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    STAGES.iter().position(|s| *s == top)
}

#[test]
fn every_module_sits_in_a_stage() {
    let lost: Vec<String> = modules()
        .into_keys()
        .filter(|m| stage(m).is_none())
        .collect();
    assert!(
        lost.is_empty(),
        "modules outside the stage folders {STAGES:?}: {lost:?}"
    );
}

#[test]
fn stages_use_only_themselves_and_earlier_stages() {
    let mut backwards = Vec::new();
    for (from, tos) in graph() {
        for to in tos {
            if stage(&to) > stage(&from) {
                backwards.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(
        backwards.is_empty(),
        "imports pointing to a later stage:\n{}",
        backwards.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other_even_around_a_loop() {
    let graph = graph();
    // Depth-first search for a back edge; report the loop it closes.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        loops: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            loops.push(cycle.join(" -> "));
            return;
        }
        if !done.insert(node) {
            return;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done, loops);
        }
        path.pop();
    }
    let mut loops = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut loops);
    }
    assert!(loops.is_empty(), "import cycles:\n{}", loops.join("\n"));
}

#[test]
fn the_checker_sees_imports_it_must_see() {
    // The checks above are only as good as the parsing; pin it on known shapes.
    let known: BTreeMap<String, PathBuf> = ["load", "load::config", "domain::diag", "render"]
        .into_iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    let source = "use crate::load::config::{self, Config};\nuse crate::{domain::diag::Diagnostic, render};\nfn f() { super::config::parse(); crate::render::go() }";
    let found = uses("load::walk", source, &known);
    // A mod.rs reaches its children by bare or `self::` paths.
    let parent = uses(
        "load",
        "use self::config::Config;\nfn f() { config::parse() }",
        &known,
    );
    assert_eq!(parent, BTreeSet::from(["load::config".to_string()]));
    // A mod.rs reaches its children by bare or `self::` paths.
    let parent = uses(
        "load",
        "use self::config::Config;\nfn f() { config::parse() }",
        &known,
    );
    assert_eq!(parent, BTreeSet::from(["load::config".to_string()]));
    let want: BTreeSet<String> = ["load::config", "domain::diag", "render"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, want);
    assert!(stage("serve::http") > stage("render::markdown"));
}

#[test]
fn the_readme_map_names_every_stage_folder_and_module() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let map = readme
        .split("## How it is built")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has a \"How it is built\" section");
    let missing: Vec<String> = modules()
        .into_keys()
        .filter(|m| !m.rsplit("::").next().unwrap_or(m).starts_with("tests"))
        .map(|m| {
            let path = m.replace("::", "/");
            match modules()
                .get(&m)
                .and_then(|p| p.file_name())
                .and_then(|f| f.to_str())
            {
                Some("mod.rs") => format!("{path}/"),
                _ => format!("{path}.rs"),
            }
        })
        .filter(|p| !map.contains(&format!("`{p}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README's map does not name: {missing:?}"
    );
    // And names nothing src/ does not have (paths outside src/ start with their folder).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let stale: Vec<&str> = map
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            STAGES
                .iter()
                .any(|s| name.starts_with(&format!("{s}/")) || *name == format!("{s}.rs"))
        })
        .filter(|name| !src.join(name).exists())
        .collect();
    assert!(
        stale.is_empty(),
        "README's map names what src/ does not have: {stale:?}"
    );
}

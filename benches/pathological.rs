//! Build time on inputs that are large in one direction: many equal headings in one
//! file, many task items, a huge release gate, many eval runs, many people.
//!
//! ```text
//! cargo bench --bench pathological
//! ```
//!
//! Each case generates a small site twice in a temporary folder, at size N and 2N, and
//! times `rollbook build` of each (a fresh process, writing to disk, best of a few runs).
//! It prints both times and their ratio: about 2 when the build is linear in the input,
//! about 4 when it is quadratic. The fixed cost of a build (start-up, the theme, the
//! site's other pages) pulls the ratio below 2 when N is small.
//!
//! Environment:
//! - `ROLLBOOK_BENCH_BIN`: the binary to time (default: the one cargo builds for the bench),
//!   e.g. an older release to compare with
//! - `ROLLBOOK_BENCH_CASES`: comma-separated case names to run (default: all)
//! - `ROLLBOOK_BENCH_SCALE`: factor applied to every N (default 1)
//! - `ROLLBOOK_BENCH_RUNS`: builds per size, the best is kept (default 3)
//! - `ROLLBOOK_BENCH_TIMEOUT`: seconds before a build is stopped and reported as too slow
//!   (default 300)
//! - `ROLLBOOK_BENCH_KEEP`: a folder to write the generated sites into and keep, to
//!   profile a build by hand

// Test and bench code may panic on what it set up itself, and its helpers are `pub` to
// its own modules; the crate's lints against both are for the library.
#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-26";
const SITE_TOML: &str =
    "title = \"Example Co rollout packs\"\nbase_url = \"https://example.github.io/packs\"\n";

/// A case: its name, its default N, what N counts, and how to write a site of size N.
struct Case {
    name: &'static str,
    n: usize,
    unit: &'static str,
    generate: fn(&Path, usize) -> std::io::Result<()>,
}

const CASES: [Case; 8] = [
    Case {
        name: "equal-headings",
        n: 25_000,
        unit: "equal headings in one file",
        generate: equal_headings,
    },
    Case {
        name: "heading-links",
        n: 20_000,
        unit: "headings, each linked from its page and from another page",
        generate: heading_links,
    },
    Case {
        name: "tasks",
        n: 50_000,
        unit: "task items across one pack's ten files",
        generate: tasks,
    },
    Case {
        name: "release-gate",
        n: 15_000,
        unit: "[[release_gate]] tables; 3 runs report every metric",
        generate: release_gate,
    },
    Case {
        name: "inline-gate",
        n: 15_000,
        unit: "release_gate entries on one line",
        generate: inline_gate,
    },
    Case {
        name: "eval-runs",
        n: 20_000,
        unit: "eval runs, each of its own model",
        generate: eval_runs,
    },
    Case {
        name: "people",
        n: 10_000,
        unit: "paging entries: one person's contacts and look-alike names",
        generate: people,
    },
    Case {
        name: "asset-links",
        n: 4_000,
        unit: "files in a pack, each linked from one page",
        generate: asset_links,
    },
];

fn pack(root: &Path) -> std::io::Result<PathBuf> {
    fs::write(root.join("site.toml"), SITE_TOML)?;
    let dir = root.join("content").join("big");
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn eval_set(dir: &Path) -> std::io::Result<()> {
    let cases: String = (0..20)
        .map(|i| format!("{{\"id\": \"c-{i:02}\", \"input\": \"question {i}\"}}\n"))
        .collect();
    fs::write(dir.join("cases.jsonl"), cases)
}

fn equal_headings(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    let mut md = String::from("+++\ntitle = \"Steps\"\n+++\n");
    for _ in 0..n {
        md.push_str("## Step\n\nDo the next thing.\n\n");
    }
    fs::write(dir.join("steps.md"), md)
}

fn heading_links(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    let (mut here, mut there) = (String::new(), String::new());
    for i in 0..n {
        let _ = write!(here, "## Step {i}\n\nBack to [this step](#step-{i}).\n\n");
        let _ = writeln!(there, "- [step {i}](@/big/steps.md#step-{i})");
    }
    fs::write(dir.join("steps.md"), here)?;
    fs::write(dir.join("index-of-steps.md"), there)
}

fn tasks(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    let files = [
        "workflow",
        "accountability",
        "data",
        "evaluation",
        "operability",
        "incident",
        "rollout",
        "models",
        "rhythm",
        "launch-tasks",
    ];
    for (f, stem) in files.iter().enumerate() {
        let mut md = String::from("Open items:\n\n");
        for i in (f..n).step_by(files.len()) {
            let done = if i % 3 == 0 { "x" } else { " " };
            let _ = writeln!(md, "- [{done}] check item {i}");
        }
        fs::write(dir.join(format!("{stem}.md")), md)?;
    }
    Ok(())
}

/// Three runs reporting every gated metric and half as many others.
fn wide_results(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut results = String::new();
    for (day, model) in [(10, "a/small"), (11, "a/small"), (12, "a/large")] {
        let metrics: Vec<String> = (0..n + n / 2)
            .map(|i| format!("\"m{i}\": 0.{}", (i * 7 + day) % 100))
            .collect();
        let _ = writeln!(
            results,
            "{{\"date\": \"2026-11-{day}\", \"model\": \"{model}\", \"cost\": 0.{day}, \"metrics\": {{{}}}}}",
            metrics.join(", ")
        );
    }
    fs::write(dir.join("results.jsonl"), results)
}

fn release_gate(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    eval_set(&dir)?;
    wide_results(&dir, n)?;
    let mut md = String::from(
        "+++\neval_set = \"cases.jsonl\"\nresults = \"results.jsonl\"\nacceptance_criteria = [\"every metric holds\"]\n",
    );
    for i in 0..n {
        let bound = match i % 3 {
            0 => "min = 0.2",
            1 => "max = 0.9",
            _ => "max_drop = 0.5",
        };
        let _ = write!(md, "\n[[release_gate]]\nmetric = \"m{i}\"\n{bound}\n");
    }
    md.push_str("+++\nThe gate.\n");
    fs::write(dir.join("evaluation.md"), md)
}

fn inline_gate(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    eval_set(&dir)?;
    wide_results(&dir, n)?;
    let entries: Vec<String> = (0..n)
        .map(|i| format!("{{ metric = \"m{i}\", min = 0.{} }}", i % 3))
        .collect();
    let md = format!(
        "+++\neval_set = \"cases.jsonl\"\nresults = \"results.jsonl\"\nrelease_gate = [{}]\n+++\n",
        entries.join(", ")
    );
    fs::write(dir.join("evaluation.md"), md)
}

fn eval_runs(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    eval_set(&dir)?;
    let mut results = String::new();
    for i in 0..n {
        let _ = writeln!(
            results,
            "{{\"date\": \"2026-{:02}-{:02}\", \"version\": \"v{i}\", \"model\": \"vendor/model-{i}\", \"cost\": {}.{:02}, \"metrics\": {{\"accuracy\": 0.{:02}, \"leaks\": 0.0{}}}}}",
            1 + i % 12,
            1 + i % 28,
            i % 50,
            i % 97,
            i % 100,
            i % 10
        );
    }
    fs::write(dir.join("results.jsonl"), results)?;
    let md = "+++\neval_set = \"cases.jsonl\"\nresults = \"results.jsonl\"\nrelease_gate = [\n  { metric = \"accuracy\", min = 0.5 },\n  { metric = \"leaks\", max = 0.05, max_drop = 0.01 },\n]\n+++\n";
    fs::write(dir.join("evaluation.md"), md)
}

fn people(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    let mut paging = Vec::new();
    for i in 0..n {
        if i % 2 == 0 {
            // One person reachable many ways.
            paging.push(format!("\"Dana Ortiz <dana.{i}@example.com>\""));
        } else {
            // Different people whose names give the same id.
            let marks: String = format!("{i:b}")
                .chars()
                .map(|c| if c == '1' { '!' } else { '?' })
                .collect();
            paging.push(format!("\"Sam {marks} <sam.{i}@example.com>\""));
        }
    }
    let md = format!(
        "+++\npaging = [\n  {},\n]\nreview_owner = \"Dana Ortiz <dana.0@example.com>\"\n+++\n",
        paging.join(",\n  ")
    );
    fs::write(dir.join("incident.md"), md)
}

fn asset_links(root: &Path, n: usize) -> std::io::Result<()> {
    let dir = pack(root)?;
    let files = dir.join("files");
    fs::create_dir_all(&files)?;
    let mut md = String::new();
    for i in 0..n {
        fs::write(files.join(format!("f{i}.txt")), format!("file {i}\n"))?;
        let _ = writeln!(md, "- [file {i}](files/f{i}.txt)");
    }
    fs::write(dir.join("files.md"), md)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={v} is not understood; using the default");
            default
        }),
        Err(_) => default,
    }
}

/// One build's wall time, or `None` when it ran past `timeout`.
fn build(bin: &Path, root: &Path, timeout: Duration) -> Result<Option<f64>, String> {
    let out = root.join("public");
    let start = Instant::now();
    let mut child = Command::new(bin)
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "build", "-o"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            if !status.success() {
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut s, &mut err);
                }
                let tail: String = err.lines().take(8).collect::<Vec<_>>().join("\n");
                return Err(format!(
                    "build of {} failed: {status}\n{tail}",
                    root.display()
                ));
            }
            return Ok(Some(elapsed));
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(1));
    }
}

fn main() {
    let bin = std::env::var_os("ROLLBOOK_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rollbook")));
    let only: Option<Vec<String>> = std::env::var("ROLLBOOK_BENCH_CASES")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let scale: f64 = env_or("ROLLBOOK_BENCH_SCALE", 1.0);
    let runs: usize = env_or("ROLLBOOK_BENCH_RUNS", 3).max(1);
    let timeout = Duration::from_secs(env_or("ROLLBOOK_BENCH_TIMEOUT", 300));
    let keep = std::env::var_os("ROLLBOOK_BENCH_KEEP").map(PathBuf::from);
    println!(
        "binary {}; best of {runs} builds per size; ratio = t(2N) / t(N), about 2 when linear",
        bin.display()
    );
    println!(
        "{:<15} {:>8} {:>11} {:>11} {:>6}  N counts",
        "case", "N", "t(N) ms", "t(2N) ms", "ratio"
    );
    let mut failed = false;
    for case in &CASES {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|c| c == case.name))
        {
            continue;
        }
        let n = ((case.n as f64 * scale).round() as usize).max(1);
        let mut times = Vec::new();
        for size in [n, 2 * n] {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let root = match &keep {
                Some(k) => k.join(format!("{}-{size}", case.name)),
                None => tmp.path().join("site"),
            };
            let _ = fs::remove_dir_all(&root);
            if let Err(e) = fs::create_dir_all(&root).and_then(|()| (case.generate)(&root, size)) {
                eprintln!("{}: cannot generate the site: {e}", case.name);
                failed = true;
                break;
            }
            let mut best: Option<f64> = None;
            let mut too_slow = false;
            for _ in 0..runs {
                match build(&bin, &root, timeout) {
                    Ok(Some(ms)) => best = Some(best.map_or(ms, |b| b.min(ms))),
                    Ok(None) => {
                        too_slow = true;
                        break;
                    }
                    Err(e) => {
                        eprintln!("{}: {e}", case.name);
                        failed = true;
                        break;
                    }
                }
            }
            times.push(if too_slow { None } else { best });
            if too_slow {
                break;
            }
        }
        let show = |t: Option<&Option<f64>>| match t {
            Some(Some(ms)) => format!("{ms:.0}"),
            Some(None) => format!(">{}", timeout.as_millis()),
            None => "-".to_string(),
        };
        let ratio = match (times.first(), times.get(1)) {
            (Some(Some(a)), Some(Some(b))) if *a > 0.0 => format!("{:.2}", b / a),
            _ => "-".to_string(),
        };
        println!(
            "{:<15} {:>8} {:>11} {:>11} {:>6}  {}",
            case.name,
            n,
            show(times.first()),
            show(times.get(1)),
            ratio,
            case.unit
        );
    }
    if failed {
        std::process::exit(1);
    }
}

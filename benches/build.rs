//! Cold `rollbook build` at scale: time, CPU, peak memory and output sizes, against a baseline.
//!
//! ```text
//! cargo bench --bench build
//! # the run recorded in BENCHMARKS.md, "Build at scale":
//! ROLLBOOK_BENCH_BASELINE=/path/to/rollbook-before nice -n -15 cargo bench --bench build
//! ```
//!
//! For each size, generates a site with the generator of `examples/gen_site.rs` in a
//! temporary folder, then runs `rollbook --root SITE --today 2026-11-26 build -o OUT` in a
//! fresh process into an empty `OUT` (removed before each run, outside the timing). Per run
//! it takes the wall time, and from `wait4` the child's CPU time (user + system) and its
//! peak resident set; it prints the median of the runs. With a baseline binary the runs
//! alternate baseline/current (the order swapped each run) and the ratios current/baseline
//! are printed. Then it measures the output: its total size, the search index, what a
//! reader downloads to answer one search query, and the largest pages. The sites and
//! outputs are removed at the end.
//!
//! Environment:
//! - `ROLLBOOK_BENCH_SIZES`: packs per generated site, comma-separated (default `1000,3000`)
//! - `ROLLBOOK_BENCH_RUNS`: builds per binary and size (default 3)
//! - `ROLLBOOK_BENCH_BASELINE`: a `rollbook` binary to compare with (default: none)
//! - `ROLLBOOK_BENCH_BIN`: the binary to measure instead of this tree's release build
//! - `ROLLBOOK_BENCH_SEED`: generator seed (default 1)
//! - `ROLLBOOK_BENCH_OUT`: a folder to build into (default: the temporary folder), e.g.
//!   `/dev/shm`, to time rollbook rather than the disk's file system
//!
//! The last line of the output is one JSON object with every figure.

// Test and bench code may panic on what it set up itself, and its helpers are `pub` to
// its own modules; the crate's lints against both are for the library.
#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

#[cfg(not(unix))]
fn main() {
    eprintln!("the build bench reads the child's CPU time and peak memory with wait4: Unix only");
}

#[cfg(unix)]
fn main() {
    if let Err(e) = unix::run() {
        eprintln!("build bench failed: {e}");
        std::process::exit(1);
    }
}

#[cfg(unix)]
#[allow(dead_code)] // the generator's `main` and helpers the bench does not use
#[path = "../examples/gen_site.rs"]
mod gen;

#[cfg(unix)]
mod unix {
    use super::gen;
    use serde_json::{json, Value};
    use std::fs;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::Instant;

    const TODAY: &str = "2026-11-26";
    /// The query whose download is measured: two words, as a reader types them.
    const QUERY: &str = "kill switch";

    fn env_usize(name: &str, default: usize) -> usize {
        match std::env::var(name) {
            Ok(v) => v.trim().parse().unwrap_or_else(|_| {
                eprintln!("{name}={v} is not a number; using {default}");
                default
            }),
            Err(_) => default,
        }
    }

    fn sizes() -> Vec<usize> {
        let raw = std::env::var("ROLLBOOK_BENCH_SIZES").unwrap_or_else(|_| "1000,3000".into());
        let mut sizes: Vec<usize> = raw
            .split(',')
            .filter_map(|s| match s.trim().parse::<usize>() {
                Ok(n) if (1..=9999).contains(&n) => Some(n),
                _ => {
                    eprintln!(
                        "ROLLBOOK_BENCH_SIZES: `{s}` is not a pack count in 1..=9999; skipped"
                    );
                    None
                }
            })
            .collect();
        if sizes.is_empty() {
            sizes = vec![1000, 3000];
        }
        sizes
    }

    /// One build: wall time, CPU time (user + system) and peak resident set of the child.
    #[derive(Clone, Copy)]
    struct Sample {
        wall_ms: f64,
        cpu_ms: f64,
        rss_kib: f64,
    }

    fn timeval_ms(t: libc::timeval) -> f64 {
        t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0
    }

    /// Runs `rollbook build` into `out` (emptied first) and waits for it with `wait4`, which
    /// gives this child's own resource use.
    #[allow(clippy::zombie_processes)] // reaped by `wait4`, which clippy does not know
    fn build(bin: &Path, site: &Path, out: &Path, log: &Path) -> Result<Sample, String> {
        if out.exists() {
            fs::remove_dir_all(out).map_err(|e| format!("removing {}: {e}", out.display()))?;
        }
        // Warnings go to a file: the build writes about one and a half per pack.
        let stderr = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let started = Instant::now();
        let child = Command::new(bin)
            .arg("--root")
            .arg(site)
            .args(["--today", TODAY, "build", "-o"])
            .arg(out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let pid = child.id() as libc::pid_t;
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our child, not yet waited for (`child` is never waited on);
        // `status` and `usage` are valid for writes.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        if got != pid {
            return Err(format!("wait4: {}", std::io::Error::last_os_error()));
        }
        if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
            let text = fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(20).collect();
            return Err(format!(
                "{} build failed (status {status}); the end of its output:\n{}",
                bin.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
        // `ru_maxrss` is in KiB on Linux and the BSDs, in bytes on macOS.
        let rss = usage.ru_maxrss as f64;
        let rss_kib = if cfg!(target_os = "macos") {
            rss / 1024.0
        } else {
            rss
        };
        Ok(Sample {
            wall_ms,
            cpu_ms: timeval_ms(usage.ru_utime) + timeval_ms(usage.ru_stime),
            rss_kib,
        })
    }

    fn median(mut v: Vec<f64>) -> f64 {
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }

    /// The medians of one binary's runs at one size.
    struct Timing {
        wall_ms: f64,
        cpu_ms: f64,
        rss_mib: f64,
        walls: Vec<f64>,
    }

    fn timing(samples: &[Sample]) -> Timing {
        Timing {
            wall_ms: median(samples.iter().map(|s| s.wall_ms).collect()),
            cpu_ms: median(samples.iter().map(|s| s.cpu_ms).collect()),
            rss_mib: median(samples.iter().map(|s| s.rss_kib / 1024.0).collect()),
            walls: samples.iter().map(|s| s.wall_ms).collect(),
        }
    }

    fn file_size(path: &Path) -> Option<u64> {
        fs::metadata(path).ok().map(|m| m.len())
    }

    /// The data of one file of the sharded search index: `rollbookSearch(key, stamp, data);`.
    fn search_data(out: &Path, rel: &str) -> Option<Value> {
        let text = fs::read_to_string(out.join(rel)).ok()?;
        let inner = text
            .strip_prefix("rollbookSearch(")?
            .trim_end()
            .strip_suffix(");")?;
        let mut parts: Value = serde_json::from_str(&format!("[{inner}]")).ok()?;
        Some(parts.get_mut(2)?.take())
    }

    /// Numbers in the index's base 32 (see `src/render/search_index.rs`).
    fn search_numbers(text: &str) -> Vec<u64> {
        const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
        let mut out = Vec::new();
        let mut n: u64 = 0;
        for c in text.chars() {
            let d = DIGITS.find(c).unwrap_or(0) as u64;
            n = n.wrapping_mul(32) + (d & 31);
            if d < 32 {
                out.push(n);
                n = 0;
            }
        }
        out
    }

    /// The files of the search index, relative to the output root: everything under
    /// `search/` when the index is split into shards, else the whole-index files of
    /// versions before.
    fn search_index_files(out: &Path) -> Vec<String> {
        if out.join("search/index.js").is_file() {
            walkdir::WalkDir::new(out.join("search"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(out).ok()?;
                    Some(rel.to_string_lossy().replace('\\', "/"))
                })
                .collect()
        } else {
            ["search-index.js", "search-index.json"]
                .into_iter()
                .filter(|f| out.join(f).is_file())
                .map(String::from)
                .collect()
        }
    }

    /// The files a reader's browser fetches to answer `query`, relative to the output root,
    /// beyond the page already open, as `themes/default/static/search.js` picks them: the
    /// script, the manifest `search/index.js`, the word shards holding the words that
    /// begin with each word of the query, and the doc shards of the first 10 results,
    /// ranked as the script ranks them (entries holding a word, on a page holding every
    /// word; placeholders last). An output of a version before the split loads the whole
    /// `search-index.js` whatever the query.
    fn search_query_files(out: &Path, query: &str) -> Vec<String> {
        use std::collections::{HashMap, HashSet};
        let mut files = vec!["search.js".to_string()];
        let Some(manifest) = search_data(out, "search/index.js") else {
            files.push("search-index.js".into());
            return files;
        };
        files.push("search/index.js".into());
        let firsts: Vec<&str> = manifest["t"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // The first entry of each page, and the placeholder entries.
        let mut page_starts = Vec::new();
        let mut entry = 0;
        for count in search_numbers(manifest["e"].as_str().unwrap_or("")) {
            page_starts.push(entry);
            entry += count;
        }
        let page_of = |e: u64| page_starts.partition_point(|&s| s <= e).saturating_sub(1);
        let mut low = HashSet::new();
        let mut at = 0;
        for step in search_numbers(manifest["l"].as_str().unwrap_or("")) {
            at += step;
            low.insert(at);
        }
        let utf16 = |s: &str| s.encode_utf16().collect::<Vec<_>>();
        let lower = query.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
            .map(|w| w.trim_matches('-'))
            .filter(|w| w.chars().count() > 1)
            .collect();
        // Per word: each entry's best score, and each page's (3 in the title, else 1).
        let mut sets: Vec<(HashMap<u64, u64>, HashMap<usize, u64>)> = Vec::new();
        for w in &words {
            let start = firsts.iter().filter(|f| utf16(f) <= utf16(w)).count();
            let shards = std::iter::once(start).chain(
                (start..firsts.len())
                    .take_while(|&i| firsts[i].starts_with(w))
                    .map(|i| i + 1),
            );
            let (mut found, mut pages) = (HashMap::new(), HashMap::new());
            for n in shards {
                let rel = format!("search/t/{n}.js");
                let flat = search_data(out, &rel).unwrap_or_default();
                if !files.contains(&rel) {
                    files.push(rel);
                }
                let flat = flat.as_array().cloned().unwrap_or_default();
                for pair in flat.chunks(2) {
                    let (Some(word), Some(entries)) =
                        (pair[0].as_str(), pair.get(1).and_then(Value::as_str))
                    else {
                        continue;
                    };
                    if !word.starts_with(w) {
                        continue;
                    }
                    let mut entry = 0;
                    for v in search_numbers(entries) {
                        entry += v >> 2;
                        let score = 1 + u64::from(word == *w) + [0, 10, 4, 14][(v & 3) as usize];
                        let best = found.entry(entry).or_insert(0);
                        *best = score.max(*best);
                        let p = if v & 1 == 1 { 3 } else { 1 };
                        let best = pages.entry(page_of(entry)).or_insert(0);
                        *best = p.max(*best);
                    }
                }
            }
            sets.push((found, pages));
        }
        let candidates: HashSet<u64> = sets.iter().flat_map(|(f, _)| f.keys().copied()).collect();
        let mut hits: Vec<(bool, u64, u64)> = candidates
            .into_iter()
            .filter_map(|e| {
                let page = page_of(e);
                let mut score = 0;
                for (found, pages) in &sets {
                    score += found.get(&e).or(pages.get(&page)).copied()?;
                }
                Some((low.contains(&e), score, e))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut starts = Vec::new();
        let mut entry = 0;
        for count in search_numbers(manifest["d"].as_str().unwrap_or("")) {
            starts.push(entry);
            entry += count;
        }
        for (_, _, e) in hits.into_iter().take(10) {
            let n = starts.partition_point(|&s| s <= e).saturating_sub(1);
            let rel = format!("search/d/{n}.js");
            if !files.contains(&rel) {
                files.push(rel);
            }
        }
        files
    }

    /// What the output weighs.
    struct Output {
        files: u64,
        total: u64,
        /// The search index: its files and their bytes.
        index_files: u64,
        index_bytes: u64,
        query: u64,
        query_files: Vec<(String, Option<u64>)>,
        /// The largest pack runbook: its slug and size.
        runbook: Option<(String, u64)>,
        dashboard: Option<u64>,
        runbooks: Option<u64>,
        runbooks_print: Option<u64>,
        owners: Option<u64>,
        /// The largest file of the output.
        largest: Option<(String, u64)>,
    }

    fn measure(out: &Path) -> Output {
        let mut files = 0;
        let mut total = 0;
        let mut largest: Option<(String, u64)> = None;
        let mut runbook: Option<(String, u64)> = None;
        for entry in walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            let len = meta.len();
            files += 1;
            total += len;
            let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
            let rel_str = rel.to_string_lossy().replace('\\', "/");
            if largest.as_ref().is_none_or(|(_, l)| len > *l) {
                largest = Some((rel_str.clone(), len));
            }
            // `<slug>/runbook/index.html`, one per pack.
            let parts: Vec<&str> = rel_str.split('/').collect();
            if let [slug, "runbook", "index.html"] = parts.as_slice() {
                if runbook.as_ref().is_none_or(|(_, l)| len > *l) {
                    runbook = Some(((*slug).to_string(), len));
                }
            }
        }
        let index_files = search_index_files(out);
        let query_files: Vec<(String, Option<u64>)> = search_query_files(out, QUERY)
            .into_iter()
            .map(|f| {
                let size = file_size(&out.join(&f));
                (f, size)
            })
            .collect();
        Output {
            files,
            total,
            index_files: index_files.len() as u64,
            index_bytes: index_files
                .iter()
                .filter_map(|f| file_size(&out.join(f)))
                .sum(),
            query: query_files.iter().filter_map(|(_, s)| *s).sum(),
            query_files,
            runbook,
            dashboard: file_size(&out.join("index.html")),
            runbooks: file_size(&out.join("runbooks/index.html")),
            runbooks_print: file_size(&out.join("runbooks/print/index.html")),
            owners: file_size(&out.join("owners/index.html")),
            largest,
        }
    }

    fn output_json(o: &Output) -> Value {
        json!({
            "files": o.files,
            "bytes": o.total,
            "search_index_files": o.index_files,
            "search_index_bytes": o.index_bytes,
            "search_query_bytes": o.query,
            "search_query_files": o.query_files.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            "runbook_max_bytes": o.runbook.as_ref().map(|r| r.1),
            "runbook_max_slug": o.runbook.as_ref().map(|r| &r.0),
            "dashboard_bytes": o.dashboard,
            "runbooks_bytes": o.runbooks,
            "runbooks_print_bytes": o.runbooks_print,
            "owners_bytes": o.owners,
            "largest_file": o.largest.as_ref().map(|l| &l.0),
            "largest_file_bytes": o.largest.as_ref().map(|l| l.1),
        })
    }

    fn timing_json(t: &Timing) -> Value {
        json!({
            "wall_ms": round1(t.wall_ms),
            "cpu_ms": round1(t.cpu_ms),
            "max_rss_mib": round1(t.rss_mib),
            "wall_ms_runs": t.walls.iter().map(|w| round1(*w)).collect::<Vec<_>>(),
        })
    }

    fn round1(x: f64) -> f64 {
        (x * 10.0).round() / 10.0
    }

    fn round3(x: f64) -> f64 {
        (x * 1000.0).round() / 1000.0
    }

    /// One binary's figures at one size.
    struct Measured {
        timing: Timing,
        output: Output,
    }

    /// Everything measured at one size.
    struct Size {
        packs: usize,
        current: Measured,
        baseline: Option<Measured>,
    }

    fn mb(bytes: u64) -> String {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }

    fn kb(bytes: Option<u64>) -> String {
        bytes.map_or_else(|| "-".into(), |b| format!("{:.1} KB", b as f64 / 1e3))
    }

    fn ratio(cur: f64, base: f64) -> String {
        if base > 0.0 {
            format!("{:.3}", cur / base)
        } else {
            "-".into()
        }
    }

    /// The table's rows, in the order [`figures`] gives them.
    const ROWS: [&str; 14] = [
        "wall, median",
        "CPU user+sys, median",
        "peak RSS, median",
        "output files",
        "output bytes",
        "search index files",
        "search index bytes",
        "download for one query",
        "largest pack runbook",
        "dashboard index.html",
        "runbooks/",
        "runbooks/print/",
        "owners/",
        "largest file",
    ];

    /// One binary's figures as shown, and as numbers for the ratios, in [`ROWS`] order.
    fn figures(m: &Measured) -> Vec<(String, f64)> {
        let (t, o) = (&m.timing, &m.output);
        let bytes = |v: Option<u64>| (kb(v), v.unwrap_or(0) as f64);
        vec![
            (format!("{:.0} ms", t.wall_ms), t.wall_ms),
            (format!("{:.0} ms", t.cpu_ms), t.cpu_ms),
            (format!("{:.0} MiB", t.rss_mib), t.rss_mib),
            (o.files.to_string(), o.files as f64),
            (mb(o.total), o.total as f64),
            (o.index_files.to_string(), o.index_files as f64),
            bytes(Some(o.index_bytes)),
            bytes(Some(o.query)),
            bytes(o.runbook.as_ref().map(|r| r.1)),
            bytes(o.dashboard),
            bytes(o.runbooks),
            bytes(o.runbooks_print),
            bytes(o.owners),
            bytes(o.largest.as_ref().map(|l| l.1)),
        ]
    }

    /// Prints one table: a row per figure, a column per binary and size, and the ratio.
    fn table(results: &[Size]) {
        let has_base = results.iter().any(|s| s.baseline.is_some());
        let mut header = vec!["figure".to_string()];
        for s in results {
            if has_base {
                header.push(format!("{} baseline", s.packs));
            }
            header.push(format!("{} current", s.packs));
            if has_base {
                header.push(format!("{} cur/base", s.packs));
            }
        }
        let mut lines = vec![header];
        for (row, name) in ROWS.iter().enumerate() {
            let get = |m: &Measured| figures(m).swap_remove(row);
            let mut line = vec![name.to_string()];
            for s in results {
                let (cur_text, cur) = get(&s.current);
                match (&s.baseline, has_base) {
                    (Some(b), _) => {
                        let (base_text, base) = get(b);
                        line.push(base_text);
                        line.push(cur_text);
                        line.push(ratio(cur, base));
                    }
                    (None, true) => {
                        line.push("-".into());
                        line.push(cur_text);
                        line.push("-".into());
                    }
                    (None, false) => line.push(cur_text),
                }
            }
            lines.push(line);
        }
        let cols = lines[0].len();
        let widths: Vec<usize> = (0..cols)
            .map(|c| lines.iter().map(|l| l[c].len()).max().unwrap_or(0))
            .collect();
        for (i, line) in lines.iter().enumerate() {
            let cells: Vec<String> = line
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    if c == 0 {
                        format!("{cell:<w$}", w = widths[c])
                    } else {
                        format!("{cell:>w$}", w = widths[c])
                    }
                })
                .collect();
            println!("| {} |", cells.join(" | "));
            if i == 0 {
                let rule: Vec<String> = widths
                    .iter()
                    .enumerate()
                    .map(|(c, w)| {
                        if c == 0 {
                            "-".repeat(w + 2)
                        } else {
                            format!("{}:", "-".repeat(w + 1))
                        }
                    })
                    .collect();
                println!("|{}|", rule.join("|"));
            }
        }
    }

    pub fn run() -> Result<(), String> {
        let sizes = sizes();
        let runs = env_usize("ROLLBOOK_BENCH_RUNS", 3).max(1);
        let seed = env_usize("ROLLBOOK_BENCH_SEED", 1) as u64;
        let current_bin = std::env::var_os("ROLLBOOK_BENCH_BIN").map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_rollbook")),
            PathBuf::from,
        );
        let baseline_bin = std::env::var_os("ROLLBOOK_BENCH_BASELINE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        if let Some(b) = &baseline_bin {
            if !b.is_file() {
                return Err(format!("ROLLBOOK_BENCH_BASELINE: no file {}", b.display()));
            }
        }
        println!("current:  {}", current_bin.display());
        if let Some(b) = &baseline_bin {
            println!("baseline: {}", b.display());
        }

        let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
        let log = tmp.path().join("build.log");
        // Where the builds write: a folder of its own under ROLLBOOK_BENCH_OUT when set.
        let out_tmp =
            match std::env::var_os("ROLLBOOK_BENCH_OUT").filter(|v| !v.is_empty()) {
                Some(dir) => Some(tempfile::tempdir_in(&dir).map_err(|e| {
                    format!("ROLLBOOK_BENCH_OUT {}: {e}", Path::new(&dir).display())
                })?),
                None => None,
            };
        let out_root = out_tmp
            .as_ref()
            .map_or(tmp.path(), |d| d.path())
            .to_path_buf();
        println!("outputs under: {}", out_root.display());
        let mut results = Vec::new();
        for &packs in &sizes {
            let site = tmp.path().join(format!("site-{packs}"));
            let started = Instant::now();
            gen::generate(&site, packs, seed).map_err(|e| format!("generating the site: {e}"))?;
            println!(
                "site: {packs} packs (seed {seed}) generated in {} ms",
                started.elapsed().as_millis()
            );
            let out_cur = out_root.join(format!("out-{packs}-current"));
            let out_base = out_root.join(format!("out-{packs}-baseline"));
            let (mut cur, mut base) = (Vec::new(), Vec::new());
            for k in 0..runs {
                // Alternate which binary goes first, so neither always follows the other.
                let base_first = k % 2 == 0;
                for turn in 0..2 {
                    let is_base = (turn == 0) == base_first;
                    let (bin, out, into) = match (&baseline_bin, is_base) {
                        (Some(b), true) => (b, &out_base, &mut base),
                        (None, true) => continue,
                        (_, false) => (&current_bin, &out_cur, &mut cur),
                    };
                    let s = build(bin, &site, out, &log)?;
                    println!(
                        "  {packs} packs, run {}, {:<8}: {:>8.0} ms wall, {:>8.0} ms CPU, {:>6.0} MiB peak RSS",
                        k + 1,
                        if is_base { "baseline" } else { "current" },
                        s.wall_ms,
                        s.cpu_ms,
                        s.rss_kib / 1024.0
                    );
                    into.push(s);
                }
            }
            let current = Measured {
                timing: timing(&cur),
                output: measure(&out_cur),
            };
            let baseline = baseline_bin.as_ref().map(|_| Measured {
                timing: timing(&base),
                output: measure(&out_base),
            });
            // Free the disk before the next, larger site.
            for dir in [&site, &out_cur, &out_base] {
                if dir.exists() {
                    fs::remove_dir_all(dir)
                        .map_err(|e| format!("removing {}: {e}", dir.display()))?;
                }
            }
            results.push(Size {
                packs,
                current,
                baseline,
            });
        }

        println!();
        println!("{runs} runs per binary and size; medians");
        table(&results);

        // Growth from the smallest to the largest site: linear is the ratio of pack counts.
        let growth = match (results.first(), results.last()) {
            (Some(a), Some(b)) if results.len() > 1 => {
                let g = |x: &Measured, y: &Measured| y.timing.wall_ms / x.timing.wall_ms;
                let cur = g(&a.current, &b.current);
                let base = match (&a.baseline, &b.baseline) {
                    (Some(x), Some(y)) => Some(g(x, y)),
                    _ => None,
                };
                println!();
                print!("wall {}/{} packs: current {cur:.2}", b.packs, a.packs);
                if let Some(base) = base {
                    print!(", baseline {base:.2}");
                }
                println!(" (linear: {:.2})", b.packs as f64 / a.packs as f64);
                Some(json!({
                    "from": a.packs,
                    "to": b.packs,
                    "linear": b.packs as f64 / a.packs as f64,
                    "current_wall": round3(cur),
                    "baseline_wall": base.map(round3),
                }))
            }
            _ => None,
        };
        for s in &results {
            if let Some((slug, _)) = &s.current.output.runbook {
                println!("{} packs: largest runbook is {slug}/runbook/", s.packs);
            }
            if let Some((path, len)) = &s.current.output.largest {
                println!("{} packs: largest file is {path} ({})", s.packs, mb(*len));
            }
        }

        let sizes_json: Vec<Value> = results
            .iter()
            .map(|s| {
                let mut v = json!({
                    "packs": s.packs,
                    "current": timing_json(&s.current.timing),
                    "current_output": output_json(&s.current.output),
                });
                if let Some(b) = &s.baseline {
                    v["baseline"] = timing_json(&b.timing);
                    v["baseline_output"] = output_json(&b.output);
                    v["ratio"] = json!({
                        "wall": round3(s.current.timing.wall_ms / b.timing.wall_ms),
                        "cpu": round3(s.current.timing.cpu_ms / b.timing.cpu_ms),
                        "max_rss": round3(s.current.timing.rss_mib / b.timing.rss_mib),
                    });
                }
                v
            })
            .collect();
        let line = json!({
            "bench": "build",
            "seed": seed,
            "runs": runs,
            "query": QUERY,
            "current_bin": current_bin.display().to_string(),
            "baseline_bin": baseline_bin.as_ref().map(|b| b.display().to_string()),
            "sizes": sizes_json,
            "growth": growth,
        });
        println!();
        println!("{line}");
        drop(out_tmp);
        drop(tmp);
        Ok(())
    }
}

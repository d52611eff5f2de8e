//! Throughput of the secret scan alone, over every text file of a large generated site.
//!
//! ```text
//! cargo bench --bench secrets
//! ```
//!
//! Generates a site (default 1,000 packs) in a temporary folder, reads every file of its
//! `content/` into memory, then times `secrets::scan` over all of them, one file after the
//! other on one thread, several rounds; prints the fastest and the median round and the
//! throughput. Only `secrets::scan(&str)` is called, so the same file measures any
//! version of the scanner.
//!
//! Environment:
//! - `ROLLBOOK_BENCH_PACKS`: packs in the generated site (default 1000)
//! - `ROLLBOOK_BENCH_SEED`: generator seed (default 1)
//! - `ROLLBOOK_BENCH_ROUNDS`: rounds timed (default 7)

// Test and bench code may panic on what it set up itself, and its helpers are `pub` to
// its own modules; the crate's lints against both are for the library.
#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

#[allow(dead_code)] // the generator's `main` and helpers the bench does not use
#[path = "../examples/gen_site.rs"]
mod gen;

use std::path::Path;
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn texts(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read the generated site")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            texts(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push(text);
        }
    }
}

fn main() {
    let packs = env_usize("ROLLBOOK_BENCH_PACKS", 1000);
    let seed = env_usize("ROLLBOOK_BENCH_SEED", 1) as u64;
    let rounds = env_usize("ROLLBOOK_BENCH_ROUNDS", 7).max(1);
    let dir = tempfile::tempdir().expect("a temp dir");
    gen::generate(dir.path(), packs, seed).expect("generate the site");
    let mut files = Vec::new();
    texts(&dir.path().join("content"), &mut files);
    let bytes: usize = files.iter().map(String::len).sum();
    let mut findings = 0;
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            findings = files
                .iter()
                .map(|f| rollbook::internals::scan(f).len())
                .sum::<usize>();
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let best = times[0];
    println!(
        "secret scan: {} files, {:.1} MB, {findings} findings; fastest {:.0} ms, median {:.0} ms ({:.0} MB/s) over {rounds} rounds",
        files.len(),
        bytes as f64 / 1e6,
        ms(best),
        ms(times[times.len() / 2]),
        bytes as f64 / 1e6 / best.as_secs_f64(),
    );
}

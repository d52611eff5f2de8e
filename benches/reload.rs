//! Edit-to-reload latency of `rollbook serve` on a large site.
//!
//! ```text
//! cargo bench --bench reload
//! ```
//!
//! Generates a site (default 1,000 packs) in a temporary folder, starts
//! `rollbook serve -p 0` on it, connects to the live-reload WebSocket as a page does
//! (over a `TcpStream` with `tungstenite`), then edits one section file at a time and
//! measures the time from just before the write to the receipt of the `reload` message. Also measures template edits (two
//! `templates/` overrides: `404.html`, one site-wide page, and `runbook.html`, one page of
//! every pack) and, for context, a full `rollbook build` of the same site against the
//! first build of `serve`.
//!
//! Environment:
//! - `ROLLBOOK_BENCH_EDITS`: content edits (default 60)
//! - `ROLLBOOK_BENCH_TEMPLATE_EDITS`: edits of each template (default 5)
//! - `ROLLBOOK_BENCH_PACKS`: packs in the generated site (default 1000)
//! - `ROLLBOOK_BENCH_SEED`: generator seed (default 1)
//! - `ROLLBOOK_BENCH_BUILDS`: full builds timed, each followed by a first build of `serve`
//!   (default 3)
//! - `ROLLBOOK_BENCH_BIN`: another `rollbook` binary to measure, e.g. an older release
//! - `ROLLBOOK_BENCH_SSE=1`: listen on server-sent events, the live-reload transport of
//!   releases before the WebSocket one, to compare them on the same machine

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

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-26";
const BASE: &str = "/ai-packs/";
/// Time between edits, so each edit is a save of its own.
const PAUSE: Duration = Duration::from_millis(300);
/// The longest a reload may take before the edit counts as failed.
const TIMEOUT: Duration = Duration::from_secs(5);
/// After a timeout, how long to wait for the late event before going on.
const LATE: Duration = Duration::from_secs(60);
/// The longest the first build of the server may take.
const STARTUP: Duration = Duration::from_secs(180);
/// The template overrides the bench edits, each a copy of the default theme's, and the
/// line of each an edit rewrites: `404.html` is one site-wide page, `runbook.html` one
/// page of each pack.
const TEMPLATES: [(&str, &str, &str); 2] = [
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
        "<h1>Page not found</h1>",
    ),
    (
        "runbook.html",
        include_str!("../themes/default/templates/runbook.html"),
        "<p class=\"rb-source\">From the",
    ),
];

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={v} is not a number; using {default}");
            default
        }),
        Err(_) => default,
    }
}

/// A running `rollbook serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    initial_build_ms: Option<u64>,
    /// From starting the process to its `serving` line, as the wall time of a build.
    startup: Duration,
    /// Server-side rebuild times, from its `rebuilt in N ms` lines.
    rebuilds: Arc<Mutex<Vec<u64>>>,
    /// Server-side time from the first file-system event to the reload message going
    /// out, from its `pages reloaded after N ms`: the rest of the end-to-end time is the
    /// watcher and the delivery.
    sent: Arc<Mutex<Vec<u64>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(bin: &Path, root: &Path) -> Result<Server, String> {
    let spawned = Instant::now();
    let mut child = Command::new(bin)
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "serve", "-p", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let rebuilds = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::new(Mutex::new(Vec::new()));
    // The server prints every warning on stderr: drain it so it never blocks, and keep
    // its rebuild times.
    if let Some(stderr) = stderr {
        let rebuilds = Arc::clone(&rebuilds);
        let sent = Arc::clone(&sent);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(ms) = line
                    .split(", pages reloaded after ")
                    .nth(1)
                    .and_then(|r| r.split(' ').next())
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    if let Ok(mut s) = sent.lock() {
                        s.push(ms);
                    }
                }
                if let Some(ms) = line
                    .strip_prefix("rebuilt in ")
                    .and_then(|r| r.split(' ').next())
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    if let Ok(mut r) = rebuilds.lock() {
                        r.push(ms);
                    }
                } else if line.starts_with("error") {
                    eprintln!("server: {line}");
                }
            }
        });
    }
    let (tx, rx) = mpsc::channel::<String>();
    if let Some(stdout) = stdout {
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let mut server = Server {
        child,
        port: 0,
        initial_build_ms: None,
        startup: Duration::ZERO,
        rebuilds,
        sent,
    };
    let deadline = Instant::now() + STARTUP;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match rx.recv_timeout(left) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => return Err("the server did not start in time".into()),
            Err(RecvTimeoutError::Disconnected) => {
                return Err("the server exited before serving".into())
            }
        };
        // `serving DIR at http://127.0.0.1:PORT/ai-packs/ (built in N ms); …`
        let Some(rest) = line.strip_prefix("serving ") else {
            continue;
        };
        let port = rest
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or_else(|| format!("no port in `{line}`"))?;
        server.port = port;
        server.startup = spawned.elapsed();
        server.initial_build_ms = rest
            .split("(built in ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok());
        return Ok(server);
    }
}

/// Opens the live-reload WebSocket, waits for its `hello`, and forwards the type of each
/// later message with the time it arrived.
fn listen(port: u16) -> Result<Receiver<(Instant, String)>, String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let url = format!("ws://127.0.0.1:{port}{BASE}__rollbook/events");
    let (mut socket, _) = tungstenite::client::client(url.as_str(), stream)
        .map_err(|e| format!("live-reload handshake: {e}"))?;
    let kind = |m: tungstenite::Message| -> Option<String> {
        let text = m.into_text().ok()?;
        let v: serde_json::Value = serde_json::from_str(text.as_str()).ok()?;
        v["type"].as_str().map(str::to_string)
    };
    match socket.read().map(kind) {
        Ok(Some(k)) if k == "hello" => {}
        other => {
            return Err(format!(
                "the first live-reload message is not hello: {other:?}"
            ))
        }
    }
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        while let Ok(m) = socket.read() {
            let at = Instant::now();
            if let Some(k) = kind(m) {
                if tx.send((at, k)).is_err() {
                    break;
                }
            }
        }
    });
    Ok(rx)
}

/// Opens the server-sent-events stream of older releases and forwards each event name
/// with the time it arrived.
fn listen_sse(port: u16) -> Result<Receiver<(Instant, String)>, String> {
    use std::io::Write;
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let request = format!(
        "GET {BASE}__rollbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("request: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader
        .read_line(&mut status)
        .map_err(|e| format!("response: {e}"))?;
    if !status.starts_with("HTTP/1.1 200") {
        return Err(format!("event stream answered `{}`", status.trim()));
    }
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event:") {
                if tx.send((Instant::now(), name.trim().to_string())).is_err() {
                    break;
                }
            }
        }
    });
    Ok(rx)
}

/// What one edit gave.
enum Outcome {
    Reload(Duration),
    Error(Duration),
    /// No event within [`TIMEOUT`]; when the event came later, after how long.
    Timeout(Option<Duration>),
    Closed,
}

/// Writes `text` to `file` and waits for the first event after the write.
fn edit_and_wait(events: &Receiver<(Instant, String)>, file: &Path, text: &str) -> Outcome {
    let start = Instant::now();
    if let Err(e) = fs::write(file, text) {
        eprintln!("cannot write {}: {e}", file.display());
        return Outcome::Closed;
    }
    match events.recv_timeout(TIMEOUT) {
        Ok((at, name)) if name == "reload" => Outcome::Reload(at.duration_since(start)),
        Ok((at, _)) => Outcome::Error(at.duration_since(start)),
        Err(RecvTimeoutError::Timeout) => {
            // Wait for the late event, so it is not taken for the next edit's.
            match events.recv_timeout(LATE) {
                Ok((at, _)) => Outcome::Timeout(Some(at.duration_since(start))),
                Err(_) => Outcome::Timeout(None),
            }
        }
        Err(RecvTimeoutError::Disconnected) => Outcome::Closed,
    }
}

/// Waits (up to [`LATE`]) until the server has reported `n` rebuilds: each reports once
/// its site-wide pages are done too, after the reload went out.
fn wait_rebuilds(server: &Server, n: usize) {
    let deadline = Instant::now() + LATE;
    while server.rebuilds.lock().map_or(0, |r| r.len()) < n && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
}

/// Events left over from the previous edit (a save seen as two changes).
fn drain(events: &Receiver<(Instant, String)>) -> usize {
    events.try_iter().count()
}

/// Replaces the revision line of a generated section file.
fn revise(text: &str, revision: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.lines() {
        if line.starts_with(gen::REVISION_PREFIX) {
            out.push_str(&format!("{} {revision}.", gen::REVISION_PREFIX));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[derive(Default)]
struct Series {
    samples: Vec<Duration>,
    errors: usize,
    timeouts: usize,
    extra_events: usize,
}

impl Series {
    fn record(&mut self, what: &str, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Reload(d) => self.samples.push(d),
            Outcome::Error(d) => {
                eprintln!("{what}: an `error` message after {} ms", d.as_millis());
                self.errors += 1;
            }
            Outcome::Timeout(late) => {
                match late {
                    Some(d) => eprintln!(
                        "{what}: no reload within {} s (the event came after {} ms)",
                        TIMEOUT.as_secs(),
                        d.as_millis()
                    ),
                    None => eprintln!(
                        "{what}: no reload within {} s, nor {} s later",
                        TIMEOUT.as_secs(),
                        LATE.as_secs()
                    ),
                }
                self.timeouts += 1;
            }
            Outcome::Closed => {
                eprintln!("{what}: the event stream closed");
                self.timeouts += 1;
                return false;
            }
        }
        true
    }

    fn failures(&self) -> usize {
        self.errors + self.timeouts
    }

    fn sorted_ms(&self) -> Vec<f64> {
        let mut ms: Vec<f64> = self
            .samples
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        ms.sort_by(f64::total_cmp);
        ms
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn row(name: &str, sorted: &[f64], runs: usize, failures: usize) {
    println!(
        "| {name:<28} | {runs:>4} | {:>8.1} | {:>8.1} | {:>8.1} | {:>8.1} | {failures:>8} |",
        sorted.first().copied().unwrap_or(f64::NAN),
        percentile(sorted, 50.0),
        percentile(sorted, 95.0),
        sorted.last().copied().unwrap_or(f64::NAN),
    );
}

/// Wall time of `rollbook build` into `out`, in ms, and the time the build reports.
fn full_build(bin: &Path, root: &Path, out: &Path) -> Result<(f64, Option<u64>), String> {
    let started = Instant::now();
    let output = Command::new(bin)
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "build", "-o"])
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run build: {e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(format!("rollbook build failed: {}", output.status));
    }
    // `built 1000 packs, 12005 pages into DIR in N ms (…)`, on stdout or stderr.
    let text = [output.stdout, output.stderr].concat();
    let reported = String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| l.starts_with("built "))
        .find_map(|l| l.rsplit(" in ").next()?.split(' ').next()?.parse().ok());
    Ok((ms, reported))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("reload bench failed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let edits = env_usize("ROLLBOOK_BENCH_EDITS", 60);
    let template_edits = env_usize("ROLLBOOK_BENCH_TEMPLATE_EDITS", 5);
    let packs = env_usize("ROLLBOOK_BENCH_PACKS", 1000).clamp(1, 9999);
    let seed = env_usize("ROLLBOOK_BENCH_SEED", 1) as u64;
    let builds = env_usize("ROLLBOOK_BENCH_BUILDS", 3).max(1);
    let bin = std::env::var_os("ROLLBOOK_BENCH_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_rollbook")),
        PathBuf::from,
    );

    let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let root = tmp.path().join("site");
    let started = Instant::now();
    gen::generate(&root, packs, seed).map_err(|e| format!("generating the site: {e}"))?;
    fs::create_dir_all(root.join("templates")).map_err(|e| e.to_string())?;
    for (name, text, _) in TEMPLATES {
        fs::write(root.join("templates").join(name), text).map_err(|e| e.to_string())?;
    }
    println!(
        "site: {packs} packs (seed {seed}) generated in {} ms; binary {}",
        started.elapsed().as_millis(),
        bin.display()
    );

    // Full builds first, for context: the same site, written to disk by a fresh process.
    // Each is followed by the first build of a `serve` started for it alone, so the two
    // are compared in pairs, under the same load.
    let out = tmp.path().join("public");
    let mut build_ms = Vec::new();
    let mut build_reported = Vec::new();
    let mut serve_ms = Vec::new();
    for k in 0..builds {
        let (ms, reported) = full_build(&bin, &root, &out)?;
        build_reported.extend(reported.map(|r| r as f64));
        build_ms.push(ms);
        let server = start_server(&bin, &root)?;
        let startup = server.startup.as_secs_f64() * 1000.0;
        serve_ms.push(startup);
        drop(server);
        println!(
            "full build {}: {ms:.0} ms wall ({} ms reported by rollbook); then serve's first build: {startup:.0} ms wall to serving (serve / build {:.3})",
            k + 1,
            reported.map_or_else(|| "?".to_string(), |r: u64| r.to_string()),
            startup / ms
        );
    }
    let pairs: Vec<f64> = serve_ms.iter().zip(&build_ms).map(|(s, b)| s / b).collect();
    build_ms.sort_by(f64::total_cmp);
    serve_ms.sort_by(f64::total_cmp);
    let full = percentile(&build_ms, 50.0);

    let server = start_server(&bin, &root)?;
    let events = if std::env::var_os("ROLLBOOK_BENCH_SSE").is_some() {
        listen_sse(server.port)?
    } else {
        listen(server.port)?
    };
    println!(
        "serving on port {} (initial in-memory build {} ms)",
        server.port,
        server
            .initial_build_ms
            .map_or_else(|| "?".to_string(), |m| m.to_string())
    );

    let mut rng = gen::Rng::new(seed ^ 0xbe7c);
    let mut content = Series::default();
    let mut last_pack = 0;
    for k in 0..edits {
        thread::sleep(PAUSE);
        content.extra_events += drain(&events);
        // A different pack each time, and the nine section files in turn.
        let mut pack = rng.range(1, packs);
        if pack == last_pack && packs > 1 {
            pack = pack % packs + 1;
        }
        last_pack = pack;
        let stem = gen::SECTIONS[k % gen::SECTIONS.len()];
        let file = root
            .join("content")
            .join(gen::slug(pack))
            .join(format!("{stem}.md"));
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let what = format!("edit {} of {}/{stem}.md", k + 1, gen::slug(pack));
        if !content.record(&what, edit_and_wait(&events, &file, &revise(&text, k + 1))) {
            break;
        }
    }

    thread::sleep(PAUSE);
    content.extra_events += drain(&events);
    wait_rebuilds(
        &server,
        content.samples.len() + content.errors + content.extra_events,
    );
    let content_rebuilds = server.rebuilds.lock().map_or(0, |r| r.len());
    let mut content_sent: Vec<f64> = server
        .sent
        .lock()
        .map(|s| s.iter().map(|&m| m as f64).collect())
        .unwrap_or_default();
    content_sent.sort_by(f64::total_cmp);

    // Each template in turn, and the server's rebuild times of each series.
    let mut themes: Vec<(&str, Series, Vec<f64>)> = Vec::new();
    for (name, original, line) in TEMPLATES {
        let before = server.rebuilds.lock().map_or(0, |r| r.len());
        let mut series = Series::default();
        let template = root.join("templates").join(name);
        for k in 0..template_edits {
            thread::sleep(PAUSE);
            series.extra_events += drain(&events);
            let text = original.replacen(line, &format!("<!-- edit {} -->{line}", k + 1), 1);
            let what = format!("edit {} of templates/{name}", k + 1);
            if !series.record(&what, edit_and_wait(&events, &template, &text)) {
                break;
            }
        }
        thread::sleep(PAUSE);
        series.extra_events += drain(&events);
        wait_rebuilds(
            &server,
            before + series.samples.len() + series.errors + series.extra_events,
        );
        let mut rebuilt: Vec<f64> = server
            .rebuilds
            .lock()
            .map(|r| r.iter().skip(before).map(|&m| m as f64).collect())
            .unwrap_or_default();
        rebuilt.sort_by(f64::total_cmp);
        themes.push((name, series, rebuilt));
    }
    let rebuilds: Vec<f64> = server
        .rebuilds
        .lock()
        .map(|r| r.iter().map(|&m| m as f64).collect())
        .unwrap_or_default();
    let startup = server.startup.as_secs_f64() * 1000.0;
    let initial_build_ms = server.initial_build_ms;
    drop(server);

    let content_ms = content.sorted_ms();
    let p50 = percentile(&content_ms, 50.0);
    let p95 = percentile(&content_ms, 95.0);
    println!();
    println!(
        "| {:<28} | {:>4} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} |",
        "ms", "runs", "min", "p50", "p95", "max", "failures"
    );
    println!(
        "|{:-<30}|{:->6}|{:->10}|{:->10}|{:->10}|{:->10}|{:->10}|",
        "", "", "", "", "", "", ""
    );
    row(
        "content edit -> reload",
        &content_ms,
        edits,
        content.failures(),
    );
    for (name, series, _) in &themes {
        row(
            &format!("{name} edit -> reload"),
            &series.sorted_ms(),
            template_edits,
            series.failures(),
        );
    }
    let mut content_rebuilds: Vec<f64> = rebuilds.iter().take(content_rebuilds).copied().collect();
    content_rebuilds.sort_by(f64::total_cmp);
    row(
        "server rebuild (content)",
        &content_rebuilds,
        content_rebuilds.len(),
        0,
    );
    row(
        "server: change -> reload sent",
        &content_sent,
        content_sent.len(),
        0,
    );
    for (name, _, rebuilt) in &themes {
        row(
            &format!("server rebuild ({name})"),
            rebuilt,
            rebuilt.len(),
            0,
        );
    }
    row("full `rollbook build`", &build_ms, builds, 0);
    row("first build of `serve`", &serve_ms, builds, 0);
    build_reported.sort_by(f64::total_cmp);
    println!();
    println!(
        "first build of `serve` (wall to serving) / `rollbook build` (wall), each build with the serve after it: {}; p50 {:.0} ms / {full:.0} ms ({:.0} ms reported by build); the edited server's own: {startup:.0} ms ({} ms reported)",
        pairs
            .iter()
            .map(|r| format!("{r:.3}"))
            .collect::<Vec<_>>()
            .join(", "),
        percentile(&serve_ms, 50.0),
        percentile(&build_reported, 50.0),
        initial_build_ms.map_or_else(|| "?".to_string(), |m| m.to_string()),
    );
    println!(
        "ratio p50 content reload / full build: {:.3} ({p50:.1} ms / {full:.1} ms)",
        p50 / full
    );
    if let Some(initial) = initial_build_ms {
        println!(
            "ratio p50 content reload / in-memory full build of `serve` (no disk writes): {:.3} ({p50:.1} ms / {initial} ms)",
            p50 / initial as f64
        );
    }
    println!(
        "targets (set for 1,000 packs; this site has {packs}): p50 < 50 ms: {}; p95 < 150 ms: {}",
        if p50 < 50.0 { "met" } else { "MISSED" },
        if p95 < 150.0 { "met" } else { "MISSED" }
    );
    let theme_extra: usize = themes.iter().map(|(_, s, _)| s.extra_events).sum();
    if content.extra_events + theme_extra > 0 {
        println!(
            "extra events (a save seen as two rebuilds): {} content, {theme_extra} template",
            content.extra_events
        );
    }
    let failures = content.failures() + themes.iter().map(|(_, s, _)| s.failures()).sum::<usize>();
    if failures > 0 {
        println!(
            "FAILURES: {} errors, {} timeouts (> {} s) of {} edits",
            content.errors + themes.iter().map(|(_, s, _)| s.errors).sum::<usize>(),
            content.timeouts + themes.iter().map(|(_, s, _)| s.timeouts).sum::<usize>(),
            TIMEOUT.as_secs(),
            edits + template_edits * TEMPLATES.len()
        );
    }
    Ok(())
}

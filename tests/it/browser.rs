//! Real-browser tests: runs tests/browser/run.mjs (Playwright driving Debian's Chromium)
//! against the rollbook binary and the example site at the repository root.
//!
//! Needs `node`, `npm` and Chromium (`/usr/bin/chromium`, or the path in
//! `ROLLBOOK_CHROMIUM`); `bash .ci/run` installs them. Without them the suite says plainly
//! that it was skipped and why, and passes, so `cargo test` passes on a machine with only
//! Rust; with `ROLLBOOK_REQUIRE_BROWSER=1` (as `.ci/run` sets) missing tools fail it. The
//! npm packages are installed here with `npm ci` when tests/browser/node_modules is missing.
//! The last two tests prove both ways by running the `browser` test again, alone, in a
//! child of this test binary with Chromium pointed at a path that does not exist.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Where Debian installs Chromium; `ROLLBOOK_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";
/// The runner limits each test and the whole run itself; this is the last resort.
const LIMIT: Duration = Duration::from_secs(25 * 60);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> PathBuf {
    std::env::var_os("ROLLBOOK_CHROMIUM")
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

/// Whether missing tools fail the suite instead of skipping it.
fn required() -> bool {
    std::env::var_os("ROLLBOOK_REQUIRE_BROWSER").is_some_and(|v| v == "1")
}

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What the suite needs and this machine lacks, each as "X not found".
fn missing_tools(chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    for program in ["node", "npm"] {
        if !found(program) {
            missing.push(format!("{program} not found"));
        }
    }
    if !chromium.is_file() {
        missing.push(format!("{} not found", chromium.display()));
    }
    missing
}

fn install_packages(dir: &Path) {
    let installed = ["playwright-core", "axe-core"].iter().all(|p| {
        dir.join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    });
    if installed {
        return;
    }
    eprintln!(
        "browser tests: installing npm packages (npm ci) in {}",
        dir.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run npm ci in {}: {e}; run `bash .ci/run`",
                dir.display()
            )
        });
    assert!(
        status.success(),
        "npm ci in {} failed ({status}); run `bash .ci/run`",
        dir.display()
    );
}

#[test]
fn browser() {
    let chromium = chromium();
    let missing = missing_tools(&chromium);
    if !missing.is_empty() {
        assert!(
            !required(),
            "browser tests required (ROLLBOOK_REQUIRE_BROWSER=1) but {}: run `bash .ci/run` \
             (it installs Chromium from Debian and the npm packages), or `apt-get install -y chromium` \
             and `npm ci --prefix tests/browser`",
            missing.join(", ")
        );
        // Straight to stderr, past the test harness's capture, so `cargo test` shows it.
        let _ = writeln!(
            std::io::stderr(),
            "browser tests SKIPPED: {}; bash .ci/run installs Chromium and the npm packages (node and npm, Node.js 20 or later, must be on PATH); ROLLBOOK_REQUIRE_BROWSER=1 makes a skip a failure",
            missing.join(", ")
        );
        return;
    }
    let root = repo_root();
    let dir = root.join("tests").join("browser");
    install_packages(&dir);

    let bin = env!("CARGO_BIN_EXE_rollbook");
    // Output goes straight to ours, so every test line shows as it finishes.
    let mut child = Command::new("node")
        .arg(dir.join("run.mjs"))
        .arg(bin)
        .arg(&root)
        .env("ROLLBOOK_CHROMIUM", &chromium)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start node: {e}; run `bash .ci/run`"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for node") {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the browser tests took longer than {} minutes and were stopped",
                LIMIT.as_secs() / 60
            );
        }
        thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "browser tests failed ({status}); the FAIL lines above say which and why"
    );
}

/// Set in the child test run the two tests below start, so that a child never starts
/// one of its own, whatever filter it was given.
const CHILD: &str = "ROLLBOOK_BROWSER_SKIP_PROOF_CHILD";

/// Whether this process is such a child run (the proofs below then do nothing).
fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// What the child test run printed and how it exited.
struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// Runs this binary's `browser` test alone in a child process (`--exact browser::browser
/// --nocapture`), with Chromium at a path that does not exist and `ROLLBOOK_REQUIRE_BROWSER`
/// unset or set to `require`, whatever this process has.
fn browser_test_without_chromium(require: Option<&str>) -> Run {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "browser::browser",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("ROLLBOOK_CHROMIUM", "/nonexistent/chromium")
        .env_remove("ROLLBOOK_REQUIRE_BROWSER")
        .stdin(Stdio::null());
    if let Some(value) = require {
        command.env("ROLLBOOK_REQUIRE_BROWSER", value);
    }
    let out = command.output().expect("run the test binary");
    let run = Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    };
    // A renamed, removed or ignored `browser` test would run nothing and pass in silence.
    assert!(
        run.stdout.contains("running 1 test\n") && !run.stdout.contains("1 ignored"),
        "the child ran exactly the browser test:\n{}",
        run.stdout
    );
    run
}

#[test]
fn without_chromium_the_browser_suite_passes_and_says_it_was_skipped_and_why() {
    if in_child() {
        return;
    }
    for require in [None, Some("0"), Some("")] {
        let run = browser_test_without_chromium(require);
        assert_eq!(
            run.code,
            Some(0),
            "ROLLBOOK_REQUIRE_BROWSER={require:?} skips:\n{}{}",
            run.stdout,
            run.stderr
        );
        assert!(
            run.stdout.contains("test browser::browser ... ok"),
            "{}",
            run.stdout
        );
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with("browser tests SKIPPED: "))
            .unwrap_or_else(|| panic!("no SKIPPED line on stderr:\n{}", run.stderr));
        assert!(line.contains("/nonexistent/chromium not found"), "{line}");
        assert!(line.contains("bash .ci/run installs Chromium"), "{line}");
        assert!(line.contains("ROLLBOOK_REQUIRE_BROWSER=1"), "{line}");
    }
}

#[test]
fn without_chromium_a_required_browser_suite_fails_and_says_why() {
    if in_child() {
        return;
    }
    let run = browser_test_without_chromium(Some("1"));
    let all = format!("{}{}", run.stdout, run.stderr);
    // 101 is the test harness's exit code for a failed test (not a crash or a signal).
    assert_eq!(
        run.code,
        Some(101),
        "ROLLBOOK_REQUIRE_BROWSER=1 must fail:\n{all}"
    );
    assert!(
        run.stdout.contains("test browser::browser ... FAILED"),
        "{all}"
    );
    let said = all
        .lines()
        .find(|l| l.starts_with("browser tests required (ROLLBOOK_REQUIRE_BROWSER=1) but "))
        .unwrap_or_else(|| panic!("no line saying the browser tests were required:\n{all}"));
    assert!(said.contains("/nonexistent/chromium not found"), "{said}");
    assert!(said.contains("run `bash .ci/run`"), "{said}");
    assert!(!all.contains("SKIPPED"), "{all}");
}

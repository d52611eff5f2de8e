//! Real-browser tests: runs tests/browser/run.mjs (Playwright driving Debian's Chromium)
//! against the rollbook binary and the example site at the repository root.
//!
//! Needs `node`, `npm` and `/usr/bin/chromium`; `bash .ci/run` installs them. The npm
//! packages are installed here with `npm ci` when tests/browser/node_modules is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The runner limits each test and the whole run itself; this is the last resort.
const LIMIT: Duration = Duration::from_secs(25 * 60);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn require_tools() {
    let mut missing = Vec::new();
    for program in ["node", "npm"] {
        if !found(program) {
            missing.push(program.to_string());
        }
    }
    if !Path::new(CHROMIUM).exists() {
        missing.push(CHROMIUM.to_string());
    }
    assert!(
        missing.is_empty(),
        "the browser tests need {} which {} missing: run `bash .ci/run` (it installs Chromium from Debian and the npm packages), \
         or `apt-get install -y chromium` and `npm ci --prefix tests/browser`",
        missing.join(", "),
        if missing.len() == 1 { "is" } else { "are" }
    );
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
    require_tools();
    let root = repo_root();
    let dir = root.join("tests").join("browser");
    install_packages(&dir);

    let bin = env!("CARGO_BIN_EXE_rollbook");
    // Output goes straight to ours, so every test line shows as it finishes.
    let mut child = Command::new("node")
        .arg(dir.join("run.mjs"))
        .arg(bin)
        .arg(&root)
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

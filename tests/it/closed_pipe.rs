//! Output to a closed pipe (`rollbook check | head -1`) ends quietly: no panic, and the
//! exit status the command would have had anyway.
#![cfg(unix)]

use crate::common::*;
use std::process::{Command, Stdio};

/// The write end of a pipe whose read end is already closed: every write to it fails
/// with EPIPE, as when `head` has exited.
fn closed_pipe() -> Stdio {
    let (reader, writer) = rustix::pipe::pipe().expect("pipe");
    drop(reader);
    Stdio::from(writer)
}

struct Ran {
    code: i32,
    stderr: String,
}

/// Runs rollbook in `dir` with `args`, stdout to a closed pipe, and stderr to a closed
/// pipe too when `close_stderr` (else captured).
fn run_closed(dir: &std::path::Path, args: &[&str], close_stderr: bool) -> Ran {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollbook"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("ROLLBOOK_TODAY")
        .stdout(closed_pipe());
    cmd.stderr(if close_stderr {
        closed_pipe()
    } else {
        Stdio::piped()
    });
    let out = cmd.output().expect("run rollbook");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    Ran {
        code: out
            .status
            .code()
            .unwrap_or_else(|| panic!("{args:?}: killed by a signal")),
        stderr,
    }
}

/// A site whose check prints a warning (a stale review) as well as the table.
fn warned_site() -> SiteBuilder {
    SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-10-01"),
        "",
    )
}

fn site_args<'a>(site: &'a SiteBuilder, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![
        "--root",
        site.path().to_str().expect("utf-8"),
        "--today",
        TODAY,
    ];
    all.extend_from_slice(args);
    all
}

#[test]
fn check_text_to_a_closed_pipe_ends_quietly() {
    let site = warned_site();
    let ran = run_closed(site.path(), &site_args(&site, &["check"]), false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    // Diagnostics and the summary still reach stderr.
    assert!(
        ran.stderr.starts_with("warning: content/pack/rhythm.md:"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stderr.lines().last(), Some("0 errors, 1 warning"));
}

#[test]
fn check_json_to_a_closed_pipe_ends_quietly() {
    let site = warned_site();
    let ran = run_closed(
        site.path(),
        &site_args(&site, &["check", "--format", "json"]),
        false,
    );
    assert_eq!(ran.code, 0);
    assert_eq!(ran.stderr, "");
}

#[test]
fn check_github_to_a_closed_pipe_ends_quietly_with_its_status() {
    let site = warned_site();
    let ran = run_closed(
        site.path(),
        &site_args(&site, &["check", "--format", "github"]),
        false,
    );
    assert_eq!(ran.code, 0);
    assert_eq!(ran.stderr, "");
    // A content error still sets exit 1 when nobody reads the annotations.
    let broken = warned_site().section("pack", "data", "sorces = []\n", "");
    let ran = run_closed(
        broken.path(),
        &site_args(&broken, &["check", "--format", "github"]),
        false,
    );
    assert_eq!(ran.code, 1);
}

#[test]
fn build_with_both_streams_closed_still_builds() {
    let site = warned_site();
    let ran = run_closed(site.path(), &site_args(&site, &["build"]), true);
    assert_eq!(ran.code, 0);
    assert!(site.join("public/pack/index.html").is_file());
    // A refusal and a failed build keep their statuses too.
    let ran = run_closed(site.path(), &site_args(&site, &["build", "-o", "."]), true);
    assert_eq!(ran.code, 2);
    let broken = warned_site().section("pack", "data", "sorces = []\n", "");
    let ran = run_closed(broken.path(), &site_args(&broken, &["build"]), true);
    assert_eq!(ran.code, 1);
}

#[test]
fn init_and_new_to_a_closed_pipe_end_quietly() {
    let dir = SiteBuilder::empty();
    let ran = run_closed(dir.path(), &["init"], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(dir.join("site.toml").is_file());
    let ran = run_closed(dir.path(), &["new", "next-pack"], false);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(dir.join("content/next-pack/workflow.md").is_file());
}

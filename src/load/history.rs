//! When each file of the site last changed, from git history: one `git log` for the
//! whole site, read when the site is a git repository with its full history.

use crate::domain::answers::{parse_date, Date};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// The day of the last commit that changed each file of `content/` under `root`, by
/// path relative to `root` (`content/support-triage/incident.md`). Empty when the site
/// is not in a git repository, `git` is not installed, or the clone is shallow (whose
/// oldest commit would date every file it holds).
pub(crate) fn read(root: &Path) -> HashMap<String, Date> {
    if git(root, &["rev-parse", "--is-shallow-repository"]).as_deref() != Some("false\n") {
        return HashMap::new();
    }
    // Newest first: the first commit naming a file is its last change. `--relative`
    // names files from `root`, which may be a folder inside the repository.
    let log = git(
        root,
        &[
            "-c",
            "core.quotepath=off",
            "log",
            "--no-renames",
            "--relative",
            "--name-only",
            "--format=%x01%cs",
            "--",
            "content",
        ],
    );
    parse(log.as_deref().unwrap_or(""))
}

/// Reads `git log --name-only --format=%x01%cs` output.
fn parse(log: &str) -> HashMap<String, Date> {
    let mut changed = HashMap::new();
    let mut day = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix('\u{1}') {
            day = parse_date(date.trim());
        } else if let (Some(d), false) = (day, line.is_empty()) {
            changed.entry(line.to_string()).or_insert(d);
        }
    }
    changed
}

/// `git -C root ARGS`' output, or `None` when git is missing or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_naming_a_file_dates_it() {
        let log = "\u{1}2026-11-20\n\ncontent/a/incident.md\ncontent/a/data.md\n\
                   \u{1}2026-11-02\n\ncontent/a/incident.md\ncontent/b/workflow.md\n";
        let h = parse(log);
        let day = |s: &str| parse_date(s);
        assert_eq!(h.get("content/a/incident.md").copied(), day("2026-11-20"));
        assert_eq!(h.get("content/a/data.md").copied(), day("2026-11-20"));
        assert_eq!(h.get("content/b/workflow.md").copied(), day("2026-11-02"));
        assert_eq!(h.get("content/c/rollout.md"), None);
    }

    #[test]
    fn a_folder_outside_a_repository_has_no_history() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(read(tmp.path()).is_empty());
    }
}

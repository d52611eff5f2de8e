//! When each file of the site last changed, from git history: one `git log` for the
//! whole site, read when the site is a git repository with its full history; and where
//! the repository keeps its HEAD and branches, so `serve` reads it again when they move.

use crate::domain::answers::{parse_date, Date};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// A site's git history as its pages show it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct History {
    /// The day of the last commit that changed each file of `content/`, by path from the
    /// site root (`content/support-triage/incident.md`).
    pub changed: HashMap<String, Date>,
    /// The repository's folders whose `HEAD`, `packed-refs` and `refs/` say which commit
    /// the site is at: its git folder and, for a linked worktree, the common one.
    pub heads: Vec<PathBuf>,
}

/// The history of the site at `root`. Empty when the site is not in a git repository,
/// `git` is not installed, or the clone is shallow (whose oldest commit would date every
/// file it holds).
pub(crate) fn read(root: &Path) -> History {
    let Some(dirs) = git(
        root,
        &[
            "rev-parse",
            "--is-shallow-repository",
            "--absolute-git-dir",
            "--git-common-dir",
        ],
    ) else {
        return History::default();
    };
    let mut lines = dirs.lines();
    if lines.next() != Some("false") {
        return History::default();
    }
    let mut heads: Vec<PathBuf> = Vec::new();
    for dir in lines.filter(|l| !l.is_empty()) {
        // `--git-common-dir` may be relative to `root`.
        let dir = root.join(dir);
        let dir = dir.canonicalize().unwrap_or(dir);
        if !heads.contains(&dir) {
            heads.push(dir);
        }
    }
    History {
        changed: changed(root),
        heads,
    }
}

/// Whether `path`, a changed file, moves the commit the site is at: a `HEAD`,
/// `packed-refs` or anything under `refs/` of one of `heads` (the index, logs and lock
/// files aside).
pub(crate) fn moves_head(heads: &[PathBuf], path: &Path) -> bool {
    heads.iter().any(|dir| {
        let Ok(rel) = path.strip_prefix(dir) else {
            return false;
        };
        let parts: Vec<&std::ffi::OsStr> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s),
                _ => None,
            })
            .collect();
        let lock = parts
            .last()
            .is_some_and(|n| n.to_string_lossy().ends_with(".lock"));
        match parts.as_slice() {
            [one] if *one == "HEAD" || *one == "packed-refs" => true,
            [first, _, ..] if *first == "refs" => !lock,
            _ => false,
        }
    })
}

/// The day of the last commit that changed each file of `content/` under `root`.
fn changed(root: &Path) -> HashMap<String, Date> {
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
        assert_eq!(read(tmp.path()), History::default());
    }

    #[test]
    fn only_head_packed_refs_and_refs_move_the_head() {
        let heads = [PathBuf::from("/repo/.git"), PathBuf::from("/common")];
        let moves = |p: &str| moves_head(&heads, Path::new(p));
        assert!(moves("/repo/.git/HEAD"));
        assert!(moves("/repo/.git/packed-refs"));
        assert!(moves("/repo/.git/refs/heads/main"));
        assert!(moves("/repo/.git/refs/heads/feature/x"));
        assert!(moves("/common/refs/heads/main"));
        assert!(moves("/common/HEAD"));
        assert!(!moves("/repo/.git/HEAD.lock"));
        assert!(!moves("/repo/.git/refs/heads/main.lock"));
        assert!(!moves("/repo/.git/refs"));
        assert!(!moves("/repo/.git/index"));
        assert!(!moves("/repo/.git/logs/HEAD"));
        assert!(!moves("/repo/.git/COMMIT_EDITMSG"));
        assert!(!moves("/repo/content/a/HEAD"));
        assert!(!moves("/elsewhere/refs/heads/main"));
        assert!(!moves_head(&[], Path::new("/repo/.git/HEAD")));
    }
}

//! Which output folder `build` may replace: never the site or a folder it reads, never a
//! file, and never a non-empty folder rollbook did not make unless `--force` says so.

use crate::output::marker::{is_ours, MARKER};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The site's folders the build reads.
pub(crate) const INPUTS: [&str; 4] = ["content", "static", "templates", "themes"];

/// An output folder that passed [`check`]: its canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked(PathBuf);

impl Checked {
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

/// `path` made absolute and free of symlinks, `.` and `..`: its nearest existing
/// ancestor canonicalised, and the rest (which does not exist yet) appended.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut last_err = None;
    for ancestor in path.ancestors() {
        match fs::canonicalize(ancestor) {
            Ok(mut real) => {
                let rest = path.strip_prefix(ancestor).unwrap_or(Path::new(""));
                for c in rest.components() {
                    match c {
                        Component::Normal(n) => real.push(n),
                        Component::ParentDir => {
                            real.pop();
                        }
                        _ => {}
                    }
                }
                return Ok(real);
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::from(io::ErrorKind::NotFound)))
}

fn refuse(out: &Path, why: &str, todo: &str) -> String {
    format!(
        "refusing to build into {}: {why}; nothing was changed. {todo}",
        out.display()
    )
}

const ELSEWHERE: &str = "Pass a folder of its own with -o, such as public";

/// Decides whether `build` may replace `output` (absolute, or relative to the current
/// folder) for the site in `root`. The error says which path, why, and what to do.
pub(crate) fn check(root: &Path, output: &Path, force: bool) -> Result<Checked, String> {
    let root = fs::canonicalize(root)
        .map_err(|e| format!("cannot read the site folder {}: {e}", root.display()))?;
    let out = resolve(output).map_err(|e| format!("cannot read {}: {e}", output.display()))?;
    if out.parent().is_none() {
        return Err(refuse(&out, "it is the root of the file system", ELSEWHERE));
    }
    if out == root {
        return Err(refuse(
            &out,
            "it is the site folder itself (it holds site.toml), and build replaces its output folder whole",
            ELSEWHERE,
        ));
    }
    if root.starts_with(&out) {
        return Err(refuse(
            &out,
            &format!(
                "it holds the site folder {}, and build replaces its output folder whole",
                root.display()
            ),
            ELSEWHERE,
        ));
    }
    for name in INPUTS {
        let input = resolve(&root.join(name)).unwrap_or_else(|_| root.join(name));
        let why = if out == input {
            format!("it is the site's {name}/ folder, which build reads")
        } else if input.starts_with(&out) {
            format!(
                "it holds the site's {name}/ folder ({}), which build reads",
                input.display()
            )
        } else if out.starts_with(&input) {
            format!("it lies inside the site's {name}/ folder, which build reads")
        } else {
            continue;
        };
        return Err(refuse(&out, &why, ELSEWHERE));
    }
    let Ok(meta) = fs::metadata(&out) else {
        // Not there yet, or unreadable (under a file, say): writing it creates it or
        // reports the OS's reason, and replaces nothing.
        return Ok(Checked(out));
    };
    if !meta.is_dir() {
        return Err(refuse(
            &out,
            "it is a file, not a folder, and build writes the site into a folder of its own",
            "Remove the file yourself if it should go, or pass another folder with -o",
        ));
    }
    let empty = fs::read_dir(&out)
        .map_err(|e| format!("cannot read {}: {e}", out.display()))?
        .next()
        .is_none();
    if empty || is_ours(&out) {
        return Ok(Checked(out));
    }
    if !force {
        return Err(refuse(
            &out,
            &format!("it is a folder with files in it that no rollbook build made (it has no {MARKER}), and build would replace everything in it"),
            "Pass a new or empty folder with -o, or add --force to replace this folder and all it holds",
        ));
    }
    forced(&out)
}

/// What `--force` still refuses: a git repository, the home folder, the current folder,
/// or a folder holding either.
fn forced(out: &Path) -> Result<Checked, String> {
    let keep = "Build into a folder of its own and copy the files where they should go";
    let in_git = out.components().any(|c| c.as_os_str() == ".git");
    let bare = out.join("HEAD").is_file() && out.join("objects").is_dir();
    if in_git || bare || fs::symlink_metadata(out.join(".git")).is_ok() {
        return Err(refuse(
            out,
            "it is, holds or lies inside a git repository, whose history build would delete, even with --force",
            keep,
        ));
    }
    let held = |p: Option<PathBuf>| {
        p.and_then(|p| fs::canonicalize(p).ok())
            .filter(|p| p.starts_with(out))
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(home) = held(home) {
        return Err(refuse(
            out,
            &format!(
                "it is or holds your home folder {}, even with --force",
                home.display()
            ),
            keep,
        ));
    }
    if let Some(cwd) = held(std::env::current_dir().ok()) {
        return Err(refuse(
            out,
            &format!(
                "it is or holds the current folder {}, even with --force",
                cwd.display()
            ),
            keep,
        ));
    }
    Ok(Checked(out.to_path_buf()))
}

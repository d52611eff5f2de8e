//! Walking `content/` and `static/`: every file and folder rollbook takes, and a
//! diagnostic naming each one it does not take (editor temp files aside).
//!
//! Symlinks are followed while their target stays inside the site folder and refused
//! (an error) when it leaves it. Names that would give an unsafe URL (not UTF-8, `%`,
//! `?`, `#`, `\`, control characters, only dots, …) are errors; names that only make
//! URLs awkward (spaces, punctuation) are warnings and the file is still published.
//! What cannot be read (a dangling symlink, a FIFO, a folder without permission) is a
//! warning naming it and the reason.

use crate::domain::diag::{Diagnostic, Kind};
use crate::load::read::rel;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Which folder is walked: hidden files are skipped (with a warning) in `content/` and
/// published in `static/`, which is copied verbatim (`.well-known/` and the like).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    Content,
    Static,
}

/// One file or folder taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Its path below the walked folder, with `/`.
    pub name: String,
    pub is_dir: bool,
}

/// Why a name is refused (error) or only discouraged (warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    Unsafe(String),
    Awkward(String),
}

/// Characters that change what a URL path means or where it ends.
const UNSAFE: [char; 9] = ['%', '?', '#', '\\', '"', '<', '>', '|', '*'];

/// Whether `name` (one path component) gives a safe, plain URL.
pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.chars().all(|c| c == '.') {
        return Some(NameProblem::Unsafe(
            "a name of dots only would step out of its folder in a URL".into(),
        ));
    }
    if name.trim() != name {
        return Some(NameProblem::Unsafe(
            "it starts or ends with a space, which URLs and some file systems drop".into(),
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(NameProblem::Unsafe(format!(
            "it holds the control character {}",
            c.escape_unicode()
        )));
    }
    if let Some(c) = name.chars().find(|c| UNSAFE.contains(c)) {
        let why = match c {
            '%' => "`%` would be decoded by web servers into another name (`%2e%2e` is `..`)",
            '?' | '#' => "its URL would end at that character",
            '\\' => "some servers read `\\` as a folder separator",
            _ => "the character is not allowed in file names on every system",
        };
        return Some(NameProblem::Unsafe(format!("it holds `{c}`: {why}")));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || "-_.~".contains(*c)))
    {
        let shown = if c == ' ' {
            "a space".to_string()
        } else {
            format!("`{c}`")
        };
        return Some(NameProblem::Awkward(format!(
            "it holds {shown}, so its URL must be percent-encoded and breaks easily in links"
        )));
    }
    None
}

/// Every file and folder below `dir` (to `max_depth`, all levels when `None`), sorted
/// by name, with a diagnostic for each entry not taken. `root` is the site folder:
/// symlinks must stay inside it, and messages name paths relative to it.
pub fn walk(
    root: &Path,
    dir: &Path,
    tree: Tree,
    max_depth: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut out = Vec::new();
    if fs::symlink_metadata(dir).is_err() {
        return out;
    }
    if !dir.is_dir() {
        diags.push(not_a_folder(root, dir, tree));
        return out;
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name();
    if let Some(depth) = max_depth {
        walker = walker.max_depth(depth);
    }
    let mut it = walker.into_iter();
    while let Some(next) = it.next() {
        let entry = match next {
            Ok(e) => e,
            Err(e) => {
                unreadable(root, &site, &e, diags);
                continue;
            }
        };
        let is_dir = entry.file_type().is_dir();
        if admit(&entry, root, &site, tree, diags) {
            out.push(Found {
                name: rel(dir, entry.path()),
                path: entry.path().to_path_buf(),
                is_dir,
            });
        } else if is_dir {
            it.skip_current_dir();
        }
    }
    out
}

/// `content` or `static` is a file, a link to one or a link to nothing, where the site
/// reads a folder.
fn not_a_folder(root: &Path, dir: &Path, tree: Tree) -> Diagnostic {
    let name = rel(root, dir);
    let is = if fs::metadata(dir).is_err() {
        "a link to nothing"
    } else {
        "a file"
    };
    let what = match tree {
        Tree::Content => format!(
            "rollbook reads the site's packs and pages from the folder `{name}/`; move it away and make the folder (`rollbook new <slug>` makes it, with a first pack)"
        ),
        Tree::Static => format!(
            "rollbook copies the folder `{name}/` into the site as it is; move it away, or make it a folder `{name}/`"
        ),
    };
    Diagnostic::error(
        Kind::PackLayout,
        &name,
        1,
        1,
        format!("`{name}` is {is}, not a folder: {what}"),
    )
}

/// Whether the walk takes `entry`: not when its name cannot be a URL, it is an editor's or
/// the system's file, a link out of the site `site` (canonical), hidden in `content/`, or
/// not a file or folder (each but the second said in `diags`). A folder not taken is
/// passed over whole. A name that is published but awkward, or a folder named like a
/// page, is taken with a warning.
fn admit(
    entry: &walkdir::DirEntry,
    root: &Path,
    site: &Path,
    tree: Tree,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let path = entry.path();
    let file = rel(root, path);
    let is_dir = entry.file_type().is_dir();
    let Some(name) = entry.file_name().to_str() else {
        diags.push(Diagnostic::error(
            Kind::PackLayout,
            &file,
            1,
            1,
            "the name is not valid UTF-8, so it has no URL; rename it",
        ));
        return false;
    };
    if is_temp_file(name) {
        return false;
    }
    if entry.path_is_symlink() && !inside(site, path) {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        diags.push(Diagnostic::error(
            Kind::ContentError,
            &file,
            1,
            1,
            format!("the symlink points to `{target}`, outside the site folder; rollbook publishes only what is in the site, so copy the file in or remove the link"),
        ));
        return false;
    }
    if tree == Tree::Content && is_housekeeping(name) {
        return false;
    }
    if name.starts_with('.') && tree == Tree::Content {
        diags.push(Diagnostic::warning(
            Kind::ContentWarning,
            &file,
            1,
            1,
            format!("hidden {} skipped: rollbook does not publish hidden files from content/; rename it without the leading dot to publish it", if is_dir { "folder" } else { "file" }),
        ));
        return false;
    }
    // Pack folders have their own, stricter rule (a slug).
    let pack_folder = tree == Tree::Content && is_dir && entry.depth() == 1;
    match name_problem(name).filter(|_| !pack_folder) {
        Some(NameProblem::Unsafe(why)) => {
            diags.push(Diagnostic::error(
                Kind::PackLayout,
                &file,
                1,
                1,
                format!("the name `{name}` would give an unsafe URL: {why}; rename it with letters, digits, `-`, `_` and `.`"),
            ));
            return false;
        }
        Some(NameProblem::Awkward(why)) => diags.push(Diagnostic::warning(
            Kind::ContentWarning,
            &file,
            1,
            1,
            format!("the name `{name}` is published, but {why}; rename it with letters, digits, `-`, `_` and `.`"),
        )),
        None => {}
    }
    if is_dir {
        if tree == Tree::Content && name.ends_with(".md") {
            diags.push(Diagnostic::warning(
                Kind::ContentWarning,
                &file,
                1,
                1,
                "this is a folder, not a page: rollbook reads pages from `.md` files only and copies the folder's files as they are; rename it if a page was meant",
            ));
        }
    } else if !entry.file_type().is_file() {
        diags.push(Diagnostic::warning(
            Kind::ContentWarning,
            &file,
            1,
            1,
            "cannot read it: it is not a regular file (a FIFO, socket or device); rollbook skips it, so replace it with a file or remove it",
        ));
        return false;
    }
    true
}

/// Whether `path`, symlinks resolved, lies inside the site folder `site` (canonical).
/// A dangling link is judged by where it points.
/// Files that operating systems and git leave in folders (`.DS_Store`, `.gitkeep`…): never
/// content, so `content/` passes over them without a warning, as it does editor temp files.
pub fn is_housekeeping(name: &str) -> bool {
    [
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        ".gitkeep",
        ".keep",
        ".gitignore",
        ".gitattributes",
    ]
    .contains(&name)
}

fn inside(site: &Path, path: &Path) -> bool {
    match path.canonicalize() {
        Ok(target) => target.starts_with(site),
        Err(_) => fs::read_link(path).is_ok_and(|target| {
            let base = path
                .parent()
                .and_then(|p| p.canonicalize().ok())
                .unwrap_or_default();
            fold(&base.join(target)).starts_with(site)
        }),
    }
}

/// Folds `.` and `..` out of a path without touching the disk.
pub fn fold(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn unreadable(root: &Path, site: &Path, e: &walkdir::Error, diags: &mut Vec<Diagnostic>) {
    let Some(path) = e.path() else {
        return;
    };
    let file = rel(root, path);
    if e.loop_ancestor().is_some() {
        diags.push(Diagnostic::warning(
            Kind::ContentWarning,
            &file,
            1,
            1,
            "cannot read it: the symlink points to a folder that contains it, a loop; rollbook skips it, so point it elsewhere or remove it",
        ));
        return;
    }
    if let Ok(target) = fs::read_link(path) {
        if !inside(site, path) {
            diags.push(Diagnostic::error(
                Kind::ContentError,
                &file,
                1,
                1,
                format!("the symlink points to `{}`, outside the site folder; rollbook publishes only what is in the site, so copy the file in or remove the link", target.display()),
            ));
        } else {
            diags.push(Diagnostic::warning(
                Kind::ContentWarning,
                &file,
                1,
                1,
                format!("cannot read it: the symlink points to `{}`, which does not exist; rollbook skips it, so fix the link or remove it", target.display()),
            ));
        }
        return;
    }
    let reason = e
        .io_error()
        .map_or_else(|| e.to_string(), ToString::to_string);
    diags.push(Diagnostic::warning(
        Kind::ContentWarning,
        &file,
        1,
        1,
        format!("cannot read it: {reason}; rollbook skips it, so check its permissions"),
    ));
}

/// Editor temp, swap, lock and backup files: never content, never a reason to rebuild.
/// Other hidden files are not temp files: `content/` warns about them, `static/` copies them.
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.starts_with(".~lock.")
        || name.starts_with(".goutputstream-")
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swn",
            ".tmp",
            ".bak",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files() {
        for t in [
            ".incident.md.swp",
            "incident.md~",
            "4913",
            "#incident.md#",
            ".#incident.md",
            "x.tmp",
            "incident.md___jb_tmp___",
        ] {
            assert!(is_temp_file(t), "{t}");
        }
        // Hidden files are not temp files: content/ warns about them, static/ copies them.
        for f in [
            "incident.md",
            "cases.jsonl",
            "tmp.md",
            ".DS_Store",
            ".well-known",
        ] {
            assert!(!is_temp_file(f), "{f}");
        }
    }

    #[test]
    fn names() {
        for ok in ["incident.md", "cases.jsonl", "café-zürich.png", "a_b~1.txt"] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        for unsafe_name in [
            "%2e%2e",
            "a%2fb.md",
            "..",
            "...",
            "a?b",
            "a#b.md",
            "a\\b",
            " lead.md",
            "trail.md ",
            "tab\there",
        ] {
            assert!(
                matches!(name_problem(unsafe_name), Some(NameProblem::Unsafe(_))),
                "{unsafe_name}"
            );
        }
        for awkward in ["My Notes.md", "a&b.png", "x(1).png"] {
            assert!(
                matches!(name_problem(awkward), Some(NameProblem::Awkward(_))),
                "{awkward}"
            );
        }
    }
}

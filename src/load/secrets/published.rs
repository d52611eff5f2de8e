//! The published folders besides `content/`: `static/`, the site's `templates/`, and the
//! theme's `static/` when the site has its own `themes/<name>/` (the built-in theme is not
//! read from disk). Every file that reads as UTF-8 text is scanned; binary files are not.

use crate::domain::diag::Diagnostic;
use crate::load::read::{rel, strip_bom};
use crate::load::walk::{self, Tree};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Warnings for the likely secrets in the published folders of the site at `root`
/// whose theme is `theme`, by file path relative to `root`.
pub fn scan_published(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let mut all = files(root, &root.join("static"));
    all.extend(files(root, &root.join("templates")));
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        all.extend(files(root, &theme_dir.join("static")));
    }
    all.par_iter()
        .flat_map_iter(|path| scan_file(root, path))
        .collect()
}

/// The files under `dir` as the loader takes them ([`walk::walk`]): temp files left out,
/// hidden files kept, symlinks followed while they stay inside the site. What the walk
/// reports about names or unreadable files is the loader's to report, not the scan's.
fn files(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut ignored = Vec::new();
    walk::walk(root, dir, Tree::Static, None, &mut ignored)
        .into_iter()
        .filter(|f| !f.is_dir)
        .map(|f| f.path)
        .collect()
}

fn scan_file(root: &Path, path: &Path) -> Vec<Diagnostic> {
    // A file that cannot be read is not published either; reporting it is the loader's job.
    let Ok(bytes) = fs::read(path) else {
        return Vec::new();
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let text = strip_bom(text);
            super::warnings(&rel(root, path), text)
        }
        Err(_) => Vec::new(),
    }
}

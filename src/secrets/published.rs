//! The published folders besides `content/`: `static/`, the site's `templates/`, and the
//! theme's `static/` when the site has its own `themes/<name>/` (the built-in theme is not
//! read from disk). Every file that reads as UTF-8 text is scanned; binary files are not.

use crate::diag::Diagnostic;
use crate::load::{is_temp_file, rel};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Warnings for the likely secrets in the published folders of the site at `root`
/// whose theme is `theme`, by file path relative to `root`.
pub fn scan_published(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let mut all = files(&root.join("static"), true);
    all.extend(files(&root.join("templates"), false));
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        all.extend(files(&theme_dir.join("static"), false));
    }
    all.par_iter()
        .flat_map_iter(|path| scan_file(root, path))
        .collect()
}

/// The regular files under `dir`, as the loader reads them: temp files left out, and for
/// `static/` also hidden folders (`prune`); symlinks are not followed.
fn files(dir: &Path, prune: bool) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !prune || e.depth() == 0 || e.file_name().to_str().is_some_and(|n| !is_temp_file(n))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name().to_str().is_some_and(|n| !is_temp_file(n)))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn scan_file(root: &Path, path: &Path) -> Vec<Diagnostic> {
    // A file that cannot be read is not published either; reporting it is the loader's job.
    let Ok(bytes) = fs::read(path) else {
        return Vec::new();
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            super::warnings(&rel(root, path), text)
        }
        Err(_) => Vec::new(),
    }
}

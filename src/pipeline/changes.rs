//! Which part of the site a changed path touches, so a save redoes only that part.

use crate::load::walk::is_temp_file;
use std::path::{Component, Path};

/// What a changed path asks to redo.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// `site.toml`: everything.
    Full,
    /// A template or theme file: render again, parse nothing.
    Theme,
    /// A file directly in `content/`, or a pack folder added or removed.
    Root,
    /// Something under `static/`, by its path there (empty: the folder itself).
    Static(String),
    /// Any file of one pack.
    Pack(String),
}

/// The change a path under `root` makes, or `None` for paths the site does not read
/// (editor temp files, the output folder, version control).
pub(crate) fn classify(root: &Path, path: &Path) -> Option<Change> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.last().is_none_or(|name| is_temp_file(name)) {
        return None;
    }
    match parts.first().map(String::as_str) {
        Some("site.toml") if parts.len() == 1 => Some(Change::Full),
        Some("templates" | "themes") => Some(Change::Theme),
        Some("static") => Some(Change::Static(parts.get(1..)?.join("/"))),
        Some("content") => match parts.len() {
            // `content/` itself, a file in it, or a pack folder added or removed.
            0..=2 => Some(Change::Root),
            _ => parts.get(1).map(|slug| Change::Pack(slug.clone())),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_paths() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p));
        assert_eq!(c("site.toml"), Some(Change::Full));
        assert_eq!(c("templates/base.html"), Some(Change::Theme));
        assert_eq!(c("themes/x/static/a.css"), Some(Change::Theme));
        assert_eq!(
            c("static/img/a.png"),
            Some(Change::Static("img/a.png".into()))
        );
        assert_eq!(c("content/_index.md"), Some(Change::Root));
        assert_eq!(c("content/new-pack"), Some(Change::Root));
        assert_eq!(c("content/pack/data.md"), Some(Change::Pack("pack".into())));
        assert_eq!(
            c("content/pack/evals/cases.jsonl"),
            Some(Change::Pack("pack".into()))
        );
        assert_eq!(c("content/pack/.data.md.swp"), None);
        assert_eq!(c("content/pack/data.md~"), None);
        assert_eq!(c("content/pack/4913"), None);
        assert_eq!(c("content/pack/.#data.md"), None);
        // Hidden files are reported by the walk, so a change to one rebuilds.
        assert_eq!(
            c("content/pack/.DS_Store"),
            Some(Change::Pack("pack".into()))
        );
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c(".git/index"), None);
    }
}

//! Themes: the embedded default theme, a site's own themes, and its template overrides.

use crate::domain::diag::{Diagnostic, Kind};
use crate::load::read::rel;
use crate::load::walk::is_temp_file;
use include_dir::{include_dir, Dir};
use std::fs;
use std::path::Path;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's templates (name → source) and static files (path → bytes),
/// with the site's `templates/` overrides applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Theme {
    pub templates: Vec<(String, String)>,
    /// Where each template came from, for messages.
    pub origins: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    fn set_template(&mut self, name: String, source: String, origin: String) {
        self.origins.retain(|(n, _)| *n != name);
        self.templates.retain(|(n, _)| *n != name);
        self.origins.push((name.clone(), origin));
        self.templates.push((name, source));
    }

    pub(crate) fn origin(&self, name: &str) -> String {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.to_string(), |(_, o)| o.clone())
    }
}

/// The theme `name` of the site at `root`: `themes/<name>/` when it exists, else
/// the embedded default; then every file of `templates/` replaces its namesake.
pub(crate) fn load(
    root: &Path,
    name: &str,
    at: (usize, usize),
    diags: &mut Vec<Diagnostic>,
) -> Theme {
    let mut theme = Theme::default();
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        read_dir_into(
            root,
            &dir.join("templates"),
            &mut |path, text| {
                theme.set_template(
                    path.clone(),
                    text,
                    format!("themes/{name}/templates/{path}"),
                );
            },
            diags,
        );
        for (path, bytes) in files(&dir.join("static")) {
            theme.statics.push((path, bytes));
        }
    } else if name == "default" {
        embedded_into(&mut theme);
    } else {
        diags.push(Diagnostic::error(
            Kind::Theme,
            crate::domain::config::FILE,
            at.0,
            at.1,
            format!("theme `{name}` not found: add a themes/{name}/ folder with templates/ and static/, or use theme = \"default\""),
        )
        .with_source(&fs::read_to_string(root.join(crate::domain::config::FILE)).unwrap_or_default()));
        embedded_into(&mut theme);
    }
    read_dir_into(
        root,
        &root.join("templates"),
        &mut |path, text| {
            theme.set_template(path.clone(), text, format!("templates/{path}"));
        },
        diags,
    );
    theme
}

fn embedded_into(theme: &mut Theme) {
    let mut stack = vec![&DEFAULT];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            if let Some(d) = entry.as_dir() {
                stack.push(d);
            } else if let Some(f) = entry.as_file() {
                let path = f.path().to_string_lossy().replace('\\', "/");
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(f.contents()).into_owned();
                    theme.set_template(
                        name.to_string(),
                        text,
                        format!("(built-in theme) templates/{name}"),
                    );
                } else if let Some(name) = path.strip_prefix("static/") {
                    theme
                        .statics
                        .push((name.to_string(), f.contents().to_vec()));
                }
            }
        }
    }
    theme.templates.sort();
    theme.statics.sort();
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| !is_temp_file(n) && !n.starts_with('.'))
        })
        .filter_map(|e| Some((rel(dir, e.path()), fs::read(e.path()).ok()?)))
        .collect()
}

fn read_dir_into(
    root: &Path,
    dir: &Path,
    add: &mut dyn FnMut(String, String),
    diags: &mut Vec<Diagnostic>,
) {
    for (path, bytes) in files(dir) {
        match String::from_utf8(bytes) {
            Ok(text) => add(path, text),
            Err(_) => diags.push(Diagnostic::error(
                Kind::UnreadableFile,
                &rel(root, &dir.join(&path)),
                1,
                1,
                "the template is not valid UTF-8; save it as UTF-8",
            )),
        }
    }
}

/// The embedded default theme, for tests.
#[cfg(test)]
pub(crate) fn default_theme() -> Theme {
    let mut theme = Theme::default();
    embedded_into(&mut theme);
    theme
}

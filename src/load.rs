//! Loading: reads `site.toml`, every pack and the static files into a [`Site`], with diagnostics.

use crate::answers::{self, State};
use crate::config::{self, Config};
use crate::diag::{line_col, Diagnostic, LineIndex};
use crate::eval;
use crate::frontmatter;
use crate::model::{url_path, Asset, EvalFiles, Pack, Page, Section};
use crate::schema::{self, SectionDef, RESERVED_SLUGS, RESERVED_STEMS};
use crate::secrets;
use crate::validate::{self, Source};
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep pages whose front-matter says `draft = true`.
    pub drafts: bool,
}

/// Editor temp, swap and backup files: never content, never a reason to rebuild.
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// `path` relative to `root`, with `/` separators, for messages.
pub fn rel(root: &Path, path: &Path) -> String {
    let p = path.strip_prefix(root).unwrap_or(path);
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8 text without its BOM; an unreadable or non-UTF-8 file is an error.
pub fn read_text(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let file = rel(root, path);
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &file,
                1,
                1,
                format!("cannot read the file: {e}; check that it exists and is readable"),
            ));
            return None;
        }
    };
    text_of(&file, bytes, diags)
}

fn text_of(file: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(match s.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => s,
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            let (line, col) = line_col(&prefix, prefix.len());
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("the file is not valid UTF-8 (bad byte at offset {valid}); save it as UTF-8"),
                )
                .with_source(&prefix),
            );
            None
        }
    }
}

fn scan_secrets(file: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    let findings = secrets::scan(text);
    if findings.is_empty() {
        return;
    }
    let lines = LineIndex::new(text);
    for f in findings {
        diags.push(
            Diagnostic::warning(
                file,
                f.line,
                f.column,
                format!(
                    "this looks like a secret ({}); remove it and rotate it, content is published",
                    f.kind
                ),
            )
            .with_source_from(&lines),
        );
    }
}

/// Reads and checks one Markdown page. `None` when it cannot be read or is a draft left out.
pub fn read_page(
    root: &Path,
    path: &Path,
    content_path: &str,
    section: Option<&SectionDef>,
    opts: Options,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let file = rel(root, path);
    let text = read_text(root, path, diags)?;
    scan_secrets(&file, &text, diags);
    let (fm, body_offset) = match frontmatter::split(&text) {
        Ok(split) => {
            let fm = match split.toml {
                Some((toml, offset)) => {
                    let src = Source::new(&file, &text, offset);
                    validate::parse(&src, toml, section, diags)
                }
                None => answers::FrontMatter {
                    answers: section
                        .map_or_else(Vec::new, |s| vec![answers::Answer::MISSING; s.fields.len()]),
                    ..Default::default()
                },
            };
            (fm, split.body_offset)
        }
        Err(frontmatter::Unterminated) => {
            diags.push(
                Diagnostic::error(
                    &file,
                    1,
                    1,
                    "front-matter opened with `+++` is never closed; add a `+++` line after the TOML",
                )
                .with_source(&text),
            );
            return None;
        }
    };
    if fm.draft && !opts.drafts {
        return None;
    }
    Some(Page {
        file,
        content_path: content_path.to_string(),
        url_path: url_path(content_path),
        text,
        fm,
        body_offset,
    })
}

/// The files directly in `content/` and under `static/`, and the pack folders found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RootContent {
    pub home: Option<Page>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    pub statics: Vec<Asset>,
    pub pack_slugs: Vec<String>,
}

/// Loads `content/` itself (home page, site pages, files), `static/`, and lists the packs.
pub fn load_root(root: &Path, opts: Options, diags: &mut Vec<Diagnostic>) -> RootContent {
    let content = root.join("content");
    let mut out = RootContent::default();
    for (path, name) in list_dir(&content) {
        let content_path = name.clone();
        if path.is_dir() {
            if !schema::valid_slug(&name) {
                diags.push(Diagnostic::error(
                    &rel(root, &path),
                    1,
                    1,
                    format!("pack folder `{name}` is not a valid slug; rename it with lowercase letters, digits and hyphens only"),
                ));
            } else if RESERVED_SLUGS.contains(&name.as_str()) {
                diags.push(Diagnostic::error(
                    &rel(root, &path),
                    1,
                    1,
                    format!("`{name}` is used by the site itself; rename the pack folder"),
                ));
            } else {
                out.pack_slugs.push(name);
            }
        } else if name == "_index.md" {
            out.home = read_page(root, &path, &content_path, None, opts, diags);
        } else if name.ends_with(".md") {
            let stem = name.trim_end_matches(".md");
            if RESERVED_SLUGS.contains(&stem) || site_has_dir(&content, stem) {
                diags.push(Diagnostic::error(
                    &rel(root, &path),
                    1,
                    1,
                    format!("the page `{name}` would take the URL of `{stem}/`, which is already used; rename the file"),
                ));
            } else if let Some(p) = read_page(root, &path, &content_path, None, opts, diags) {
                out.pages.push(p);
            }
        } else if let Some(a) = read_asset(root, &path, content_path, diags) {
            out.assets.push(a);
        }
    }
    out.statics = load_statics(root);
    out
}

/// Every file of `static/`.
pub fn load_statics(root: &Path) -> Vec<Asset> {
    let static_dir = root.join("static");
    walk(&static_dir)
        .iter()
        .filter_map(|p| read_static(&static_dir, p))
        .collect()
}

/// One file of `static/`, by its path there (which is also its output path).
pub fn read_static(static_dir: &Path, path: &Path) -> Option<Asset> {
    let bytes = fs::read(path).ok()?;
    Some(Asset {
        path: rel(static_dir, path),
        bytes,
    })
}

fn site_has_dir(content: &Path, name: &str) -> bool {
    content.join(name).is_dir()
}

/// Reads `site.toml`; a missing file leaves the defaults.
pub fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Config {
    let path = root.join(config::FILE);
    match read_text(root, &path, diags) {
        Some(text) => config::parse(&text, diags),
        None => Config::default(),
    }
}

/// Entries of a folder by name, skipping hidden, temp files and symlinks.
fn list_dir(dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, String)> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_symlink()))
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            (!is_temp_file(&name)).then(|| (e.path(), name))
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// Every regular file below `dir`, sorted, skipping hidden and temp files and symlinks.
fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || e.file_name().to_str().is_some_and(|n| !is_temp_file(n))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn read_asset(
    root: &Path,
    path: &Path,
    content_path: String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Asset> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &rel(root, path),
                1,
                1,
                format!("cannot read the file: {e}; check that it exists and is readable"),
            ));
            return None;
        }
    };
    // Every file that reads as text is published as it is: key files, .env, eval data.
    if let Ok(text) = std::str::from_utf8(&bytes) {
        scan_secrets(&rel(root, path), text, diags);
    }
    Some(Asset {
        path: content_path,
        bytes,
    })
}

/// Loads one pack folder `content/<slug>/`.
pub fn load_pack(root: &Path, slug: &str, opts: Options) -> (Pack, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let dir = root.join("content").join(slug);
    let mut pack = Pack::empty(slug);
    for path in walk(&dir) {
        let inner = rel(&dir, &path);
        let content_path = format!("{slug}/{inner}");
        let Some(stem) = inner.strip_suffix(".md") else {
            if let Some(a) = read_asset(root, &path, content_path, &mut diags) {
                pack.assets.push(a);
            }
            continue;
        };
        if let Some(i) = schema::section_index(stem) {
            let def = schema::SECTIONS.get(i);
            let page = read_page(root, &path, &content_path, def, opts, &mut diags);
            if let Some(section) = pack.sections.get_mut(i) {
                section.page = page;
            }
        } else if stem == "_index" {
            pack.intro = read_page(root, &path, &content_path, None, opts, &mut diags);
        } else if RESERVED_STEMS.contains(&stem) {
            diags.push(Diagnostic::error(
                &rel(root, &path),
                1,
                1,
                format!("`{stem}.md` is reserved: rollbook writes the pack's {stem} page itself; rename the file"),
            ));
        } else if let Some(p) = read_page(root, &path, &content_path, None, opts, &mut diags) {
            pack.pages.push(p);
        }
    }
    pack.eval = load_eval(root, &dir, &pack.sections, &mut diags);
    (pack, diags)
}

/// Resolves `eval_set` and `results` against the pack folder, counts and parses them.
fn load_eval(
    root: &Path,
    dir: &Path,
    sections: &[Section],
    diags: &mut Vec<Diagnostic>,
) -> EvalFiles {
    let mut out = EvalFiles::default();
    let Some(section) = sections.iter().find(|s| s.def.stem == "evaluation") else {
        return out;
    };
    let Some(page) = &section.page else {
        return out;
    };
    for field in ["eval_set", "results"] {
        let Some(text) = section.answer(field).text() else {
            continue;
        };
        if text.state != State::Filled {
            continue;
        }
        out.sources
            .push(rel(root, &fold(&dir.join(text.value.trim()))));
        let Some(path) = resolve_in_content(root, dir, text.value.trim()) else {
            diags.push(
                Diagnostic::error(
                    &page.file,
                    text.line,
                    text.column,
                    format!(
                        "`{field}` file `{}` does not exist in the pack folder {}/; fix the path (it is relative to the pack folder) or add the file",
                        text.value.trim(),
                        rel(root, dir)
                    ),
                )
                .with_source(&page.text),
            );
            continue;
        };
        let file = rel(root, &path);
        let Some(content) = read_text(root, &path, diags) else {
            continue;
        };
        if field == "eval_set" {
            match eval::count_cases(&file, &content) {
                Ok(n) => out.cases = Some(n),
                Err(e) => diags.push(
                    Diagnostic::error(&file, e.line, e.column, e.message).with_source(&content),
                ),
            }
        } else {
            let (runs, errors) = eval::parse_results(&content);
            let lines = LineIndex::new(&content);
            for e in errors {
                diags.push(
                    Diagnostic::error(&file, e.line, e.column, e.message).with_source_from(&lines),
                );
            }
            out.runs = runs;
            out.results_file = Some(file);
        }
    }
    out
}

/// Folds `.` and `..` out of a path without touching the disk.
fn fold(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path relative to the pack folder that exists and stays inside `content/`.
fn resolve_in_content(root: &Path, dir: &Path, rel_path: &str) -> Option<PathBuf> {
    let path = dir.join(rel_path);
    let canonical = path.canonicalize().ok()?;
    let content = root.join("content").canonicalize().ok()?;
    (canonical.starts_with(&content) && canonical.is_file()).then_some(path)
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
        for f in ["incident.md", "cases.jsonl", "tmp.md"] {
            assert!(!is_temp_file(f), "{f}");
        }
    }

    #[test]
    fn invalid_utf8_position() {
        let mut d = Vec::new();
        assert!(text_of("f.md", b"ok\nab\xffc".to_vec(), &mut d).is_none());
        assert_eq!((d[0].line, d[0].column), (2, 3));
    }
}

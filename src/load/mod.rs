//! Loading: reads `site.toml`, every pack and the static files into a [`Site`], with diagnostics.

pub mod eval_files;
pub mod frontmatter;
pub(crate) mod history;
pub mod read;
pub mod secrets;
pub mod site_toml;
pub mod toml_values;
pub mod validate;
pub mod walk;

use self::validate::Source;
use self::walk::{Found, Tree};
use crate::domain::answers::{self, State};
use crate::domain::config::Config;
use crate::domain::diag::{Diagnostic, Kind, LineIndex};
use crate::domain::field::{Field, SectionId};
use crate::domain::model::{Asset, EvalFiles, Pack, Page, Section};
use crate::domain::schema::{self, SectionDef, RESERVED_SLUGS, RESERVED_STEMS};
use std::collections::HashSet;
use std::fs;
use std::path::Path;

use self::read::{read_bytes, read_text, rel, text_of};

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep pages whose front-matter says `draft = true`.
    pub drafts: bool,
}

fn scan_secrets(file: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    diags.extend(secrets::warnings(file, text));
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
    let text = text_of(&file, read_bytes(root, path, diags)?, diags)?;
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
                Diagnostic::error(Kind::TomlSyntax,
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
    Some(Page::new(&file, content_path, text, fm, body_offset))
}

/// The files directly in `content/`, and the pack folders found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RootContent {
    pub home: Option<Page>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    pub pack_slugs: Vec<String>,
}

/// Loads `content/` itself (home page, site pages, files) and lists the packs.
pub fn load_root(root: &Path, opts: Options, diags: &mut Vec<Diagnostic>) -> RootContent {
    let content = root.join("content");
    let mut out = RootContent::default();
    let entries = walk::walk(root, &content, Tree::Content, Some(1), diags);
    for Found {
        path, name, is_dir, ..
    } in &entries
    {
        let (path, name) = (path.clone(), name.clone());
        let content_path = name.clone();
        if *is_dir {
            if !schema::valid_slug(&name) {
                diags.push(Diagnostic::error(Kind::PackLayout,
                    &rel(root, &path),
                    1,
                    1,
                    format!("pack folder `{name}` is not a valid slug; rename it with lowercase letters, digits and hyphens only"),
                ));
            } else if RESERVED_SLUGS.contains(&name.as_str()) {
                diags.push(Diagnostic::error(
                    Kind::PackLayout,
                    &rel(root, &path),
                    1,
                    1,
                    format!("`{name}` is used by the site itself; rename the pack folder"),
                ));
            } else if name.len() > MAX_SLUG_BYTES {
                diags.push(Diagnostic::error(Kind::PackLayout,
                    &rel(root, &path),
                    1,
                    1,
                    format!(
                        "pack folder name is {} bytes long; the site names its badge `badges/<slug>.svg`, and a file name may hold at most 255 bytes, so shorten the folder name to {MAX_SLUG_BYTES} bytes or fewer",
                        name.len()
                    ),
                ));
            } else {
                out.pack_slugs.push(name);
            }
        } else if name == "_index.md" {
            out.home = read_page(root, &path, &content_path, None, opts, diags);
        } else if name.ends_with(".md") {
            let stem = name.trim_end_matches(".md");
            if RESERVED_SLUGS.contains(&stem) || site_has_dir(&entries, stem) {
                diags.push(Diagnostic::error(Kind::PackLayout,
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
    out
}

/// The longest pack folder name whose badge file name (`<slug>.svg`) fits in 255 bytes.
pub const MAX_SLUG_BYTES: usize = 255 - ".svg".len();

/// Every file of `static/`.
pub fn load_statics(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Asset> {
    let static_dir = root.join("static");
    walk::walk(root, &static_dir, Tree::Static, None, diags)
        .iter()
        .filter(|f| !f.is_dir)
        .filter_map(|f| read_static(root, &f.path, diags))
        .collect()
}

/// One file of `static/`, by its path there (which is also its output path).
pub fn read_static(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Asset> {
    let bytes = read_bytes(root, path, diags)?;
    Some(Asset {
        path: rel(&root.join("static"), path),
        bytes,
    })
}

fn site_has_dir(entries: &[Found], name: &str) -> bool {
    entries.iter().any(|f| f.is_dir && f.name == name)
}

/// Reads `site.toml`; a missing file leaves the defaults.
pub fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Config {
    let path = root.join(crate::domain::config::FILE);
    match read_text(root, &path, diags) {
        Some(text) => site_toml::parse(&text, diags),
        None => Config::default(),
    }
}

fn read_asset(
    root: &Path,
    path: &Path,
    content_path: String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Asset> {
    let bytes = read_bytes(root, path, diags)?;
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
    let files = walk::walk(root, &dir, Tree::Content, None, &mut diags);
    for Found {
        path, name: inner, ..
    } in files.into_iter().filter(|f| !f.is_dir)
    {
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
            diags.push(Diagnostic::error(Kind::PackLayout,
                &rel(root, &path),
                1,
                1,
                format!("`{stem}.md` is reserved: rollbook writes the pack's {stem} page itself; rename the file"),
            ));
        } else if let Some(p) = read_page(root, &path, &content_path, None, opts, &mut diags) {
            pack.pages.push(p);
        }
    }
    pack.eval = load_eval(root, &dir, &pack.sections, &pack.assets, &mut diags);
    (pack, diags)
}

/// Resolves `eval_set` and `results` against the pack folder, counts and parses them.
/// Each file is read and reported once: a file of the pack folder is taken from the
/// pack's copied files, and one the walk already reported is not reported again.
fn load_eval(
    root: &Path,
    dir: &Path,
    sections: &[Section],
    assets: &[Asset],
    diags: &mut Vec<Diagnostic>,
) -> EvalFiles {
    let mut out = EvalFiles::default();
    let Some(section) = sections
        .iter()
        .find(|s| s.def.stem == SectionId::Evaluation.as_str())
    else {
        return out;
    };
    let Some(page) = &section.page else {
        return out;
    };
    let at = EvalPack {
        root,
        dir,
        content: root.join("content"),
        page,
        assets,
    };
    for field in [Field::EvalSet, Field::Results] {
        let Some(text) = section.answer(field).text() else {
            continue;
        };
        if text.state != State::Filled {
            continue;
        }
        let lexical = walk::fold(&dir.join(text.value.trim()));
        out.sources.push(rel(root, &lexical));
        if let Some(bytes) = at.read(field, text, &lexical, diags) {
            parse_eval(field, &rel(root, &lexical), bytes, &mut out, diags);
        }
    }
    out
}

/// A pack's eval files are looked up from its evaluation page, in its folder.
struct EvalPack<'a> {
    root: &'a Path,
    dir: &'a Path,
    content: std::path::PathBuf,
    page: &'a Page,
    assets: &'a [Asset],
}

impl EvalPack<'_> {
    /// The bytes of the file `field` names (already folded into `lexical`); `None` once
    /// what is wrong with it is reported, or when the walk reported it already.
    fn read(
        &self,
        field: Field,
        text: &answers::Text,
        lexical: &Path,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Vec<u8>> {
        let (root, page) = (self.root, self.page);
        let value = text.value.trim();
        let file = rel(root, lexical);
        let reported = |diags: &[Diagnostic]| diags.iter().any(|d| d.file == file);
        let problem = match eval_file(root, &self.content, lexical) {
            EvalFile::File => None,
            EvalFile::Missing => Some((Kind::MissingEvalFile, format!(
                "`{field}` file `{value}` does not exist in the pack folder {}/; fix the path (it is relative to the pack folder) or add the file",
                rel(root, self.dir)
            ))),
            EvalFile::Folder => Some((Kind::ContentError, format!(
                "`{field}` names `{value}`, which is a folder; name the file inside it"
            ))),
            EvalFile::Unreadable(why) if !reported(diags) => {
                diags.push(
                    Diagnostic::warning(Kind::ContentWarning,
                        page.file(),
                        text.line,
                        text.column,
                        format!("cannot read the `{field}` file `{value}`: {why}; fix the file"),
                    )
                    .with_source(&page.text),
                );
                return None;
            }
            EvalFile::Unreadable(_) => return None,
        };
        if let Some((kind, message)) = problem {
            diags.push(
                Diagnostic::error(kind, page.file(), text.line, text.column, message)
                    .with_source(&page.text),
            );
            return None;
        }
        let content_path = rel(&self.content, lexical);
        match self.assets.iter().find(|a| a.path == content_path) {
            Some(a) => Some(a.bytes.clone()),
            None if reported(diags) => None,
            None => read_bytes(root, lexical, diags),
        }
    }
}

/// Counts the eval set's cases or parses the results into `out`. The same file named
/// twice (or reported by the walk) is reported once: each of its lines at most once.
fn parse_eval(
    field: Field,
    file: &str,
    bytes: Vec<u8>,
    out: &mut EvalFiles,
    diags: &mut Vec<Diagnostic>,
) {
    let mut own = Vec::new();
    let text = text_of(file, bytes, &mut own);
    let mut found = Vec::new();
    if let Some(content) = &text {
        if field == Field::EvalSet {
            match eval_files::count_cases(file, content) {
                Ok(n) => out.cases = Some(n),
                Err(e) => found.push(e),
            }
        } else {
            let (runs, errors) = eval_files::parse_results(content);
            found.extend(errors);
            out.runs = runs;
            out.results_file = Some(file.to_string());
        }
    }
    let content = text.as_deref().unwrap_or_default();
    let lines = LineIndex::new(content);
    own.extend(found.into_iter().map(|e| {
        Diagnostic::error(Kind::EvalData, file, e.line, e.column, e.message)
            .with_source_from(&lines)
    }));
    let seen: HashSet<(&str, usize)> = diags
        .iter()
        .filter(|o| o.file == file)
        .map(|o| (o.file.as_str(), o.line))
        .collect();
    let fresh: Vec<Diagnostic> = own
        .into_iter()
        .filter(|d| !seen.contains(&(d.file.as_str(), d.line)))
        .collect();
    diags.extend(fresh);
}

/// What an eval path names.
enum EvalFile {
    File,
    Missing,
    Folder,
    Unreadable(String),
}

/// Looks up an eval path (already folded): it must stay inside `content/` as written,
/// and, symlinks resolved, inside the site folder.
fn eval_file(root: &Path, content: &Path, path: &Path) -> EvalFile {
    if !path.starts_with(content) {
        return EvalFile::Missing;
    }
    let Ok(link) = fs::symlink_metadata(path) else {
        return EvalFile::Missing;
    };
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match (fs::metadata(path), path.canonicalize()) {
        (Ok(meta), Ok(target)) if target.starts_with(&site) => {
            if meta.is_dir() {
                EvalFile::Folder
            } else if meta.is_file() {
                EvalFile::File
            } else {
                EvalFile::Unreadable("it is not a regular file (a FIFO, socket or device)".into())
            }
        }
        (Ok(_), Ok(_)) => {
            EvalFile::Unreadable("it is a symlink to a file outside the site folder".into())
        }
        (Err(e), _) | (_, Err(e)) if link.file_type().is_symlink() => {
            EvalFile::Unreadable(format!("it is a symlink that cannot be followed ({e})"))
        }
        (Err(e), _) | (_, Err(e)) => EvalFile::Unreadable(e.to_string()),
    }
}

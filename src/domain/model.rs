//! The loaded site: packs, their sections and pages, as read from disk.

use crate::domain::answers::{Answer, FrontMatter};
use crate::domain::config::Config;
use crate::domain::diag::line_col;
use crate::domain::eval::Run;
use crate::domain::field::{Field, SectionId};
use crate::domain::schema::{FieldDef, SectionDef, SECTIONS};
use std::path::PathBuf;

/// A Markdown file of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its file, content path and output folder: see [`Page::file`].
    paths: Paths,
    /// The whole file, BOM removed.
    pub text: String,
    pub fm: FrontMatter,
    /// Byte offset of the Markdown body in `text`.
    pub body_offset: usize,
}

/// A page's three paths in one string: a build keeps every page's paths to the end. The
/// content path is the file's tail (written after it only if it is not), the output
/// folder comes last.
#[derive(Debug, Clone, PartialEq)]
struct Paths {
    all: Box<str>,
    file_end: u32,
    content_start: u32,
    url_start: u32,
}

impl Page {
    /// A page read from `file` (relative to the site root) at `content_path` (relative to
    /// `content/`).
    pub fn new(
        file: &str,
        content_path: &str,
        text: String,
        fm: FrontMatter,
        body_offset: usize,
    ) -> Page {
        let mut all = String::from(file);
        let content_start = match file.strip_suffix(content_path) {
            Some(head) => head.len(),
            None => {
                all.push_str(content_path);
                file.len()
            }
        };
        let url_start = all.len();
        all.push_str(&url_path(content_path));
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Page {
            paths: Paths {
                all: all.into_boxed_str(),
                file_end: at(file.len()),
                content_start: at(content_start),
                url_start: at(url_start),
            },
            text,
            fm,
            body_offset,
        }
    }

    fn path(&self, from: u32, to: Option<u32>) -> &str {
        let all = &self.paths.all;
        let to = to.map_or(all.len(), |t| t as usize);
        all.get(from as usize..to).unwrap_or("")
    }

    /// Path relative to the site root, with `/`: `content/support-triage/incident.md`.
    pub fn file(&self) -> &str {
        self.path(0, Some(self.paths.file_end))
    }

    /// Path relative to `content/`: `support-triage/incident.md`.
    pub fn content_path(&self) -> &str {
        self.path(self.paths.content_start, Some(self.paths.url_start))
    }

    /// Output folder relative to the base path: `support-triage/incident/`.
    pub fn url_path(&self) -> &str {
        self.path(self.paths.url_start, None)
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }

    /// 1-based file line where the body starts.
    pub fn body_line(&self) -> usize {
        line_col(&self.text, self.body_offset).0
    }
}

/// Output folder of a content path: `x/notes.md` → `x/notes/`, `x/_index.md` → `x/`.
pub(crate) fn url_path(content_path: &str) -> String {
    let stem = content_path.strip_suffix(".md").unwrap_or(content_path);
    if stem == "_index" {
        String::new()
    } else if let Some(dir) = stem.strip_suffix("/_index") {
        format!("{dir}/")
    } else {
        format!("{stem}/")
    }
}

/// A file copied as it is, next to the pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Path relative to `content/` (or `static/`), which is also its output path.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One of the nine sections; `page` is `None` when its file is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub def: &'static SectionDef,
    pub page: Option<Page>,
}

impl Section {
    /// The answer to `field`; missing when the field is another section's.
    pub fn answer(&self, field: Field) -> &Answer {
        if field.section().as_str() != self.def.stem {
            return &Answer::MISSING;
        }
        field
            .index()
            .map_or(&Answer::MISSING, |i| self.answer_at(i))
    }

    fn answer_at(&self, index: usize) -> &Answer {
        self.page
            .as_ref()
            .and_then(|p| p.fm.answers.get(index))
            .unwrap_or(&Answer::MISSING)
    }

    pub fn answers(&self) -> impl Iterator<Item = (&'static FieldDef, &Answer)> + '_ {
        self.def
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f, self.answer_at(i)))
    }

    pub fn filled(&self) -> usize {
        self.answers()
            .filter(|(f, a)| f.counted && a.filled())
            .count()
    }

    pub fn missing(&self) -> Vec<&'static str> {
        self.answers()
            .filter(|(f, a)| f.counted && !a.filled())
            .map(|(f, _)| f.name)
            .collect()
    }

    /// Filled fields in percent, rounded down.
    pub fn completeness(&self) -> u32 {
        percent(self.filled(), self.def.counted())
    }

    pub fn file(&self) -> String {
        self.page
            .as_ref()
            .map_or_else(String::new, |p| p.file().to_string())
    }
}

/// `part / whole` in percent, rounded down; 100 only when all are there.
pub(crate) fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 100;
    }
    u32::try_from(part.min(whole) * 100 / whole).unwrap_or(100)
}

/// The evaluation files of a pack.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalFiles {
    /// Cases in the eval set, when it was found and read.
    pub cases: Option<usize>,
    pub runs: Vec<Run>,
    /// The results file relative to the site root.
    pub results_file: Option<String>,
    /// The eval files the pack reads (found or not), relative to the site root: a change
    /// to one of them reloads the pack, wherever in `content/` it is.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub slug: String,
    /// Always nine, in schema order.
    pub sections: Vec<Section>,
    /// `_index.md` of the pack folder: an introduction on the overview.
    pub intro: Option<Page>,
    /// Other Markdown pages of the pack, by path.
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    pub eval: EvalFiles,
}

impl Pack {
    pub fn empty(slug: &str) -> Self {
        Pack {
            slug: slug.to_string(),
            sections: SECTIONS
                .iter()
                .map(|def| Section { def, page: None })
                .collect(),
            intro: None,
            pages: Vec::new(),
            assets: Vec::new(),
            eval: EvalFiles::default(),
        }
    }

    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.def.stem == id.as_str())
    }

    pub fn answer(&self, field: Field) -> &Answer {
        self.section(field.section())
            .map_or(&Answer::MISSING, |s| s.answer(field))
    }

    /// The workflow's name when filled, else the slug.
    pub fn name(&self) -> String {
        self.answer(Field::Name)
            .text()
            .and_then(|t| t.answer())
            .map_or_else(|| self.slug.clone(), str::to_string)
    }

    pub fn filled(&self) -> usize {
        self.sections.iter().map(Section::filled).sum()
    }

    pub fn completeness(&self) -> u32 {
        percent(self.filled(), crate::domain::schema::total_counted())
    }

    /// Every Markdown page of the pack: sections, intro, extra pages.
    pub fn all_pages(&self) -> impl Iterator<Item = &Page> {
        self.sections
            .iter()
            .filter_map(|s| s.page.as_ref())
            .chain(self.intro.iter())
            .chain(self.pages.iter())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// `content/_index.md`: the dashboard's introduction.
    pub home: Option<Page>,
    /// Markdown pages directly in `content/`.
    pub pages: Vec<Page>,
    /// Other files directly in `content/`.
    pub assets: Vec<Asset>,
    /// Everything under `static/`, copied to the output root.
    pub statics: Vec<Asset>,
    /// By slug.
    pub packs: Vec<Pack>,
    /// The day each file (by path from the site root) last changed in git history;
    /// empty outside a git repository.
    pub changed: std::collections::HashMap<String, crate::domain::answers::Date>,
}

impl Site {
    pub fn pack(&self, slug: &str) -> Option<&Pack> {
        self.packs
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
            .and_then(|i| self.packs.get(i))
    }

    /// The site's own Markdown pages, outside every pack: the home page, then the rest.
    pub fn own_pages(&self) -> impl Iterator<Item = &Page> {
        self.home.iter().chain(self.pages.iter())
    }

    /// Every Markdown page of the site.
    pub fn all_pages(&self) -> impl Iterator<Item = &Page> {
        self.own_pages()
            .chain(self.packs.iter().flat_map(Pack::all_pages))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths() {
        assert_eq!(url_path("_index.md"), "");
        assert_eq!(url_path("x/_index.md"), "x/");
        assert_eq!(url_path("x/notes.md"), "x/notes/");
        assert_eq!(url_path("x/sub/y.md"), "x/sub/y/");
    }

    #[test]
    fn a_page_keeps_its_file_content_path_and_output_folder() {
        let page =
            |file, content| Page::new(file, content, String::new(), FrontMatter::default(), 0);
        let p = page("content/pack/incident.md", "pack/incident.md");
        assert_eq!(
            (p.file(), p.content_path(), p.url_path()),
            (
                "content/pack/incident.md",
                "pack/incident.md",
                "pack/incident/"
            )
        );
        assert_eq!(
            p.paths.all.len(),
            "content/pack/incident.mdpack/incident/".len()
        );
        let home = page("content/_index.md", "_index.md");
        assert_eq!((home.content_path(), home.url_path()), ("_index.md", ""));
        // A content path that is not the file's tail is kept after it.
        let odd = page("elsewhere/a.md", "pack/a.md");
        assert_eq!(
            (odd.file(), odd.content_path(), odd.url_path()),
            ("elsewhere/a.md", "pack/a.md", "pack/a/")
        );
    }

    #[test]
    fn percent_rounds_down() {
        assert_eq!(percent(0, 39), 0);
        assert_eq!(percent(1, 39), 2);
        assert_eq!(percent(38, 39), 97);
        assert_eq!(percent(39, 39), 100);
        assert_eq!(percent(2, 3), 66);
    }
}

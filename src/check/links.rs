//! Link checking: every internal link and anchor of the site must resolve.

use crate::domain::diag::{nearest, Diagnostic, Kind, LineIndex};
use crate::domain::document::{Link, Rendered, Target};
use crate::domain::model::{Page, Site};
use crate::domain::schema;
use crate::domain::site_path;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

fn section_of(content_path: &str) -> Option<&'static schema::SectionDef> {
    let (slug, file) = content_path.split_once('/')?;
    if file.contains('/') || !schema::valid_slug(slug) {
        return None;
    }
    schema::section(file.strip_suffix(".md")?)
}

/// What links point at, gathered on first use so each link is checked in constant time
/// and a check touches only the folders and pages that links name.
struct Targets<'a> {
    site: &'a Site,
    rendered: &'a HashMap<String, Rendered>,
    /// Pages and files of each pack by slug, and of `content/` itself under "".
    folders: HashMap<String, Folder<'a>>,
    /// The anchors of each page some link points into.
    anchors: HashMap<&'a str, HashSet<&'a str>>,
    /// Broken anchors of this folder given a "did you mean" so far; see [`HINTS`].
    hints: usize,
    /// The folders looked in since this was last cleared: pack slugs, "" for `content/`.
    looked_in: HashSet<String>,
}

/// The content paths of a folder's Markdown pages and the paths of its other files.
#[derive(Default)]
struct Folder<'a> {
    pages: HashSet<&'a str>,
    files: HashSet<&'a str>,
}

/// Broken anchors of one folder that get a "did you mean": the search compares the
/// fragment with every id of the page, so past this many a folder with thousands of broken
/// anchors would be quadratic. The rest get the general advice. Counted by folder, so a
/// folder checked again alone gets the same messages.
const HINTS: usize = 100;

impl<'a> Targets<'a> {
    fn new(site: &'a Site, rendered: &'a HashMap<String, Rendered>) -> Self {
        Targets {
            site,
            rendered,
            folders: HashMap::new(),
            anchors: HashMap::new(),
            hints: 0,
            looked_in: HashSet::new(),
        }
    }

    /// Notes that a link's verdict depends on folder `slug` ("" for `content/`).
    fn look_in(&mut self, slug: &str) {
        if !self.looked_in.contains(slug) {
            self.looked_in.insert(slug.to_string());
        }
    }

    /// Whether the site has pack `slug`.
    fn has_pack(&mut self, slug: &str) -> bool {
        self.look_in(slug);
        self.site.pack(slug).is_some()
    }

    /// The pages and files of pack `slug`, or of `content/` for "".
    fn folder(&mut self, slug: &str) -> Option<&Folder<'a>> {
        self.look_in(slug);
        let site = self.site;
        if !self.folders.contains_key(slug) {
            let folder = if slug.is_empty() {
                Folder {
                    pages: site.own_pages().map(|p| p.content_path()).collect(),
                    files: site.assets.iter().map(|a| a.path.as_str()).collect(),
                }
            } else {
                site.pack(slug).map_or_else(Folder::default, |pack| Folder {
                    pages: pack.all_pages().map(|p| p.content_path()).collect(),
                    files: pack.assets.iter().map(|a| a.path.as_str()).collect(),
                })
            };
            self.folders.insert(slug.to_string(), folder);
        }
        self.folders.get(slug)
    }

    /// Whether the site writes a page for `content_path`. Section pages are written even
    /// when their file is missing.
    fn page_exists(&mut self, content_path: &str) -> bool {
        match content_path.split_once('/') {
            None => self
                .folder("")
                .is_some_and(|f| f.pages.contains(content_path)),
            Some((slug, _)) => {
                self.has_pack(slug)
                    && (section_of(content_path).is_some()
                        || self
                            .folder(slug)
                            .is_some_and(|f| f.pages.contains(content_path)))
            }
        }
    }

    /// Whether the site copies a file to `path`.
    fn file_exists(&mut self, path: &str) -> bool {
        let in_pack = path
            .split_once('/')
            .is_some_and(|(slug, _)| self.folder(slug).is_some_and(|f| f.files.contains(path)));
        in_pack || self.folder("").is_some_and(|f| f.files.contains(path))
    }

    fn has_anchor(&mut self, content_path: &'a str, id: &str) -> bool {
        self.look_in(content_path.split_once('/').map_or("", |(slug, _)| slug));
        let rendered = self.rendered;
        self.anchors
            .entry(content_path)
            .or_insert_with(|| anchors(content_path, rendered.get(content_path)).collect())
            .contains(id)
    }
}

/// The ids a page offers to links: its headings and footnotes, and on a section page
/// the field anchors.
fn anchors<'a>(
    content_path: &str,
    rendered: Option<&'a Rendered>,
) -> impl Iterator<Item = &'a str> {
    let fields = section_of(content_path).map_or(&[][..], |d| d.fields);
    rendered
        .into_iter()
        .flat_map(|r| r.anchors.iter().map(String::as_str))
        .chain(fields.iter().map(|f| f.name))
}

/// The broken links of one folder's pages (a pack's, or the site's own), and the folders
/// their targets were looked up in: only a change to one of those can change them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Checked {
    pub diags: Vec<Diagnostic>,
    pub looked_in: HashSet<String>,
}

/// Checks the links of the pages of each of `folders` (pack slugs, "" for the site's own
/// pages) against the pages, files and anchors of the site.
pub(crate) fn check_folders(
    site: &Site,
    rendered: &HashMap<String, Rendered>,
    folders: &[&str],
) -> Vec<(String, Checked)> {
    let mut targets = Targets::new(site, rendered);
    let mut checked = Vec::new();
    for &folder in folders {
        targets.looked_in.clear();
        targets.hints = 0;
        // Each folder looks up its own pages mostly: kept from folder to folder, the
        // look-ups of a build grow with the site (3.5 MB at 3,000 packs).
        targets.folders.clear();
        targets.anchors.clear();
        let diags = match folder {
            "" => check_pages(&mut targets, site.own_pages()),
            slug => match site.pack(slug) {
                Some(pack) => check_pages(&mut targets, pack.all_pages()),
                None => Vec::new(),
            },
        };
        let looked_in = std::mem::take(&mut targets.looked_in);
        checked.push((folder.to_string(), Checked { diags, looked_in }));
    }
    checked
}

fn check_pages<'a>(
    targets: &mut Targets<'a>,
    pages: impl Iterator<Item = &'a Page>,
) -> Vec<Diagnostic> {
    let (site, rendered) = (targets.site, targets.rendered);
    let mut diags = Vec::new();
    for page in pages {
        let Some(r) = rendered.get(page.content_path()) else {
            continue;
        };
        let broken: Vec<(&Link, String)> = (r.links.iter())
            .filter_map(|link| Some((link, problem(targets, link, page)?)))
            .collect();
        if broken.is_empty() {
            continue;
        }
        // The source lines for the messages.
        let text = source_text(site, page);
        let lines = LineIndex::new(&text);
        for (link, message) in broken {
            diags.push(
                Diagnostic::error(
                    Kind::BrokenLink,
                    page.file(),
                    link.line,
                    link.column,
                    message,
                )
                .with_source_from(&lines),
            );
        }
    }
    diags
}

/// A page's text; read again from its file when a streamed build let it go.
fn source_text<'a>(site: &Site, page: &'a Page) -> Cow<'a, str> {
    if page.text.is_empty() {
        let text = std::fs::read_to_string(site.root.join(page.file()));
        Cow::Owned(text.unwrap_or_default())
    } else {
        Cow::Borrowed(&page.text)
    }
}

/// What is wrong with an absolute link under `base_url` naming site path `path`: it must
/// name a page (by its URL, with or without the final `/`), a page rollbook writes for a
/// pack, or a file; its fragment an id of the page.
fn url_problem<'a>(targets: &mut Targets<'a>, link: &'a Link, path: &str) -> Option<String> {
    let stem = path.trim_end_matches('/');
    let candidates = if stem.is_empty() {
        vec!["_index.md".to_string()]
    } else {
        vec![format!("{stem}.md"), format!("{stem}/_index.md")]
    };
    if let Some(page) = candidates.into_iter().find(|p| targets.page_exists(p)) {
        // A section page whose file is missing has no body: its fragment is not checked.
        let page: &'a str = targets
            .rendered
            .get_key_value(page.as_str())
            .map(|(k, _)| k.as_str())?;
        return anchor_problem(targets, link, page);
    }
    if stem.is_empty() || (!path.ends_with('/') && targets.file_exists(path)) {
        return None;
    }
    let (first, rest) = stem.split_once('/').unwrap_or((stem, ""));
    if targets.has_pack(first) {
        // The pages rollbook writes for every pack.
        if matches!(rest, "" | "runbook" | "checklist") {
            return None;
        }
    } else if !path.ends_with('/') {
        // A file of the site's own (a badge, status.json) is not known here.
        return None;
    }
    Some(format!(
        "broken link `{}`: the site has no page or file at `{path}`; fix the URL or link to the page with `@/pack/file.md`",
        link.raw
    ))
}

fn problem<'a>(targets: &mut Targets<'a>, link: &'a Link, page: &'a Page) -> Option<String> {
    let target_path = match &link.target {
        Target::Outside => {
            return Some(format!(
                "broken link `{}`: it points outside content/; link to a page with `@/pack/file.md` or a path inside the site",
                link.raw
            ))
        }
        Target::Here => page.content_path(),
        Target::Url(path) => return url_problem(targets, link, path),
        Target::Page(p) => {
            if !targets.page_exists(p) {
                return Some(format!(
                    "broken link `{}`: there is no page content/{p}; fix the path (use `@/pack/file.md` or a path relative to this file)",
                    link.raw
                ));
            }
            p.as_str()
        }
        Target::File(f) => {
            let folder_page = site_path::join(f, "_index.md");
            if targets.file_exists(f) || targets.page_exists(&folder_page) {
                return None;
            }
            return Some(format!(
                "broken link `{}`: there is no file content/{f}; fix the path or add the file",
                link.raw
            ));
        }
    };
    anchor_problem(targets, link, target_path)
}

/// What is wrong with the fragment of a link into page `target_path`.
fn anchor_problem<'a>(
    targets: &mut Targets<'a>,
    link: &'a Link,
    target_path: &'a str,
) -> Option<String> {
    let fragment = link.fragment.as_deref().filter(|f| !f.is_empty())?;
    if targets.has_anchor(target_path, fragment) {
        return None;
    }
    targets.hints += 1;
    let near = (targets.hints <= HINTS)
        .then(|| {
            nearest(
                fragment,
                anchors(target_path, targets.rendered.get(target_path)),
            )
        })
        .flatten();
    let hint = near
        .map(|n| format!("; did you mean `#{n}`?"))
        .unwrap_or_else(|| {
            "; link to a heading's id (its text in lowercase, spaces as hyphens) or a field name"
                .into()
        });
    Some(format!(
        "broken anchor `{}`: content/{target_path} has no heading or field with id `{fragment}`{hint}",
        link.raw
    ))
}

//! Link checking: every internal link and anchor of the site must resolve.

use crate::diag::{nearest, Diagnostic};
use crate::markdown::{Link, Rendered, Target};
use crate::model::{Page, Site};
use crate::schema;
use std::collections::HashMap;

fn section_of(content_path: &str) -> Option<&'static schema::SectionDef> {
    let (slug, file) = content_path.split_once('/')?;
    if file.contains('/') || !schema::valid_slug(slug) {
        return None;
    }
    schema::section(file.strip_suffix(".md")?)
}

/// Whether the site writes a page for `content_path`. Section pages are written even
/// when their file is missing.
fn page_exists(site: &Site, content_path: &str) -> bool {
    match content_path.split_once('/') {
        None => site
            .home
            .iter()
            .chain(&site.pages)
            .any(|p| p.content_path == content_path),
        Some((slug, _)) => site.pack(slug).is_some_and(|pack| {
            section_of(content_path).is_some()
                || pack.all_pages().any(|p| p.content_path == content_path)
        }),
    }
}

/// Whether the site copies a file to `path`.
fn file_exists(site: &Site, path: &str) -> bool {
    let in_pack = path
        .split_once('/')
        .and_then(|(slug, _)| site.pack(slug))
        .is_some_and(|pack| pack.assets.iter().any(|a| a.path == path));
    in_pack || site.assets.iter().any(|a| a.path == path)
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

/// Checks the links of every page against the pages, files and anchors of the site.
pub fn check(site: &Site, rendered: &HashMap<String, Rendered>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in site.all_pages() {
        let Some(r) = rendered.get(&page.content_path) else {
            continue;
        };
        for link in &r.links {
            if let Some(message) = problem(site, link, page, rendered) {
                diags.push(
                    Diagnostic::error(&page.file, link.line, link.column, message)
                        .with_source(&page.text),
                );
            }
        }
    }
    diags
}

fn problem(
    site: &Site,
    link: &Link,
    page: &Page,
    rendered: &HashMap<String, Rendered>,
) -> Option<String> {
    let target_path = match &link.target {
        Target::Outside => {
            return Some(format!(
                "broken link `{}`: it points outside content/; link to a page with `@/pack/file.md` or a path inside the site",
                link.raw
            ))
        }
        Target::Here => page.content_path.as_str(),
        Target::Page(p) => {
            if !page_exists(site, p) {
                return Some(format!(
                    "broken link `{}`: there is no page content/{p}; fix the path (use `@/pack/file.md` or a path relative to this file)",
                    link.raw
                ));
            }
            p.as_str()
        }
        Target::File(f) => {
            let folder_page = format!("{}/_index.md", f.trim_end_matches('/'));
            if file_exists(site, f) || page_exists(site, &folder_page) {
                return None;
            }
            return Some(format!(
                "broken link `{}`: there is no file content/{f}; fix the path or add the file",
                link.raw
            ));
        }
    };
    let fragment = link.fragment.as_deref().filter(|f| !f.is_empty())?;
    let target = rendered.get(target_path);
    if anchors(target_path, target).any(|id| id == fragment) {
        return None;
    }
    let hint = nearest(fragment, anchors(target_path, target))
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

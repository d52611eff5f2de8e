//! Link checking: every internal link and anchor of the site must resolve.

use crate::diag::{nearest, Diagnostic};
use crate::markdown::{Rendered, Target};
use crate::model::{Page, Site};
use crate::schema;
use std::collections::{HashMap, HashSet};

/// The ids a page offers to links: its headings and footnotes, and on a section
/// page the field anchors, which exist even when the section file is missing.
fn anchors<'a>(content_path: &str, rendered: Option<&'a Rendered>) -> HashSet<&'a str> {
    let mut ids: HashSet<&str> = rendered.map_or_else(HashSet::new, |r| {
        r.anchors.iter().map(String::as_str).collect()
    });
    if let Some(def) = section_of(content_path) {
        ids.extend(def.fields.iter().map(|f| f.name));
    }
    ids
}

fn section_of(content_path: &str) -> Option<&'static schema::SectionDef> {
    let (slug, file) = content_path.split_once('/')?;
    if file.contains('/') || !schema::valid_slug(slug) {
        return None;
    }
    schema::section(file.strip_suffix(".md")?)
}

/// Checks the links of every page against the pages, files and anchors of the site.
pub fn check(site: &Site, rendered: &HashMap<String, Rendered>) -> Vec<Diagnostic> {
    let mut files: HashSet<&str> = site.assets.iter().map(|a| a.path.as_str()).collect();
    let mut pages: HashSet<String> = site.all_pages().map(|p| p.content_path.clone()).collect();
    for pack in &site.packs {
        files.extend(pack.assets.iter().map(|a| a.path.as_str()));
        // Section pages are written even when their file is missing.
        pages.extend(
            schema::SECTIONS
                .iter()
                .map(|s| format!("{}/{}.md", pack.slug, s.stem)),
        );
    }
    let mut diags = Vec::new();
    for page in site.all_pages() {
        let Some(r) = rendered.get(&page.content_path) else {
            continue;
        };
        for link in &r.links {
            if let Some(message) = problem(link, page, &pages, &files, rendered) {
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
    link: &crate::markdown::Link,
    page: &Page,
    pages: &HashSet<String>,
    files: &HashSet<&str>,
    rendered: &HashMap<String, Rendered>,
) -> Option<String> {
    let target_path = match &link.target {
        Target::Outside => {
            return Some(format!(
                "broken link `{}`: it points outside content/; link to a page with `@/pack/file.md` or a path inside the site",
                link.raw
            ))
        }
        Target::Here => page.content_path.clone(),
        Target::Page(p) => {
            if !pages.contains(p) {
                return Some(format!(
                    "broken link `{}`: there is no page content/{p}; fix the path (use `@/pack/file.md` or a path relative to this file)",
                    link.raw
                ));
            }
            p.clone()
        }
        Target::File(f) => {
            if files.contains(f.as_str()) || pages.contains(&format!("{}_index.md", f.trim_end_matches('/').to_string() + "/")) {
                return None;
            }
            return Some(format!(
                "broken link `{}`: there is no file content/{f}; fix the path or add the file",
                link.raw
            ));
        }
    };
    let fragment = link.fragment.as_deref()?;
    if fragment.is_empty() {
        return None;
    }
    let ids = anchors(&target_path, rendered.get(&target_path));
    if ids.contains(fragment) {
        return None;
    }
    let hint = nearest(fragment, ids.iter().copied())
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

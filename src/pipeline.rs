//! The build pipeline: load → check → render, into one in-memory output.

use crate::answers::Date;
use crate::assess::{self, Assessment};
use crate::diag::{self, Diagnostic};
use crate::highlight::Highlighter;
use crate::links;
use crate::load;
use crate::markdown::{self, Rendered};
use crate::model::{Page, Site};
use crate::output::Output;
use crate::render::{self, Templates};
use crate::schema;
use crate::status::{self, Status};
use crate::theme;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    /// Replaces `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The date freshness is measured against.
    pub today: Date,
    /// Pages for `serve`: they carry the live-reload script.
    pub serve: bool,
}

/// What a build produced: the output when there were no errors, and every diagnostic.
pub struct Built {
    pub output: Option<Output>,
    pub diagnostics: Vec<Diagnostic>,
    pub status: Status,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Renders every page body to HTML, recording headings, links and task items.
pub fn render_markdown(site: &Site, hl: &Highlighter) -> HashMap<String, Rendered> {
    let pages: Vec<&Page> = site.all_pages().collect();
    pages
        .par_iter()
        .map(|p| (p.content_path.clone(), render_page(site, p, hl)))
        .collect()
}

pub fn render_page(site: &Site, page: &Page, hl: &Highlighter) -> Rendered {
    let field_ids: Vec<&str> = section_def(&page.content_path)
        .map(|d| d.fields.iter().map(|f| f.name).collect())
        .unwrap_or_default();
    markdown::render(
        page.body(),
        &markdown::Context {
            base_path: &site.config.base_path,
            content_path: &page.content_path,
            taken_ids: &field_ids,
            first_line: page.body_line(),
            highlighter: hl,
        },
    )
}

fn section_def(content_path: &str) -> Option<&'static schema::SectionDef> {
    let (_, file) = content_path.split_once('/')?;
    schema::section(file.strip_suffix(".md")?)
}

/// Assesses every pack and collects the warnings it raises.
pub fn assess_all(site: &Site, today: Date) -> (HashMap<String, Assessment>, Vec<Diagnostic>) {
    let results: Vec<(String, Assessment, Vec<Diagnostic>)> = site
        .packs
        .par_iter()
        .map(|p| {
            let a = assess::assess(p, &site.config, today);
            let w = assess::warnings(p, &a, &site.config);
            (p.slug.clone(), a, w)
        })
        .collect();
    let mut map = HashMap::new();
    let mut diags = Vec::new();
    for (slug, a, w) in results {
        map.insert(slug, a);
        diags.extend(w);
    }
    (map, diags)
}

/// Builds the site at `root` into memory.
pub fn build(root: &Path, opts: &Options, hl: &Highlighter) -> Built {
    let (mut site, mut diags) = load::load(root, load::Options { drafts: opts.drafts });
    if let Some(url) = &opts.base_url {
        if let Err(msg) = site.config.set_base_url(url) {
            diags.push(Diagnostic::error("--base-url", 1, 1, msg));
        }
    }
    if let Some(name) = &site.config.highlight_theme {
        if !hl.has_theme(name) {
            diags.push(Diagnostic::error(
                "site.toml",
                1,
                1,
                format!("unknown [highlight] theme `{name}`; use one of: {}", hl.theme_names().join(", ")),
            ));
        }
    }
    let theme = theme::load(root, &site.config.theme, &mut diags);
    let rendered = render_markdown(&site, hl);
    diags.extend(links::check(&site, &rendered));
    let (assessments, warnings) = assess_all(&site, opts.today);
    diags.extend(warnings);
    let status = status::status(&site, &assessments);
    let mut output = None;
    if !diags.iter().any(Diagnostic::is_error) {
        match Templates::new(&theme) {
            Ok(templates) => {
                let syntax_css = hl.css(site.config.highlight_theme.as_deref());
                let input = render::Input {
                    site: &site,
                    rendered: &rendered,
                    assessments: &assessments,
                    templates: &templates,
                    syntax_css: &syntax_css,
                    serve: opts.serve,
                };
                match render::render_site(&input) {
                    Ok(o) => output = Some(o),
                    Err(e) => diags.extend(e),
                }
            }
            Err(e) => diags.extend(e),
        }
    }
    diag::sort(&mut diags);
    Built { output, diagnostics: diags, status }
}

//! Renders page bodies to HTML, with the ids the theme's pages take kept out of their
//! headings, and the links written in answers counted as the page's links.

use crate::domain::config::Config;
use crate::domain::document::Rendered;
use crate::domain::model::Page;
use crate::domain::schema;
use crate::render::dashboard;
use crate::render::highlight::Highlighter;
use crate::render::markdown;
use crate::render::views;
use rayon::prelude::*;
use std::collections::HashMap;

/// Renders page bodies to HTML, recording headings, links and task items.
pub(crate) fn render_markdown(
    config: &Config,
    pages: Vec<&Page>,
    hl: &Highlighter,
) -> HashMap<String, Rendered> {
    pages
        .par_iter()
        .map(|p| (p.content_path().to_string(), render_page(config, p, hl)))
        .collect()
}

fn render_page(config: &Config, page: &Page, hl: &Highlighter) -> Rendered {
    let section = section_def(page.content_path());
    let mut taken: Vec<&str> = views::PAGE_IDS.to_vec();
    match section {
        Some(def) => {
            taken.extend(def.fields.iter().map(|f| f.name));
            taken.extend(views::SECTION_IDS);
        }
        None if page.content_path().ends_with("/_index.md") => taken.extend(views::OVERVIEW_IDS),
        None if page.content_path() == "_index.md" => taken.extend(dashboard::DASHBOARD_IDS),
        None => {}
    }
    let mut rendered = markdown::render(
        page.body(),
        &markdown::Context {
            base_path: &config.base_path,
            base_url: &config.base_url,
            content_path: page.content_path(),
            taken_ids: &taken,
            first_line: page.body_line(),
            highlighter: hl,
        },
    );
    // Links written in answers are links of the page too.
    let at = markdown::LinkBase {
        base_path: &config.base_path,
        content_path: page.content_path(),
    };
    for answer in &page.fm.answers {
        for t in answer.texts().into_iter().filter(|t| t.filled()) {
            rendered.links.extend(markdown::inline_links(
                &t.value,
                at,
                &config.base_url,
                t.line,
                t.column,
            ));
        }
    }
    rendered
}

fn section_def(content_path: &str) -> Option<&'static schema::SectionDef> {
    let (slug, file) = content_path.split_once('/')?;
    if !schema::valid_slug(slug) {
        return None;
    }
    schema::section(file.strip_suffix(".md")?)
}

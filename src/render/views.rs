//! Views: what the templates see of the site, pages, packs and their sections.

use crate::check::assess::Assessment;
use crate::domain::diag::Diagnostic;
use crate::domain::document::{Heading, Rendered};
use crate::domain::field::Field;
use crate::domain::model::{Pack, Page, Site};
use crate::domain::site_path;
use crate::render::answers_view::{person_view, AnswerView};
use crate::render::badge;
use crate::render::markdown::LinkBase;
use crate::render::templates::Templates;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    /// The base path, `/` or `/repo/`: every URL starts with it.
    pub(crate) base: &'a str,
    pub(crate) base_url: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    pub(crate) url: String,
    pub(crate) crumbs: Vec<LinkView>,
    pub(crate) edit_url: Option<String>,
    pub(crate) updated: Option<String>,
    pub(crate) toc: Vec<Heading>,
    /// The page shows highlighted code, so it needs the code stylesheet.
    pub(crate) code: bool,
    /// The page shows a Mermaid diagram, so it needs the diagram script.
    pub(crate) diagram: bool,
    /// The page shows a GitHub-style alert, so it needs the alerts stylesheet.
    pub(crate) alert: bool,
    /// The page shows eval results or a pack's warnings, so it needs `evaluation.css`.
    pub(crate) evaluation: bool,
}

impl PageView {
    /// Marks what `html`, shown on the page, needs besides the base stylesheet: the code
    /// stylesheet, the diagram script, the alerts stylesheet.
    pub(crate) fn needs(&mut self, html: &str) {
        self.add(Needs::of(html));
    }

    /// Marks what a piece of HTML shown on the page needs, found before.
    pub(crate) fn add(&mut self, needs: Needs) {
        self.code |= needs.code;
        self.diagram |= needs.diagram;
        self.alert |= needs.alert;
    }
}

/// What a piece of HTML needs besides the base stylesheet, kept when the HTML is not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    code: bool,
    diagram: bool,
    alert: bool,
}

impl Needs {
    pub(crate) fn of(html: &str) -> Needs {
        Needs {
            code: html.contains(CODE_MARK),
            diagram: html.contains(DIAGRAM_MARK),
            alert: html.contains(ALERT_MARK),
        }
    }
}

/// Ids the default templates give elements of every page, of section pages and of pack
/// overviews: headings written in content must not take them.
pub(crate) const PAGE_IDS: [&str; 5] = [
    "main",
    "search-input",
    "search-status",
    "search-results",
    "toc-title",
];
pub(crate) const SECTION_IDS: [&str; 7] = [
    "answers",
    "notes",
    "eval-results",
    "models-latest",
    "runs",
    "latest-values",
    "trends",
];
pub(crate) const OVERVIEW_IDS: [&str; 4] = ["sections", "pages", "badge", "warnings"];

/// Marks a highlighted code block in rendered HTML.
pub(crate) const CODE_MARK: &str = "<pre class=\"code\">";
/// Marks a Mermaid diagram's source in rendered HTML (written by `markdown/code.rs`).
pub(crate) const DIAGRAM_MARK: &str = "<pre class=\"mermaid\">";
/// Marks a GitHub-style alert in rendered HTML (written by `markdown/alerts.rs`).
pub(crate) const ALERT_MARK: &str = "<div class=\"markdown-alert ";

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionLink {
    pub(crate) stem: &'static str,
    pub(crate) number: usize,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) completeness: u32,
    pub(crate) colour: &'static str,
    pub(crate) badge_url: String,
    pub(crate) missing: Vec<MissingLink>,
    pub(crate) current: bool,
    /// The release gate's status, on the evaluation section.
    pub(crate) gate: Option<crate::domain::eval::GateStatus>,
}

/// An unanswered field as the pack overview lists it: where it shows, and which key to
/// set in which file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MissingLink {
    pub(crate) title: String,
    /// The answer on its section page.
    pub(crate) url: String,
    /// The TOML key.
    pub(crate) key: &'static str,
    /// The section's file, from the site's root.
    pub(crate) file: String,
    /// Where to edit that file, when it exists and the site has `edit_url`.
    pub(crate) edit_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PackView {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) completeness: u32,
    pub(crate) colour: &'static str,
    pub(crate) badge_url: String,
    pub(crate) phase: Option<String>,
    pub(crate) dri: AnswerView,
    pub(crate) last_review: Option<String>,
    pub(crate) review_age: Option<i64>,
    pub(crate) stale: bool,
    pub(crate) gate: crate::domain::eval::GateStatus,
    pub(crate) ready: bool,
    pub(crate) bar_level: u8,
    /// The highest phase whose entry bar the pack meets.
    pub(crate) bar_name: &'static str,
    /// A live phase is ahead of its entry bar.
    pub(crate) ahead_of_bar: bool,
    /// Why the pack needs attention, most urgent first; empty when it is ready.
    pub(crate) attention: Vec<String>,
    pub(crate) sections: Vec<SectionLink>,
    pub(crate) pages: Vec<LinkView>,
    pub(crate) prev: Option<LinkView>,
    pub(crate) next: Option<LinkView>,
}

/// Everything rendering needs, computed by the earlier stages.
pub(crate) struct Input<'a> {
    pub site: &'a Site,
    pub rendered: &'a HashMap<String, Rendered>,
    pub assessments: &'a HashMap<String, Assessment>,
    /// Each pack's diagnostics: of loading it, and of its assessment.
    pub pack_diags: [&'a HashMap<String, Vec<Diagnostic>>; 2],
    pub templates: &'a Templates,
    pub syntax_css: &'a str,
    pub today: crate::domain::answers::Date,
}

impl Input<'_> {
    pub(crate) fn base(&self) -> &str {
        &self.site.config.base_path
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    pub(crate) fn context(&self, page: PageView) -> tera::Context {
        let cfg = &self.site.config;
        let mut ctx = tera::Context::new();
        ctx.insert(
            "site",
            &SiteView {
                title: &cfg.title,
                description: cfg.description.as_deref(),
                base: &cfg.base_path,
                base_url: &cfg.base_url,
            },
        );
        ctx.insert("page", &page);
        ctx
    }

    pub(crate) fn page_view(
        &self,
        title: String,
        kind: &'static str,
        url_path: &str,
        crumbs: Vec<LinkView>,
        source: Option<&Page>,
    ) -> PageView {
        let edit_url = self.edit_url(source);
        let body = self.body(source);
        let mut view = PageView {
            title,
            kind,
            url: self.url(url_path),
            crumbs,
            edit_url,
            // Git history first, else the file's own `updated` key.
            updated: source
                .and_then(|p| self.site.changed.get(p.file()).copied().or(p.fm.updated))
                .map(|d| d.to_string()),
            toc: crate::render::toc::body(body),
            code: false,
            diagram: false,
            alert: false,
            evaluation: false,
        };
        if let Some(r) = body {
            view.needs(&r.html);
        }
        view
    }

    /// Where to edit the file `page` is built from, when the site has `edit_url`.
    pub(crate) fn edit_url(&self, page: Option<&Page>) -> Option<String> {
        let tpl = self.site.config.edit_url.as_ref()?;
        page.map(|p| tpl.replace("{path}", p.file()))
    }

    /// A page's Markdown body as rendered.
    pub(crate) fn body(&self, page: Option<&Page>) -> Option<&Rendered> {
        page.and_then(|p| self.rendered.get(p.content_path()))
    }

    pub(crate) fn body_html(&self, page: Option<&Page>) -> &str {
        self.body(page).map_or("", |r| r.html.as_str())
    }

    /// Whether a page's own Markdown starts its outline with a level-one heading.
    pub(crate) fn has_h1(&self, page: &Page) -> bool {
        self.rendered
            .get(page.content_path())
            .is_some_and(|r| r.headings.iter().any(|h| h.level == 1))
    }

    /// A pack's warnings (of loading and of assessing it), by file, line and column.
    pub(crate) fn pack_warnings(
        &self,
        pack: &Pack,
    ) -> Vec<crate::render::warnings_view::WarningView> {
        let mut diags: Vec<&Diagnostic> = (self.pack_diags.iter())
            .filter_map(|m| m.get(&pack.slug))
            .flatten()
            .collect();
        diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        crate::render::warnings_view::pack_warnings(pack, diags)
    }

    pub(crate) fn home_crumb(&self) -> LinkView {
        LinkView {
            title: "Dashboard".into(),
            url: self.url(""),
        }
    }

    /// The pack's view with `current` marked and neither page before nor after, and its
    /// reading order (see [`PackNav`]).
    fn pack_view_in_order(
        &self,
        pack: &Pack,
        a: &Assessment,
        current: Option<&str>,
    ) -> (PackView, Vec<(String, LinkView)>) {
        let slug = &pack.slug;
        let sections = self.section_links(pack, a, current);
        let pages: Vec<LinkView> = pack
            .pages
            .iter()
            .map(|p| LinkView {
                title: page_title(p),
                url: self.url(p.url_path()),
            })
            .collect();
        let order = self.reading_order(pack, &sections, &pages);
        let view = PackView {
            slug: slug.clone(),
            name: pack.name(),
            url: self.url(&format!("{slug}/")),
            completeness: a.completeness,
            colour: badge::colour(a.completeness),
            badge_url: self.url(&format!("badges/{slug}.svg")),
            phase: a.phase.clone(),
            dri: self.dri_view(pack),
            last_review: a.last_review.map(|d| d.to_string()),
            review_age: a.review_age,
            stale: a.stale,
            gate: a.gate,
            ready: a.ready,
            bar_level: a.bar_level,
            bar_name: crate::check::assess::BarName::of_level(a.bar_level)
                .map_or("none", |b| b.as_str()),
            ahead_of_bar: a.ahead_of_bar,
            attention: attention(a),
            sections,
            pages,
            prev: None,
            next: None,
        };
        (view, order)
    }

    /// The pack's view for its pages, serialised once (see [`PackNav`]).
    pub(crate) fn pack_nav(&self, pack: &Pack, a: &Assessment) -> PackNav {
        let (mut view, order) = self.pack_view_in_order(pack, a, None);
        (view.prev, view.next) = prev_next(&order, None);
        PackNav {
            value: serde_json::to_value(&view).unwrap_or_default(),
            view,
            order,
        }
    }

    /// A link to each of the pack's nine sections, with its gaps; `current` is marked.
    fn section_links(
        &self,
        pack: &Pack,
        a: &Assessment,
        current: Option<&str>,
    ) -> Vec<SectionLink> {
        let slug = &pack.slug;
        pack.sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pct = s.completeness();
                let file = format!("content/{slug}/{}.md", s.def.stem);
                let edit_url = self.edit_url(s.page.as_ref());
                SectionLink {
                    stem: s.def.stem,
                    number: i + 1,
                    title: s
                        .page
                        .as_ref()
                        .and_then(|p| p.fm.title.clone())
                        .unwrap_or_else(|| s.def.title.to_string()),
                    url: self.url(&format!("{slug}/{}/", s.def.stem)),
                    completeness: pct,
                    colour: badge::colour(pct),
                    badge_url: self.url(&format!("badges/{slug}/{}.svg", s.def.stem)),
                    missing: s
                        .missing()
                        .into_iter()
                        .map(|f| MissingLink {
                            title: s.def.field(f).map_or(f, |d| d.label).to_string(),
                            url: self.url(&format!("{slug}/{}/#{f}", s.def.stem)),
                            key: f,
                            file: file.clone(),
                            edit_url: edit_url.clone(),
                        })
                        .collect(),
                    current: current == Some(s.def.stem),
                    gate: (s.def.stem == crate::domain::field::SectionId::Evaluation.as_str())
                        .then_some(a.gate),
                }
            })
            .collect()
    }

    /// Reading order: overview, the nine sections, extra pages; each keyed by what
    /// `current` names it (the overview by "").
    fn reading_order(
        &self,
        pack: &Pack,
        sections: &[SectionLink],
        pages: &[LinkView],
    ) -> Vec<(String, LinkView)> {
        std::iter::once((
            String::new(),
            LinkView {
                title: "Overview".into(),
                url: self.url(&format!("{}/", pack.slug)),
            },
        ))
        .chain(sections.iter().map(|s| {
            (
                s.stem.to_string(),
                LinkView {
                    title: s.title.clone(),
                    url: s.url.clone(),
                },
            )
        }))
        .chain(
            pack.pages
                .iter()
                .zip(pages)
                .map(|(p, l)| (p.url_path().to_string(), l.clone())),
        )
        .collect()
    }

    /// The pack's DRI as a person, linked from the accountability section.
    fn dri_view(&self, pack: &Pack) -> AnswerView {
        pack.answer(Field::Dri)
            .text()
            .map_or(AnswerView::MISSING, |t| {
                let path = format!("{}/accountability.md", pack.slug);
                person_view(
                    t,
                    LinkBase {
                        base_path: self.base(),
                        content_path: &path,
                    },
                )
            })
    }

    pub(crate) fn pack_crumbs(&self, pack: &Pack) -> Vec<LinkView> {
        vec![
            self.home_crumb(),
            LinkView {
                title: pack.name(),
                url: self.url(&format!("{}/", pack.slug)),
            },
        ]
    }
}

/// A pack's view as each of its pages shows it, serialised once for all of them: a page
/// only marks itself in it: its section as current, the pages before and after.
pub(crate) struct PackNav {
    /// The overview's view.
    pub(crate) view: PackView,
    order: Vec<(String, LinkView)>,
    /// `view` serialised, marked for the page rendered last.
    value: serde_json::Value,
}

impl PackNav {
    /// The serialised view marked for `current`, lent until [`PackNav::give_back`].
    pub(crate) fn take(&mut self, current: Option<&str>) -> serde_json::Value {
        let mut value = std::mem::take(&mut self.value);
        if let Some(pack) = value.as_object_mut() {
            if let Some(sections) = pack.get_mut("sections").and_then(|s| s.as_array_mut()) {
                for s in sections.iter_mut().filter_map(|s| s.as_object_mut()) {
                    let here =
                        current.is_some() && s.get("stem").and_then(|v| v.as_str()) == current;
                    s.insert("current".into(), here.into());
                }
            }
            let (prev, next) = prev_next(&self.order, current);
            let link = |l: Option<LinkView>| serde_json::to_value(l).unwrap_or_default();
            pack.insert("prev".into(), link(prev));
            pack.insert("next".into(), link(next));
        }
        value
    }

    /// Returns what [`PackNav::take`] lent.
    pub(crate) fn give_back(&mut self, value: serde_json::Value) {
        self.value = value;
    }
}

/// The pages before and after `current` in the reading order. Pages outside it (the
/// checklist) have neither.
fn prev_next(
    order: &[(String, LinkView)],
    current: Option<&str>,
) -> (Option<LinkView>, Option<LinkView>) {
    let here = match current {
        None => Some(0),
        Some(c) => order.iter().position(|(k, _)| k == c),
    };
    let prev = here
        .filter(|_| current.is_some())
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| order.get(i))
        .map(|(_, l)| l.clone());
    let next = here.and_then(|i| order.get(i + 1)).map(|(_, l)| l.clone());
    (prev, next)
}

/// What needs doing for a pack, most urgent first.
pub(crate) fn attention(a: &Assessment) -> Vec<String> {
    let mut out = Vec::new();
    if a.gate == crate::domain::eval::GateStatus::Fail {
        out.push("eval gate failing".to_string());
    }
    if a.ahead_of_bar {
        out.push("a live phase is ahead of its entry bar".to_string());
    }
    if a.stale {
        out.push(
            if a.last_review.is_some() {
                "weekly review stale"
            } else {
                "no weekly review"
            }
            .to_string(),
        );
    }
    if a.completeness < 100 {
        out.push(format!("{}% complete", a.completeness));
    }
    if a.gate == crate::domain::eval::GateStatus::None {
        out.push("no eval results".to_string());
    }
    out
}

/// Dashboard order: packs that need attention first (failing gate, stale, least complete).
pub(crate) fn attention_order(p: &PackView) -> (bool, bool, bool, u32, String) {
    (
        p.ready,
        p.gate != crate::domain::eval::GateStatus::Fail,
        !p.stale,
        p.completeness,
        p.name.to_lowercase(),
    )
}

pub(crate) fn page_title(p: &Page) -> String {
    if p.fm.title.is_none() && p.content_path().ends_with("_index.md") {
        return "Overview".to_string();
    }
    p.fm.title.clone().unwrap_or_else(|| {
        let stem = site_path::file_name(p.content_path()).trim_end_matches(".md");
        let words = stem.replace(['-', '_'], " ");
        let mut chars = words.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
    })
}

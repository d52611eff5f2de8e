//! The composed pages, parsed: incident runbooks, rollout checklists with their entry
//! bars, eval gate arithmetic, badges, owners, the dashboard and status.json: a module
//! each, sharing the helpers here.

mod badges;
mod checklist;
mod dashboard_status;
mod gate;
mod owners;
mod runbooks;

pub(crate) use dashboard_status::dashboard_site;

use crate::common::*;
use scraper::{ElementRef, Html};
use serde_json::Value;
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// Position of an element in document order.
fn pos(html: &Html, e: ElementRef) -> usize {
    html.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .position(|x| x.id() == e.id())
        .expect("element in document")
}

/// The one `section` under `root` whose heading (its first `h2`) contains `needle`,
/// case-insensitively.
fn section_titled<'a>(root: ElementRef<'a>, needle: &str) -> ElementRef<'a> {
    let needle = needle.to_lowercase();
    let found: Vec<ElementRef> = root
        .select(&sel("section"))
        .filter(|s| {
            s.select(&sel("h2"))
                .next()
                .is_some_and(|h| text(&h).to_lowercase().contains(&needle))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one section headed `{needle}` in {}",
        root.html()
    );
    found[0]
}

/// The sibling elements after the `h2` with `id`, up to the next `h2`.
fn after_heading<'a>(html: &'a Html, id: &str) -> Vec<ElementRef<'a>> {
    let h = one(html, &format!("main h2[id=\"{id}\"]"));
    h.next_siblings()
        .filter_map(ElementRef::wrap)
        .take_while(|e| e.value().name() != "h2")
        .collect()
}

/// The whitespace-collapsed text of several elements.
fn text_of(es: &[ElementRef]) -> String {
    es.iter().map(text).collect::<Vec<_>>().join(" ")
}

/// Every element matching `selector` inside any of `roots`.
fn select_all<'a>(roots: &[ElementRef<'a>], selector: &str) -> Vec<ElementRef<'a>> {
    let s = sel(selector);
    let mut out = Vec::new();
    for r in roots {
        // `select` skips the root itself: include it when it matches.
        if s.matches(r) {
            out.push(*r);
        }
        out.extend(r.select(&s));
    }
    out
}

/// Asserts that a site-internal URL (`/ai-packs/x/y/#id`) names a built page and,
/// when it has a fragment, an element with that id on it.
fn assert_target(site: &SiteBuilder, href: &str) {
    let rest = href
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{href} is not under {BASE}"));
    let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
    assert!(
        path.is_empty() || path.ends_with('/'),
        "{href} is not a page URL"
    );
    let file = site.join(&format!("public/{path}index.html"));
    assert!(file.is_file(), "{href}: no page {}", file.display());
    if !frag.is_empty() {
        let html = site.page(path);
        assert_eq!(
            select(&html, &format!("[id=\"{frag}\"]")).len(),
            1,
            "{href}: no one element with id {frag}"
        );
    }
}

/// A rollout section with three monitoring answers and the given phases (name, status).
fn rollout_toml(phases: &[(&str, &str)]) -> String {
    let mut s = String::from(concat!(
        "dashboards = [\"Triage quality board\"]\n",
        "daily_checks = [\"Wrong-queue rate\", \"Cost per ticket\"]\n",
        "escalation_path = \"Dana, then the support director\"\n",
    ));
    for (name, status) in phases {
        s += &format!(
            "\n[[phases]]\nname = \"{name}\"\naudience = \"{name} users\"\n\
             criteria = \"Two quiet weeks\"\nfeedback_channel = \"The feedback form\"\n\
             status = \"{status}\"\n"
        );
    }
    s
}

const THREE: [&str; 3] = ["Dogfood", "Opt-in beta", "Default on"];

fn three_phases(statuses: [&str; 3]) -> String {
    rollout_toml(&[
        (THREE[0], statuses[0]),
        (THREE[1], statuses[1]),
        (THREE[2], statuses[2]),
    ])
}

/// The rhythm section with one review on `date`.
fn rhythm_on(date: &str) -> String {
    complete_toml("rhythm").replace("2026-11-20", date)
}

/// One results line with its own cost.
fn run(date: &str, model: &str, cost: f64, metrics: &str) -> String {
    format!(
        "{{\"date\": \"{date}\", \"model\": \"{model}\", \"cost\": {cost}, \"metrics\": {{{metrics}}}}}\n"
    )
}

fn status_pack(site: &SiteBuilder, slug: &str) -> Value {
    pack(&site.status(), slug).clone()
}

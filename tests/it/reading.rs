//! Reading aids in the built HTML: a table of contents on pages with three headings or
//! more, a permalink on every heading and answer, "Edit this page" on every page built
//! from a file, and the overview's missing answers named by key and file.

use crate::common::*;
use scraper::{ElementRef, Html};

const EDIT: &str = "https://github.com/acme/packs/edit/main/";

fn with_edit_url(site: SiteBuilder) -> SiteBuilder {
    site.file(
        "site.toml",
        &format!("{SITE_TOML}edit_url = \"{EDIT}{{path}}\"\n"),
    )
}

/// A complete pack `pack` with an introduction, notes with headings on its data and
/// incident sections, and two extra pages: `guide` with three headings under its title,
/// `short` with two.
fn reading_site() -> SiteBuilder {
    SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "pack",
            "data",
            complete_toml("data"),
            "## Sources in detail\n\nText.\n\n### The CRM export\n\nText.\n",
        )
        .section(
            "pack",
            "incident",
            complete_toml("incident"),
            "## Known failure modes\n\nText.\n",
        )
        .file(
            "content/pack/_index.md",
            "+++\ntitle = \"Pack\"\n+++\nWhat this pack is for.\n",
        )
        .file(
            "content/pack/guide.md",
            "+++\ntitle = \"Guide\"\n+++\n# Guide\n\n## Before you start\n\n## Steps\n\n### Step one\n\n#### A detail\n",
        )
        .file(
            "content/pack/short.md",
            "+++\ntitle = \"Short\"\n+++\n## One\n\n## Two\n",
        )
}

/// Every (level, href, text) the page's table of contents lists; empty when it has none.
fn toc(html: &Html) -> Vec<(String, String, String)> {
    select(html, "details.toc")
        .into_iter()
        .flat_map(|t| select_in(t, "li"))
        .map(|li| {
            let a = one_in(li, "a");
            (
                li.value().attr("class").unwrap_or("").to_string(),
                a.value().attr("href").unwrap_or("").to_string(),
                text(&a),
            )
        })
        .collect()
}

/// The element with id `id`; it must be exactly one.
fn by_id<'a>(html: &'a Html, id: &str) -> ElementRef<'a> {
    one(html, &format!("[id=\"{id}\"]"))
}

#[test]
fn pages_with_three_headings_or_more_list_them_and_others_do_not() {
    let site = reading_site();
    site.build_ok();
    let listed = |page: &str| -> Vec<String> {
        let html = site.page(page);
        let entries = toc(&html);
        // Each entry leads to one element of the page, whose heading says what it says.
        for (_, href, words) in &entries {
            let id = href.strip_prefix('#').expect("a same-page link");
            let target = by_id(&html, id);
            let heading = if target.value().name() == "li" {
                one_in(target, "h3")
            } else {
                target
            };
            assert!(
                text(&heading).starts_with(words.as_str()),
                "{page}: {href} is `{}`, listed as `{words}`",
                text(&heading)
            );
        }
        // In the order the page shows them.
        let source = html.html();
        let at: Vec<usize> = (entries.iter())
            .filter_map(|(_, href, _)| source.find(&format!("id=\"{}\"", &href[1..])))
            .collect();
        assert_eq!(
            at.len(),
            entries.len(),
            "{page}: every entry's id is on the page"
        );
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{page}: the contents are not in page order: {entries:?}"
        );
        entries.into_iter().map(|(_, href, _)| href).collect()
    };
    assert_eq!(
        listed("pack/data/"),
        [
            "#answers",
            "#notes",
            "#sources-in-detail",
            "#the-crm-export"
        ]
    );
    // The evaluation section shows its eval results first, then answers and notes.
    assert_eq!(
        listed("pack/evaluation/"),
        ["#eval-results", "#answers", "#notes"]
    );
    assert_eq!(listed("pack/"), ["#sections", "#pages", "#badge"]);
    // The title (h1) and an h4 are not listed; h3 are, a level down.
    assert_eq!(
        listed("pack/guide/"),
        ["#before-you-start", "#steps", "#step-one"]
    );
    let levels: Vec<String> = toc(&site.page("pack/guide/"))
        .into_iter()
        .map(|(class, _, _)| class)
        .collect();
    assert_eq!(levels, ["", "", "toc-3"]);
    // The runbook lists its sections in page order: who to call first and the kill
    // switch first, its incident notes last.
    assert_eq!(
        listed("pack/runbook/"),
        [
            "#first-pack",
            "#kill-switch-pack",
            "#actions-pack",
            "#page-pack",
            "#what-pack",
            "#fallback-pack",
            "#comms-pack",
            "#review-owner-pack",
            "#review-format-pack",
            "#notes-pack",
            "#known-failure-modes"
        ]
    );
    let checklist = listed("pack/checklist/");
    assert_eq!(checklist.first().map(String::as_str), Some("#phases"));
    assert!(checklist.contains(&"#phase-1".to_string()), "{checklist:?}");
    assert!(checklist.contains(&"#tasks".to_string()), "{checklist:?}");
    // Fewer than three headings: no contents, and no room kept for them.
    for page in ["pack/short/", "pack/workflow/"] {
        let html = site.page(page);
        assert!(toc(&html).is_empty(), "{page}");
        assert!(select(&html, ".has-toc, .with-toc").is_empty(), "{page}");
    }
    // Pages with contents say so, for the layout.
    assert_eq!(select(&site.page("pack/data/"), "body.with-toc").len(), 1);
}

/// The id a heading's permalink must lead to: its own, or, for a checklist phase (whose
/// heading folds with it), the phase's, or for an owner, their entry's.
fn own_id<'a>(h: &ElementRef<'a>) -> Option<&'a str> {
    h.value().attr("id").or_else(|| {
        h.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| {
                has_class(e, "phase")
                    || e.parent()
                        .and_then(ElementRef::wrap)
                        .is_some_and(|list| has_class(&list, "owners"))
            })
            .and_then(|e| e.value().attr("id"))
    })
}

#[test]
fn every_heading_and_answer_links_to_itself() {
    let site = reading_site();
    site.build_ok();
    for (page, at_least) in [
        ("pack/data/", 3),
        ("pack/evaluation/", 3),
        ("pack/", 3),
        ("pack/guide/", 3),
        ("pack/runbook/", 3),
        ("pack/checklist/", 3),
        ("owners/", 1),
        ("owners/d/", 1),
    ] {
        let html = site.page(page);
        let headings = select(&html, "main :is(h2, h3, h4)");
        assert!(headings.len() >= at_least, "{page}");
        for h in headings {
            // A done phase's heading is its fold's summary: a link there would sit in a
            // control, so the contents link to it instead.
            if h.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|e| e.value().name() == "summary")
            {
                continue;
            }
            let id = own_id(&h).unwrap_or_else(|| panic!("{page}: `{}` has no id", text(&h)));
            let link = one_in(h, "a.permalink");
            assert_eq!(
                link.value().attr("href"),
                Some(format!("#{id}").as_str()),
                "{page}"
            );
            let name = link.value().attr("aria-label").unwrap_or("");
            let words = text(&h);
            let words = words.trim_end_matches('#').trim();
            assert!(
                name.starts_with("Link to ") && words.starts_with(&name["Link to ".len()..]),
                "{page}: `{words}` is linked as `{name}`"
            );
        }
    }
    // Every answer of a section page, each by its label.
    let html = site.page("pack/data/");
    let answers = select(&html, ".answer[id]");
    assert_eq!(answers.len(), fields_of("data").len());
    for a in answers {
        let id = a.value().attr("id").unwrap_or("");
        let link = one_in(a, "dt a.permalink");
        assert_eq!(link.value().attr("href"), Some(format!("#{id}").as_str()));
        let label = text(&one_in(a, "dt"));
        let name = link.value().attr("aria-label").unwrap_or("");
        assert!(
            label.starts_with(&name["Link to ".len()..]),
            "{label} is linked as {name}"
        );
    }
}

#[test]
fn pages_built_from_a_file_link_to_edit_it() {
    let site = with_edit_url(reading_site());
    site.build_ok();
    let edit = |page: &str| -> Vec<String> {
        select(&site.page(page), ".page-footer a")
            .into_iter()
            .filter(|a| text(a) == "Edit this page")
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    for (page, file) in [
        ("pack/", "content/pack/_index.md"),
        ("pack/data/", "content/pack/data.md"),
        ("pack/guide/", "content/pack/guide.md"),
        // The runbook is built from the incident section, the checklist from rollout.
        ("pack/runbook/", "content/pack/incident.md"),
        ("pack/checklist/", "content/pack/rollout.md"),
    ] {
        assert_eq!(edit(page), [format!("{EDIT}{file}")], "{page}");
    }
    // Generated pages of no one file have nothing to edit.
    assert!(edit("").is_empty());
    assert!(edit("runbooks/").is_empty());

    // No `edit_url`, no edit links.
    let plain = reading_site();
    plain.build_ok();
    for page in [
        "pack/",
        "pack/data/",
        "pack/guide/",
        "pack/runbook/",
        "pack/checklist/",
    ] {
        assert!(
            select(&plain.page(page), ".page-footer a").is_empty(),
            "{page}"
        );
    }
    // A pack with no introduction file: its overview has none to edit.
    std::fs::remove_file(site.join("content/pack/_index.md")).expect("rm _index.md");
    site.build_ok();
    assert!(edit("pack/").is_empty());
}

#[test]
fn the_overview_names_each_missing_answers_key_and_file() {
    let data = complete_toml("data").replace("\"30 days\"", "\"TBD\"");
    let site =
        with_edit_url(SiteBuilder::new().complete_pack("pack")).section("pack", "data", &data, "");
    std::fs::remove_file(site.join("content/pack/models.md")).expect("rm models.md");
    site.build_ok();
    let html = site.page("pack/");
    let items = |stem: &str| -> Vec<ElementRef<'_>> {
        let href = format!("{BASE}pack/{stem}/");
        select(&html, ".section-list > li")
            .into_iter()
            .find(|li| hrefs(*li, "a").first() == Some(&href))
            .map(|li| select_in(li, ".missing-list > li"))
            .unwrap_or_default()
    };
    let data = items("data");
    assert_eq!(data.len(), 1);
    assert_eq!(
        text(&data[0]),
        "Retention policy: set retention_policy in content/pack/data.md · edit it"
    );
    assert_eq!(
        hrefs(data[0], "a"),
        [
            format!("{BASE}pack/data/#retention_policy"),
            format!("{EDIT}content/pack/data.md")
        ]
    );
    // The answer's link lands on the answer.
    let section = site.page("pack/data/");
    assert!(has_class(&by_id(&section, "retention_policy"), "answer"));
    // A section with no file yet: the key and the file to create, nothing to edit.
    let models = items("models");
    assert!(!models.is_empty());
    for m in &models {
        assert!(
            text(m).contains(" in content/pack/models.md"),
            "{}",
            text(m)
        );
        assert_eq!(hrefs(*m, "a").len(), 1, "{}", m.html());
    }
    assert!(text(&models[0]).starts_with("Approved models: set approved in "));
    // Complete sections list nothing.
    assert!(items("workflow").is_empty());
}

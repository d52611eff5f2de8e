//! The built HTML, parsed: dashboard, pack overview, section pages, links and themes.

use crate::common::*;
use scraper::{ElementRef, Html};
use std::collections::HashSet;

const DATA_NOTES: &str = "\
## Café Zürich

## Paging

Text between.

## Paging

See [the paging order](@/pack/incident.md#paging), [models](models.md), [their models](../other/models.md),
[owners](notes.md#owners), [up](#café-zürich), [ext](https://example.com/x), [mail](mailto:a@acme.example).

```bash
flagctl off SUPPORT_TRIAGE # the kill switch
```

- [ ] wire the flag
- [x] write the docs

| Metric | Bound |
|--------|-------|
| accuracy | 0.9 |

A claim[^why] and ~~an old plan~~.

[^why]: Because we measured it.
";

/// Pack `pack` complete but `retention_policy` (TBD) and no models.md; pack `other`
/// complete; an extra page `pack/notes.md`.
fn rich_site() -> SiteBuilder {
    let data = complete_toml("data").replace("\"30 days\"", "\"TBD\"");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("other")
        .section("pack", "data", &data, DATA_NOTES)
        .file(
            "content/pack/notes.md",
            "+++\ntitle = \"Team notes\"\n+++\n# Team notes\n\n## Owners\n\nWho owns what.\n",
        );
    std::fs::remove_file(site.join("content/pack/models.md")).expect("rm models.md");
    site
}

fn main_of(html: &Html) -> ElementRef<'_> {
    one(html, "main")
}

/// Position of the first element matching `selector` in document order.
fn first_index(html: &Html, selector: &str) -> usize {
    let s = sel(selector);
    html.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .position(|e| s.matches(&e))
        .unwrap_or_else(|| panic!("no `{selector}`"))
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

#[test]
fn dashboard_lists_every_pack_with_completeness_phase_and_dri() {
    // `half`: workflow (6) and accountability (5) only: 11/39 = 28.2 → 28%, no phase.
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "half",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Half pack"),
            "",
        )
        .section(
            "half",
            "accountability",
            &complete_toml("accountability").replace(
                "Dana Ortiz <dana@acme.example>",
                "Sam Lee <sam@acme.example>",
            ),
            "",
        );
    site.build_ok();
    let html = site.page("");
    let table = one(&html, "main table.packs");
    let headers: Vec<String> = table.select(&sel("thead th")).map(|h| text(&h)).collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {headers:?}"))
    };
    let rows: Vec<ElementRef> = table.select(&sel("tbody tr")).collect();
    assert_eq!(rows.len(), 2, "one row per pack");
    let row_of = |slug: &str| -> Vec<ElementRef> {
        let row = rows
            .iter()
            .find(|r| {
                r.select(&sel("a"))
                    .any(|a| a.value().attr("href") == Some(url(&format!("{slug}/")).as_str()))
            })
            .unwrap_or_else(|| panic!("no row links to {slug}"));
        row.select(&sel("th, td")).collect()
    };
    let pack = row_of("pack");
    assert_eq!(text(&pack[0]), "Support triage");
    assert_eq!(text(&pack[col("Complete")]), "100%");
    assert_eq!(text(&pack[col("Phase")]), "Dogfood");
    let dri = pack[col("DRI")];
    assert_eq!(text(&one_in(dri, ".person")), "Dana Ortiz");
    assert_eq!(hrefs(dri, "a"), ["mailto:dana@acme.example"]);

    let half = row_of("half");
    assert_eq!(text(&half[0]), "Half pack");
    assert_eq!(text(&half[col("Complete")]), "28%");
    assert_eq!(text(&half[col("Phase")]), "Not started");
    assert_eq!(text(&one_in(half[col("DRI")], ".person")), "Sam Lee");
}

#[test]
fn pack_overview_links_the_nine_sections_in_order_and_the_missing_fields() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/");
    let main = main_of(&html);
    let section_urls: Vec<String> = STEMS.iter().map(|s| url(&format!("pack/{s}/"))).collect();
    let mut seen: Vec<String> = Vec::new();
    for h in hrefs(main, "a[href]") {
        if section_urls.contains(&h) && !seen.contains(&h) {
            seen.push(h);
        }
    }
    assert_eq!(seen, section_urls, "all nine sections, in pack order");
    let missing: Vec<String> = hrefs(main, "a[href]")
        .into_iter()
        .filter(|h| h.contains('#') && section_urls.iter().any(|s| h.starts_with(s.as_str())))
        .collect();
    assert_eq!(
        missing,
        [
            url("pack/data/#retention_policy"),
            url("pack/models/#approved"),
            url("pack/models/#routing_rule"),
            url("pack/models/#fallback"),
        ]
    );
    // The extra page is linked from the overview.
    assert!(
        hrefs(main, "a[href]").contains(&url("pack/notes/")),
        "the overview links the extra page"
    );
}

#[test]
fn section_page_shows_answers_then_notes() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/data/");
    let answers = one(&html, "dl.answers");
    let ids: Vec<&str> = answers
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        fields_of("data"),
        "one answer per field, its id the field name"
    );
    for field in fields_of("data") {
        let answer = one(&html, &format!("dl.answers [id=\"{field}\"]"));
        let marks: Vec<String> = answer.select(&sel(".missing")).map(|m| text(&m)).collect();
        if *field == "retention_policy" {
            assert_eq!(marks, ["Missing"], "{field} is unfilled");
        } else {
            assert_eq!(marks, Vec::<String>::new(), "{field} is filled");
            assert!(!text(&answer).contains("Missing"), "{field}");
        }
    }
    assert_eq!(
        text(&one(&html, "[id=\"audit_log\"] dd")),
        "Gateway logs in the warehouse"
    );
    assert!(
        first_index(&html, "dl.answers") < first_index(&html, "h2[id=\"café-zürich\"]"),
        "answers before the notes"
    );
}

#[test]
fn a_path_answer_links_to_the_pack_file_it_names() {
    // Relative to the pack folder, as the loader reads it: `./` and `..` are folded.
    let toml = complete_toml("evaluation")
        .replace("\"evals/cases.jsonl\"", "\"./evals/cases.jsonl\"")
        .replace(
            "\"evals/results.jsonl\"",
            "\"evals/../evals/results.jsonl\"",
        );
    let site =
        SiteBuilder::new()
            .complete_pack("pack")
            .section("pack", "evaluation", &toml, "Notes.\n");
    site.build_ok();
    let html = site.page("pack/evaluation/");
    for (field, file) in [
        ("eval_set", "pack/evals/cases.jsonl"),
        ("results", "pack/evals/results.jsonl"),
    ] {
        let answer = one(&html, &format!("dl.answers [id=\"{field}\"] dd"));
        assert_eq!(hrefs(answer, "a"), [url(file)], "{field}");
    }
}

#[test]
fn section_page_of_a_missing_file_marks_every_field() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/models/");
    for field in fields_of("models") {
        let marks: Vec<String> = one(&html, &format!("dl.answers [id=\"{field}\"]"))
            .select(&sel(".missing"))
            .map(|m| text(&m))
            .collect();
        assert_eq!(marks, ["Missing"], "{field}");
    }
}

#[test]
fn headings_get_ids_and_permalinks() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/data/");
    let h = one(&html, "h2[id=\"café-zürich\"]");
    assert_eq!(text(&h), "Café Zürich #");
    assert_eq!(hrefs(h, "a.permalink"), ["#café-zürich"]);
    // Two `## Paging` headings: unique ids, each with its permalink.
    let paging: Vec<(String, Vec<String>)> = html
        .select(&sel("main h2"))
        .filter(|h| text(h).starts_with("Paging"))
        .map(|h| {
            (
                h.value().attr("id").unwrap_or("").to_string(),
                hrefs(h, "a.permalink"),
            )
        })
        .collect();
    assert_eq!(
        paging,
        [
            ("paging".to_string(), vec!["#paging".to_string()]),
            ("paging-1".to_string(), vec!["#paging-1".to_string()])
        ]
    );
}

#[test]
fn a_heading_named_like_a_field_does_not_take_its_id() {
    // `paging` is the id of an incident answer: a `## Paging` heading there gets another id.
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "incident",
        complete_toml("incident"),
        "## Paging\n\nOrder.\n",
    );
    site.build_ok();
    let html = site.page("pack/incident/");
    assert_eq!(select(&html, "[id=\"paging\"]").len(), 1);
    assert_eq!(
        one(&html, "[id=\"paging\"]").value().name(),
        one(&html, "dl.answers [id=\"paging\"]").value().name()
    );
    let heading = one(&html, "main h2[id^=\"paging\"]");
    assert_ne!(heading.value().attr("id"), Some("paging"));
}

#[test]
fn ids_on_a_section_page_are_unique() {
    // `rollbook new` writes `## Notes` into every section file, so every new pack hits this.
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "data",
        complete_toml("data"),
        "## Notes\n\nText.\n\n## Answers\n\nMore.\n",
    );
    site.build_ok();
    let html = site.page("pack/data/");
    let mut seen = HashSet::new();
    for e in html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if let Some(id) = e.value().attr("id") {
            assert!(
                seen.insert(id.to_string()),
                "duplicate id `{id}` on the section page"
            );
        }
    }
}

#[test]
fn internal_links_resolve_under_the_base_path() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/data/");
    let link = |label: &str| -> String {
        let a = html
            .select(&sel("main a[href]"))
            .find(|a| text(a) == label)
            .unwrap_or_else(|| panic!("no link `{label}`"));
        a.value().attr("href").unwrap_or("").to_string()
    };
    assert_eq!(link("the paging order"), url("pack/incident/#paging"));
    assert_eq!(link("models"), url("pack/models/"));
    assert_eq!(link("their models"), url("other/models/"));
    assert_eq!(link("owners"), url("pack/notes/#owners"));
    assert_eq!(link("ext"), "https://example.com/x");
    assert_eq!(link("mail"), "mailto:a@acme.example");
    let up = link("up");
    // Same-page links are written in full, so they survive reuse on other pages.
    assert_eq!(up, url("pack/data/#caf%C3%A9-z%C3%BCrich"));
    // The anchor targets exist.
    assert_eq!(
        select(&site.page("pack/notes/"), "[id=\"owners\"]").len(),
        1
    );
    assert_eq!(
        select(&site.page("pack/incident/"), "[id=\"paging\"]").len(),
        1
    );
}

#[test]
fn code_is_highlighted_with_classes_not_styles() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/data/");
    let code = one(&html, "main pre code");
    assert!(
        code.select(&sel("span[class^=\"hl-\"]")).count() > 1,
        "{}",
        code.html()
    );
    assert_eq!(text(&code), "flagctl off SUPPORT_TRIAGE # the kill switch");
    assert_eq!(select(&html, "[style]").len(), 0, "no inline styles");
    let css = site.read("public/syntax.css");
    assert!(css.contains(".hl-"), "syntax.css styles the hl- classes");
    let dark = css
        .find("@media (prefers-color-scheme: dark)")
        .expect("a dark-scheme media query");
    assert!(
        css[dark..].contains(".hl-"),
        "the dark scheme styles the hl- classes too"
    );
    let links = hrefs(html.root_element(), "link[rel=\"stylesheet\"]");
    assert!(links.contains(&url("syntax.css")), "{links:?}");
}

#[test]
fn task_lists_tables_footnotes_and_strikethrough() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/data/");
    let boxes = select(&html, "main li input[type=\"checkbox\"]");
    assert_eq!(boxes.len(), 2);
    assert!(boxes.iter().all(|b| b.value().attr("disabled").is_some()));
    let checked: Vec<bool> = boxes
        .iter()
        .map(|b| b.value().attr("checked").is_some())
        .collect();
    assert_eq!(checked, [false, true]);
    let table = one(&html, "main table:not(.packs)");
    assert_eq!(
        table
            .select(&sel("thead th"))
            .map(|t| text(&t))
            .collect::<Vec<_>>(),
        ["Metric", "Bound"]
    );
    assert_eq!(
        table
            .select(&sel("tbody td"))
            .map(|t| text(&t))
            .collect::<Vec<_>>(),
        ["accuracy", "0.9"]
    );
    assert_eq!(text(&one(&html, "main del")), "an old plan");
    let reference = one(&html, "main sup a[href^=\"#\"]");
    let target = reference
        .value()
        .attr("href")
        .unwrap_or("#")
        .trim_start_matches('#');
    let definition = one(&html, &format!("[id=\"{target}\"]"));
    assert!(
        text(&definition).contains("Because we measured it."),
        "{}",
        definition.html()
    );
}

/// On a phone a wide table scrolls inside its own region, which a keyboard can reach and
/// a screen reader names; a table that scrolled by itself would be out of keyboard reach.
#[test]
fn every_table_scrolls_in_a_named_region_a_keyboard_can_reach() {
    let site = rich_site();
    site.build_ok();
    let mut tables = 0;
    let mut labels = HashSet::new();
    for file in html_files(&site) {
        let html = site.html(&file);
        for table in html.select(&sel("table")) {
            tables += 1;
            let wrap = table
                .parent()
                .and_then(ElementRef::wrap)
                .unwrap_or_else(|| panic!("{file}: a table without a parent element"));
            let attr = |name| wrap.value().attr(name).unwrap_or("");
            assert!(
                wrap.value().name() == "div"
                    && has_class(&wrap, "table-wrap")
                    && attr("tabindex") == "0"
                    && attr("role") == "region"
                    && !attr("aria-label").trim().is_empty(),
                "{file}: a table is not in a named, focusable scroll region: {}",
                wrap.html().chars().take(160).collect::<String>()
            );
            labels.insert(attr("aria-label").to_string());
        }
    }
    // The release gate of the evaluation pages and the notes' Markdown table at least.
    assert!(
        labels.contains("Release gate") && labels.contains("Table"),
        "{tables} tables, labelled {labels:?}"
    );
}

#[test]
fn front_matter_html_is_escaped() {
    let script = "<script>alert(1)</script>";
    let img = "<img src=x onerror=alert(1)>";
    let data = complete_toml("data")
        .replace(
            "Card numbers masked before the model call",
            &format!("Mask {script} always"),
        )
        .replace("Gateway logs in the warehouse", &format!("Logs {img} here"))
        .replace("\"Help centre articles\"", &format!("\"Wiki {script}\""));
    let workflow = complete_toml("workflow").replace("Support triage", &format!("Triage {img}"));
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "data", &data, "")
        .section("pack", "workflow", &workflow, "");
    site.build_ok();
    let html = site.page("pack/data/");
    assert_eq!(
        text(&one(&html, "[id=\"redaction_rules\"] dd")),
        format!("Mask {script} always")
    );
    assert_eq!(
        text(&one(&html, "[id=\"audit_log\"] dd")),
        format!("Logs {img} here")
    );
    assert!(text(&one(&html, "[id=\"sources\"] dd")).contains(&format!("Wiki {script}")));
    // The workflow name shows on many pages: none of them holds the injected elements.
    for page in [
        "pack/data/",
        "pack/",
        "",
        "pack/workflow/",
        "pack/runbook/",
        "pack/checklist/",
    ] {
        let html = site.page(page);
        // The theme's one inline script applies the reader's light/dark choice.
        let injected: Vec<String> = html
            .select(&sel("script:not([src]), img[onerror], [onerror]"))
            .map(|e| e.html())
            .filter(|h| {
                !h.starts_with("<script>try{var t=localStorage.getItem(\"rollbook-theme\")")
            })
            .collect();
        assert_eq!(injected, Vec::<String>::new(), "{page}");
        assert!(
            html.root_element()
                .text()
                .collect::<String>()
                .contains(&format!("Triage {img}")),
            "{page} shows the name as text"
        );
    }
}

/// Every HTML file under `public/`.
fn html_files(site: &SiteBuilder) -> Vec<String> {
    snapshot(&site.join("public"))
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

#[test]
fn every_link_stays_under_the_base_path_and_resolves() {
    let site = rich_site();
    site.build_ok();
    let files = html_files(&site);
    assert!(files.len() > 20, "{files:?}");
    let mut internal = 0;
    for file in &files {
        let html = site.html(file);
        for e in html.select(&sel("[href], [src]")) {
            for attr in ["href", "src"] {
                let Some(v) = e.value().attr(attr) else {
                    continue;
                };
                if !is_site_link(v) {
                    continue;
                }
                let rest = v
                    .strip_prefix(BASE)
                    .unwrap_or_else(|| panic!("{file}: {attr}=\"{v}\" is not under {BASE}"));
                let path = rest.split(['#', '?']).next().unwrap_or("");
                let target = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_string()
                };
                assert!(
                    site.join("public").join(&target).is_file(),
                    "{file}: {attr}=\"{v}\" points at nothing"
                );
                internal += 1;
            }
        }
    }
    assert!(internal > 100, "{internal} internal links checked");
}

#[test]
fn prev_and_next_walk_the_pack_in_order() {
    let site = rich_site();
    site.build_ok();
    // Overview, the nine sections, then the extra page.
    let mut order: Vec<String> = vec![url("pack/")];
    order.extend(STEMS.iter().map(|s| url(&format!("pack/{s}/"))));
    order.push(url("pack/notes/"));
    for (i, page) in order.iter().enumerate() {
        let html = site.page(page.strip_prefix(BASE).expect("base"));
        let prev = hrefs(html.root_element(), "a[rel=\"prev\"]");
        let next = hrefs(html.root_element(), "a[rel=\"next\"]");
        let want_prev: Vec<String> = if i == 0 {
            vec![]
        } else {
            vec![order[i - 1].clone()]
        };
        let want_next: Vec<String> = order.get(i + 1).cloned().into_iter().collect();
        assert_eq!(prev, want_prev, "prev of {page}");
        assert_eq!(next, want_next, "next of {page}");
    }
}

#[test]
fn the_pack_sidebar_marks_only_the_page_shown() {
    let site = rich_site();
    site.build_ok();
    // Links the pack's sidebar marks as the current page, and those of its current section.
    let marked = |page: &str| -> (Vec<String>, Vec<String>) {
        let html = site.page(page);
        let nav = one(&html, "nav.pack-nav");
        (
            hrefs(nav, "a[aria-current=\"page\"]"),
            hrefs(nav, "li.current > a"),
        )
    };
    // Pages render in the pack's order, the checklist last: none keeps the mark of the
    // section before it.
    for stem in STEMS {
        let here = url(&format!("pack/{stem}/"));
        assert_eq!(
            marked(&format!("pack/{stem}/")),
            (vec![here.clone()], vec![here])
        );
    }
    for page in ["pack/", "pack/notes/"] {
        assert_eq!(marked(page), (vec![], vec![]), "{page}");
    }
    assert_eq!(
        marked("pack/checklist/"),
        (vec![url("pack/checklist/")], vec![])
    );
    let checklist = site.page("pack/checklist/");
    assert!(hrefs(checklist.root_element(), "a[rel=\"prev\"], a[rel=\"next\"]").is_empty());
}

#[test]
fn breadcrumbs() {
    let site = rich_site();
    site.build_ok();
    let crumbs = |page: &str| -> (Vec<(String, String)>, String) {
        let html = site.page(page);
        let nav = one(&html, "nav[aria-label=\"Breadcrumbs\"]");
        let links = nav
            .select(&sel("a"))
            .map(|a| (text(&a), a.value().attr("href").unwrap_or("").to_string()))
            .collect();
        let current = text(&one_in(nav, "[aria-current=\"page\"]"));
        (links, current)
    };
    let dashboard = ("Dashboard".to_string(), url(""));
    let pack = ("Support triage".to_string(), url("pack/"));
    assert_eq!(
        crumbs("pack/data/"),
        (
            vec![dashboard.clone(), pack.clone()],
            "Data & permissions".to_string()
        )
    );
    assert_eq!(
        crumbs("pack/notes/"),
        (vec![dashboard.clone(), pack], "Team notes".to_string())
    );
    assert_eq!(
        crumbs("pack/"),
        (vec![dashboard], "Support triage".to_string())
    );
}

#[test]
fn extra_page_renders_in_the_pack() {
    let site = rich_site();
    site.build_ok();
    let html = site.page("pack/notes/");
    assert_eq!(text(&one(&html, "main h1")), "Team notes #");
    assert_eq!(text(&one(&html, "main h2[id=\"owners\"]")), "Owners #");
    assert!(text(&main_of(&html)).contains("Who owns what."));
}

#[test]
fn not_found_page() {
    let site = rich_site();
    site.build_ok();
    let html = site.html("404.html");
    assert!(!select(&html, "main h1").is_empty());
    assert!(
        hrefs(html.root_element(), "a[href]").contains(&url("")),
        "links back to the dashboard"
    );
    assert!(site.join("public/.nojekyll").is_file());
}

#[test]
fn template_override_is_used() {
    let tpl = "{% extends \"base.html\" %}{% block main %}<p id=\"custom-section\">Custom: {{ page.title }}</p>{% endblock main %}";
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("templates/section.html", tpl);
    site.build_ok();
    let html = site.page("pack/data/");
    assert_eq!(
        text(&one(&html, "#custom-section")),
        "Custom: Data & permissions"
    );
    assert_eq!(
        select(&html, "dl.answers").len(),
        0,
        "the default section template is replaced"
    );
    // Other pages keep the theme's templates.
    assert_eq!(select(&site.page("pack/"), "#custom-section").len(), 0);
}

#[test]
fn a_site_without_a_themes_folder_uses_the_embedded_theme() {
    let site = SiteBuilder::new().complete_pack("pack");
    assert!(!site.join("themes").exists());
    site.build_ok();
    assert!(site.join("public/style.css").is_file());
    assert!(!site.read("public/style.css").is_empty());
    let html = site.page("pack/data/");
    assert_eq!(select(&html, "dl.answers").len(), 1);
}

#[test]
fn sixty_packs_build_and_pages_do_not_grow_with_the_site() {
    let single = SiteBuilder::new().complete_pack("pack-00");
    single.build_ok();
    let mut many = SiteBuilder::new();
    for i in 0..60 {
        many = many.complete_pack(&format!("pack-{i:02}"));
    }
    many.build_ok();
    assert_eq!(many.status()["packs"].as_array().expect("packs").len(), 60);
    let page = "public/pack-07/data/index.html";
    let html = Html::parse_document(&many.read(page));
    let others: Vec<String> = hrefs(html.root_element(), "[href]")
        .into_iter()
        .filter(|h| h.starts_with(&url("pack-")) && !h.starts_with(&url("pack-07/")))
        .collect();
    assert_eq!(
        others,
        Vec::<String>::new(),
        "a section page links no other pack"
    );
    // The same section page is byte for byte the same in a site of one pack and of sixty.
    assert_eq!(
        many.read("public/pack-00/data/index.html"),
        single.read("public/pack-00/data/index.html")
    );
}

#[test]
fn not_applicable_answers_show_the_reason() {
    let data = complete_toml("data").replace("\"30 days\"", "\"N/A: nothing is stored\"");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "data", &data, "");
    site.build_ok();
    let html = site.page("pack/data/");
    let answer = one(&html, "dl.answers [id=\"retention_policy\"]");
    assert_eq!(
        text(&one_in(answer, "dd")),
        "Not applicable: nothing is stored"
    );
    assert_eq!(answer.select(&sel(".missing")).count(), 0);
}

#[test]
fn links_in_answers_resolve_under_the_base_path() {
    let incident = complete_toml("incident").replace(
        "\"Post in the support channel\"",
        "\"Post as in [the data page](@/pack/data.md#audit_log) or [models](models.md)\"",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "incident", &incident, "");
    site.build_ok();
    let html = site.page("pack/incident/");
    let links = hrefs(one(&html, "dl.answers [id=\"comms_plan\"] dd"), "a");
    assert_eq!(links, [url("pack/data/#audit_log"), url("pack/models/")]);
}

/// The fill of a badge's value box and its title.
fn badge(site: &SiteBuilder, path: &str) -> (String, String) {
    let svg = site.read(&format!("public/badges/{path}"));
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or("")
        .to_string();
    let fill = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x").is_some())
        .filter_map(|n| n.attribute("fill"))
        .next()
        .unwrap_or_else(|| panic!("no value box in {svg}"))
        .to_string();
    (fill, title)
}

#[test]
fn badge_colours_follow_completeness() {
    // full 100%; almost 38/39 = 97%; one 1/39 = 2%; empty: every field a placeholder, 0%.
    // Sections of `sections`: rollout 3/4 = 75%, models 2/3 = 66%, rhythm 0%.
    let site = SiteBuilder::new()
        .complete_pack("full")
        .complete_pack("almost")
        .section(
            "almost",
            "models",
            &complete_toml("models").replace("\"Tickets go to the manual queue\"", "\"TBD\""),
            "",
        )
        .section("one", "workflow", "name = \"Solo\"\n", "")
        .section("empty", "workflow", "name = \"TBD\"\n", "")
        .complete_pack("sections")
        .section(
            "sections",
            "rollout",
            &complete_toml("rollout").replace("\"Dana, then the support director\"", "\"TBD\""),
            "",
        )
        .section(
            "sections",
            "models",
            &complete_toml("models").replace("\"Tickets go to the manual queue\"", "\"TBD\""),
            "",
        )
        .section("sections", "rhythm", "reviews = []\n", "");
    site.build_ok();
    let fill = |p: &str| badge(&site, p).0;
    assert_eq!(fill("full.svg"), "#4c1");
    assert_eq!(fill("almost.svg"), "#dfb317");
    assert_eq!(fill("one.svg"), "#fe7d37");
    assert_eq!(fill("empty.svg"), "#e05d44");
    assert_eq!(badge(&site, "almost.svg").1, "rollout pack: 97%");
    assert_eq!(fill("sections/workflow.svg"), "#4c1");
    assert_eq!(fill("sections/rollout.svg"), "#dfb317");
    assert_eq!(fill("sections/models.svg"), "#fe7d37");
    assert_eq!(fill("sections/rhythm.svg"), "#e05d44");
    assert!(badge(&site, "sections/rollout.svg").1.ends_with("75%"));
}

#[test]
fn sitemap_and_search_index() {
    let site = rich_site();
    site.build_ok();
    let xml = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://acme.github.io/ai-packs/pack/data/"),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://acme.github.io/ai-packs/pack/notes/"),
        "{locs:?}"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://acme.github.io/ai-packs/")),
        "{locs:?}"
    );
    let manifest = site.read("public/search/index.js");
    assert!(
        manifest.starts_with("rollbookSearch(\"index\","),
        "{manifest}"
    );
    assert!(site.join("public/search/t/0.js").is_file());
    assert!(site.join("public/search/d/0.js").is_file());
}

#[test]
fn built_pages_carry_no_live_reload_script() {
    let site = rich_site();
    site.build_ok();
    for file in html_files(&site) {
        assert!(
            !site.read(&format!("public/{file}")).contains("__rollbook"),
            "{file} refers to the live-reload endpoint"
        );
    }
}

#[test]
fn base_url_option_moves_every_link() {
    let site = SiteBuilder::new().complete_pack("pack");
    let out = site.run(&["build", "--base-url", "https://docs.acme.example/packs/v2/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.page("pack/data/");
    let internal: Vec<String> = hrefs(html.root_element(), "[href]")
        .into_iter()
        .filter(|h| h.starts_with('/'))
        .collect();
    assert!(!internal.is_empty());
    assert!(
        internal.iter().all(|h| h.starts_with("/packs/v2/")),
        "{internal:?}"
    );
}

#[test]
fn a_root_base_url_and_cname() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("site.toml", "title = \"Packs\"\nbase_url = \"https://packs.acme.example\"\ncname = \"packs.acme.example\"\n");
    site.build_ok();
    assert_eq!(site.read("public/CNAME").trim(), "packs.acme.example");
    let html = site.page("pack/data/");
    let crumbs = hrefs(one(&html, "nav[aria-label=\"Breadcrumbs\"]"), "a");
    assert_eq!(crumbs, ["/", "/pack/"]);
}

#[test]
fn edit_links_and_last_updated_dates() {
    let site = SiteBuilder::new()
        .file(
            "site.toml",
            &format!(
                "{SITE_TOML}edit_url = \"https://github.com/acme/packs/edit/main/{{path}}\"\n"
            ),
        )
        .complete_pack("pack")
        .section(
            "pack",
            "incident",
            &format!("{}updated = 2026-11-20\n", complete_toml("incident")),
            "Notes.\n",
        );
    site.build_ok();
    let page = site.page("pack/incident/");
    let edit = one(&page, ".page-footer a");
    assert_eq!(text(&edit), "Edit this page");
    assert_eq!(
        edit.value().attr("href"),
        Some("https://github.com/acme/packs/edit/main/content/pack/incident.md")
    );
    let updated = one(&page, ".page-footer time");
    assert_eq!(updated.value().attr("datetime"), Some("2026-11-20"));
    // A section without `updated` says nothing about it; pages that no file backs
    // (the dashboard) have nothing to edit.
    assert!(select(&site.page("pack/data/"), ".page-footer time").is_empty());
    assert!(select(&site.page(""), ".page-footer a").is_empty());
}

/// On a phone the pack's sidebar falls below the page; a bar at the top of every pack
/// page but the runbook itself leads to the runbook, the checklist and the overview.
#[test]
fn every_pack_page_but_the_runbook_opens_with_links_for_action() {
    let site = SiteBuilder::new().complete_pack("pack").file(
        "content/pack/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nText.\n",
    );
    site.build_ok();
    for url_path in ["pack/", "pack/incident/", "pack/notes/", "pack/checklist/"] {
        let page = site.page(url_path);
        let bar = one(&page, "main > nav.pack-bar");
        assert_eq!(
            hrefs(bar, "a"),
            [
                "/ai-packs/pack/",
                "/ai-packs/pack/runbook/",
                "/ai-packs/pack/checklist/",
                "#pack-sections"
            ],
            "{url_path}"
        );
        // The bar's last link lands on the sidebar's list of sections.
        assert_eq!(select(&page, "ol.pack-sections#pack-sections").len(), 1);
    }
    let current = site.page("pack/checklist/");
    let here = one(&current, ".pack-bar a[aria-current=page]");
    assert_eq!(text(&here), "Checklist");
    assert!(select(&site.page("pack/runbook/"), ".pack-bar").is_empty());
    assert!(select(&site.page(""), ".pack-bar").is_empty());
}

/// A missing answer says which key to set in which file, with a link to edit that file
/// when the site has `edit_url`, or how to create the file when there is none.
#[test]
fn a_missing_answer_names_its_key_and_file() {
    let site = SiteBuilder::new()
        .file(
            "site.toml",
            &format!(
                "{SITE_TOML}edit_url = \"https://github.com/acme/packs/edit/main/{{path}}\"\n"
            ),
        )
        .complete_pack("pack");
    // One answer left as a placeholder.
    let data = complete_toml("data")
        .lines()
        .map(|l| {
            if l.starts_with("retention_policy") {
                "retention_policy = \"TBD\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let site = site.section("pack", "data", &format!("{data}\n"), "");
    std::fs::remove_file(site.join("content/pack/models.md")).expect("rm");
    site.build_ok();
    let page = site.page("pack/data/");
    let fix = one(&page, "[id=\"retention_policy\"] .fix");
    assert_eq!(
        text(&fix),
        "Set retention_policy in content/pack/data.md · edit it"
    );
    assert_eq!(
        hrefs(fix, "a"),
        ["https://github.com/acme/packs/edit/main/content/pack/data.md"]
    );
    // Filled answers carry no such line.
    assert!(select(&page, "[id=\"sources\"] .fix").is_empty());
    // A section with no file yet: nothing to edit, but how to make it.
    let models = site.page("pack/models/");
    let fix = one(&models, "[id=\"approved\"] .fix");
    assert_eq!(
        text(&fix),
        "Set approved in content/pack/models.md (create it with rollbook new)"
    );
    assert!(hrefs(fix, "a").is_empty());
}

//! Notes as Markdown: heading ids and permalinks, code, task lists, tables and footnotes.

use super::*;

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

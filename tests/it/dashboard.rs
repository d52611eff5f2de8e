//! The dashboard as a manager reads it: the summary and the filters it links to, the
//! packs table tagged for each filter, and the packs × sections completeness grid.

use crate::common::*;
use crate::composed::dashboard_site;
use scraper::{ElementRef, Html};
use serde_json::Value;
use std::collections::BTreeSet;

/// The filters and which packs status.json puts in each.
fn status_filters(status: &Value) -> Vec<(&'static str, BTreeSet<String>)> {
    let packs = status["packs"].as_array().expect("packs");
    let slugs = |f: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        packs
            .iter()
            .filter(|p| f(p))
            .map(|p| p["slug"].as_str().expect("slug").to_string())
            .collect()
    };
    vec![
        ("ready", slugs(&|p| p["ready"] == true)),
        ("gate-failing", slugs(&|p| p["gate"] == "fail")),
        ("stale", slugs(&|p| p["stale"] == true)),
        ("ahead", slugs(&|p| p["ahead_of_bar"] == true)),
    ]
}

/// The slug a row's first link (the pack's overview) names.
fn row_slug(row: ElementRef) -> String {
    let href = row
        .select(&sel("th a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a row links its pack");
    href.trim_start_matches(BASE)
        .trim_end_matches('/')
        .to_string()
}

/// The summary's number for `filter`, read from its text.
fn summary_count(html: &Html, filter: &str) -> usize {
    let count = one(html, &format!(".summary .count-{filter}"));
    let words = text(&count);
    words
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in the summary's {filter}: {words:?}"))
}

#[test]
fn summary_counts_equal_status_json_and_each_link_filters_to_those_packs() {
    let site = dashboard_site();
    site.build_ok();
    let status = site.status();
    let html = site.page("");
    let total = status["packs"].as_array().expect("packs").len();
    let rows = select(&html, "table.packs > tbody > tr");
    assert_eq!(rows.len(), total);

    for (filter, want) in status_filters(&status) {
        assert!(!want.is_empty(), "the site has a pack in {filter}");
        assert_eq!(summary_count(&html, filter), want.len(), "{filter}");
        // The link targets an element of the page, and the rows it keeps are status.json's.
        let link = one(&html, &format!(".summary a[data-filter=\"{filter}\"]"));
        let href = link.value().attr("href").expect("href");
        assert_eq!(href, format!("#filter-{filter}"));
        one(&html, &format!("[id=\"filter-{filter}\"]"));
        let tagged: BTreeSet<String> = rows
            .iter()
            .filter(|r| has_class(r, &format!("is-{filter}")))
            .map(|r| row_slug(*r))
            .collect();
        assert_eq!(tagged, want, "rows tagged for {filter}");
        let grid: BTreeSet<String> = select(&html, ".sections-grid > tbody > tr")
            .into_iter()
            .filter(|r| has_class(r, &format!("is-{filter}")))
            .map(row_slug)
            .collect();
        assert_eq!(grid, want, "grid rows tagged for {filter}");
        // The note shown while the filter is on says how many and links back to all.
        let note = one(&html, &format!(".filter-note-{filter}"));
        assert!(text(&note).contains(&format!("{} pack", want.len())));
        assert_eq!(hrefs(note, "a"), ["#summary"]);
    }
    assert!(text(&one(&html, ".summary .count-ready")).contains(&format!("of {total} ready")));
    // Every in-page link of the dashboard lands on an element.
    for a in select(&html, "main a[href^=\"#\"]") {
        let id = &a.value().attr("href").expect("href")[1..];
        one(&html, &format!("[id=\"{id}\"]"));
    }
}

#[test]
fn a_filter_no_pack_passes_is_counted_but_not_a_link() {
    let site = SiteBuilder::new().complete_pack("only");
    site.build_ok();
    let html = site.page("");
    assert_eq!(text(&one(&html, ".summary .count-ready")), "1 of 1 ready");
    assert_eq!(
        text(&one(&html, ".summary .count-gate-failing")),
        "0 gates failing"
    );
    assert_eq!(
        text(&one(&html, ".summary .count-stale")),
        "0 reviews stale"
    );
    assert_eq!(
        text(&one(&html, ".summary .count-ahead")),
        "0 phases ahead of their bar"
    );
    let links: Vec<String> = select(&html, ".summary a")
        .iter()
        .filter_map(|a| a.value().attr("data-filter"))
        .map(str::to_string)
        .collect();
    assert_eq!(links, ["ready"]);
    assert!(select(&html, "#filter-stale, .filter-note-stale").is_empty());
}

#[test]
fn grid_has_a_row_per_pack_and_a_linked_cell_per_section_with_its_percentage() {
    let site = dashboard_site();
    site.build_ok();
    let status = site.status();
    let html = site.page("");
    let grid = one(&html, "table.sections-grid");
    let heads: Vec<String> = grid
        .select(&sel("thead th"))
        .skip(1)
        .map(|h| text(&h).to_lowercase())
        .collect();
    let stems: Vec<String> = status["packs"][0]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["section"].as_str().expect("stem").to_string())
        .collect();
    assert_eq!(heads, stems, "one column per section, in pack order");

    let rows: Vec<ElementRef> = grid.select(&sel("tbody > tr")).collect();
    let packs = status["packs"].as_array().expect("packs");
    assert_eq!(rows.len(), packs.len(), "one row per pack");
    for row in rows {
        let slug = row_slug(row);
        let pack = pack(&status, &slug);
        let cells: Vec<ElementRef> = row.select(&sel("td")).collect();
        assert_eq!(cells.len(), 9, "{slug}: a cell per section");
        for (cell, stem) in cells.iter().zip(&stems) {
            let (pct, _) = section_status(pack, stem);
            // Text, not only colour: the percentage, and a band class for the colour.
            assert_eq!(text(cell), format!("{pct}%"), "{slug}/{stem}");
            let band = match pct {
                100 => "lv-full",
                75..=99 => "lv-most",
                1..=74 => "lv-some",
                _ => "lv-none",
            };
            assert!(has_class(cell, band), "{slug}/{stem} at {pct}% is {band}");
            let href = format!("{BASE}{slug}/{stem}/");
            assert_eq!(hrefs(*cell, "a"), std::slice::from_ref(&href));
            assert!(
                site.join(&format!("public/{slug}/{stem}/index.html"))
                    .is_file(),
                "{href} is a page"
            );
        }
    }
}

#[test]
fn the_sites_intro_cannot_take_the_dashboards_ids() {
    let site = SiteBuilder::new().complete_pack("pack").file(
        "content/_index.md",
        "+++\n+++\n## Summary\n\n## Packs\n\n## Filter ready\n",
    );
    site.build_ok();
    let html = site.page("");
    for id in ["summary", "packs", "filter-ready"] {
        assert_eq!(select(&html, &format!("[id=\"{id}\"]")).len(), 1, "#{id}");
    }
    assert_eq!(one(&html, "#summary").value().name(), "nav");
    assert_eq!(select(&html, ".intro h2").len(), 3);
}

#[test]
fn the_grid_keeps_the_hundred_packs_that_need_attention_most_and_says_how_many_more() {
    // 101 packs: one complete and ready, a hundred with only a name.
    let mut site = SiteBuilder::new().complete_pack("aaa-ready");
    for i in 0..100 {
        site = site.section(&format!("p{i:03}"), "workflow", "name = \"TBD\"\n", "");
    }
    site.build_ok();
    let html = site.page("");
    assert_eq!(select(&html, "table.packs > tbody > tr").len(), 101);
    let grid = select(&html, ".sections-grid > tbody > tr");
    assert_eq!(grid.len(), 100);
    // Those needing attention first: the ready pack is the one left out.
    assert!(grid.iter().all(|r| row_slug(*r) != "aaa-ready"));
    let legend = text(&one(&html, ".grid-legend"));
    assert!(legend.contains("The 100 packs"), "{legend}");
    assert!(legend.contains("1 more"), "{legend}");
}

#[test]
fn the_dashboard_says_which_day_it_was_built() {
    let site = SiteBuilder::new().complete_pack("pack");
    for today in ["2026-11-26", "2027-01-02"] {
        let out = site.run_at(today, &["build"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let page = site.page("");
        let built = select(&page, "main p.built time");
        assert_eq!(built.len(), 1, "one build date on the dashboard");
        assert_eq!(built[0].value().attr("datetime"), Some(today));
        assert_eq!(built[0].text().collect::<String>(), today);
    }
}

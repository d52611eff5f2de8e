//! The pack's own pages: the dashboard row, the overview, section pages and extra pages,
//! answers as written, missing and not applicable.

use super::*;

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

//! Links and the ways through a pack: every link under the base path and resolved, previous
//! and next, the sidebar, breadcrumbs, and the base URL.

use super::*;

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

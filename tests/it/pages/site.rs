//! What the whole site carries: the 404 page, the theme and its overrides, badges, the
//! sitemap and search index, edit links and dates, and pages that do not grow with the
//! site.

use super::*;

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

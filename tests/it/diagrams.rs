//! Mermaid diagrams: ```mermaid blocks become `<pre class="mermaid">` with their source, and
//! only pages that show one load the theme's copy of Mermaid.

use crate::common::*;
use scraper::Html;

const SOURCE: &str =
    "flowchart LR\n  A[\"Flag on & <ready>\"] --> B{Kill switch?}\n  B -->|yes| C[Off]";

fn notes() -> String {
    format!("Before the diagram.\n\n```mermaid\n{SOURCE}\n```\n\n```bash\nflagctl off X\n```\n")
}

/// Pack `pack` with a diagram in its incident notes (so on its runbook too) and none elsewhere.
fn diagram_site() -> SiteBuilder {
    SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "incident",
        complete_toml("incident"),
        &notes(),
    )
}

fn script_srcs(html: &Html) -> Vec<String> {
    select(html, "script[src]")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .map(str::to_string)
        .collect()
}

fn diagram_scripts(html: &Html) -> Vec<String> {
    script_srcs(html)
        .into_iter()
        .filter(|s| s.ends_with("mermaid/mermaid.min.js") || s.ends_with("diagrams.js"))
        .collect()
}

#[test]
fn a_mermaid_block_is_its_source_in_pre_mermaid_without_highlighting() {
    let site = diagram_site();
    site.build_ok();
    let html = site.page("pack/incident/");
    let pre = one(&html, "main pre.mermaid");
    assert_eq!(pre.text().collect::<String>().trim_end(), SOURCE);
    assert_eq!(pre.children().count(), 1, "only text: {}", pre.html());
    assert!(
        pre.select(&sel("span, code")).next().is_none(),
        "{}",
        pre.html()
    );
    assert!(
        pre.html().contains("&amp; &lt;ready&gt;"),
        "the source is escaped: {}",
        pre.html()
    );
    // The other block of the page is still highlighted.
    let code = one(&html, "main pre.code code.language-bash");
    assert!(code.select(&sel("span[class^=\"hl-\"]")).next().is_some());
}

#[test]
fn only_pages_with_a_diagram_load_the_diagram_script_and_styles() {
    let site = diagram_site();
    site.build_ok();
    let want = vec![
        format!("{BASE}mermaid/mermaid.min.js"),
        format!("{BASE}diagrams.js"),
    ];
    for page in ["pack/incident/", "pack/runbook/", "runbooks/print/"] {
        let html = site.page(page);
        assert_eq!(diagram_scripts(&html), want, "{page}");
        assert!(
            stylesheets(&html).contains(&"diagrams.css".to_string()),
            "{page}"
        );
        for s in select(&html, "script[src]") {
            assert!(s.value().attr("defer").is_some(), "{page}: {}", s.html());
        }
    }
    for page in [
        "",
        "pack/",
        "pack/data/",
        "pack/workflow/",
        "runbooks/",
        "owners/",
    ] {
        let html = site.page(page);
        assert_eq!(diagram_scripts(&html), Vec::<String>::new(), "{page}");
        assert!(
            !stylesheets(&html).contains(&"diagrams.css".to_string()),
            "{page}"
        );
        assert!(
            script_srcs(&html).iter().any(|s| s.ends_with("search.js")),
            "{page} still loads its other scripts"
        );
    }
    let not_found = site.html("404.html");
    assert_eq!(diagram_scripts(&not_found), Vec::<String>::new());
}

#[test]
fn the_theme_ships_mermaid_and_its_license() {
    let site = diagram_site();
    site.build_ok();
    let script = std::fs::read(site.join("public/mermaid/mermaid.min.js")).expect("mermaid.min.js");
    assert!(script.len() > 1_000_000, "{} bytes", script.len());
    let text = String::from_utf8_lossy(&script);
    assert!(
        text.contains("globalThis[\"mermaid\"]"),
        "the classic-script build"
    );
    assert!(!text.contains("import.meta"), "no ES module syntax");
    let license = site.read("public/mermaid/LICENSE");
    assert!(license.contains("The MIT License"), "{license}");
    let init = site.read("public/diagrams.js");
    assert!(init.contains("startOnLoad") && init.contains("securityLevel: 'strict'"));
}

#[test]
fn a_site_without_a_diagram_is_built_without_the_diagram_library() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    assert!(
        !site.join("public/mermaid").exists(),
        "5 MB of Mermaid copied into a site that draws no diagram"
    );
    assert!(site.join("public/diagrams.js").is_file());
}

#[test]
fn offline_copies_load_the_diagram_script_relatively() {
    let site = diagram_site();
    let out = site.run(&["build", "--offline"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.html("pack/incident/index.html");
    assert_eq!(
        diagram_scripts(&html),
        ["../../mermaid/mermaid.min.js", "../../diagrams.js"]
    );
    for src in diagram_scripts(&html) {
        assert!(
            site.join("public/pack/incident").join(&src).is_file(),
            "{src}"
        );
    }
}

fn stylesheets(html: &Html) -> Vec<String> {
    select(html, "link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .filter_map(|h| h.rsplit('/').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn page_specific_stylesheets_are_linked_only_where_needed() {
    let alert = "> [!WARNING]\n> Do not flip the switch during a deploy.\n";
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "incident", complete_toml("incident"), alert)
        .section("pack", "data", complete_toml("data"), alert);
    site.build_ok();
    // Besides style.css, which every page links: the page's own sheets, in order.
    for (page, own) in [
        ("", &["dashboard.css"][..]),
        ("pack/", &["pack.css"]),
        ("pack/data/", &["pack.css", "alerts.css"]),
        ("pack/incident/", &["pack.css", "alerts.css"]),
        ("pack/workflow/", &["pack.css"]),
        ("pack/checklist/", &["pack.css"]),
        // The runbook has no sidebar, answers or pager: it stays light.
        ("pack/runbook/", &["alerts.css"]),
        ("runbooks/print/", &["alerts.css"]),
        ("owners/", &["owners.css"]),
        ("runbooks/", &[]),
    ] {
        let sheets = stylesheets(&site.page(page));
        assert_eq!(
            sheets.first().map(String::as_str),
            Some("style.css"),
            "/{page}"
        );
        assert_eq!(sheets.get(1..).unwrap_or_default(), own, "/{page}");
    }
    for css in [
        "alerts.css",
        "dashboard.css",
        "pack.css",
        "owners.css",
        "diagrams.css",
    ] {
        assert!(
            site.join(&format!("public/{css}")).is_file(),
            "{css} is written"
        );
    }
}

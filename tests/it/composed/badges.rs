//! The completeness badges: their colour and words for each completeness.

use super::*;

/// A badge's `<title>` and the fill of its message box (the rect placed after the label).
fn badge(site: &SiteBuilder, rel: &str) -> (String, String) {
    let svg = site.read(&format!("public/badges/{rel}"));
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{rel}: not XML: {e}"));
    assert!(doc.root_element().has_tag_name("svg"), "{rel}");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("{rel}: no <title>"))
        .to_string();
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x").is_some())
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert_eq!(fills.len(), 1, "{rel}: one message box: {svg}");
    (title, fills[0].to_string())
}

const RED: &str = "#e05d44";
const ORANGE: &str = "#fe7d37";
const YELLOW: &str = "#dfb317";
const GREEN: &str = "#4c1";

fn badge_site() -> SiteBuilder {
    let models_short =
        complete_toml("models").replace("\"Tickets go to the manual queue\"", "\"TBD\"");
    let eval_short = complete_toml("evaluation").replace("[\"The queue is right\"]", "[\"TBD\"]");
    let data_short = complete_toml("data").replace("\"Gateway logs in the warehouse\"", "\"TBD\"");
    let rollout_short = complete_toml("rollout").replace("[\"Triage quality board\"]", "[]");
    let site = SiteBuilder::new()
        // 0/39 = 0%.
        .section("zero", "workflow", "name = \"TBD\"\n", "")
        // 1/39 = 2.56 → 2%: the least non-zero pack value (1% itself is unreachable,
        // as 100/39 > 2). Its workflow section: 1/6 = 16.7 → 16%.
        .section("two", "workflow", "name = \"Solo\"\n", "")
        // 39 - 6 (no workflow.md) - 1 (models) - 1 (evaluation) - 1 (data) - 1 (rollout)
        // = 29/39 = 74.36 → 74%: the most an orange pack can be.
        // Sections: models 2/3 = 66%, evaluation 2/3 = 66%, data 4/5 = 80%,
        // rollout 3/4 = 75% (the least a yellow section can be).
        .complete_pack("p74")
        .section("p74", "models", &models_short, "")
        .section("p74", "evaluation", &eval_short, "")
        .section("p74", "data", &data_short, "")
        .section("p74", "rollout", &rollout_short, "")
        // Same but rollout complete: 30/39 = 76.9 → 76%, the least yellow pack.
        .complete_pack("p76")
        .section("p76", "models", &models_short, "")
        .section("p76", "evaluation", &eval_short, "")
        .section("p76", "data", &data_short, "")
        // 38/39 = 97.4 → 97%: the most a pack short of complete can be.
        .complete_pack("p97")
        .section("p97", "rollout", &rollout_short, "")
        .complete_pack("full");
    for slug in ["p74", "p76"] {
        std::fs::remove_file(site.join(&format!("content/{slug}/workflow.md"))).expect("rm");
    }
    site
}

#[test]
fn badges_are_svg_with_a_title_and_the_colour_of_their_percentage() {
    let site = badge_site();
    site.build_ok();
    let cases = [
        ("zero.svg", "0%", RED),
        ("zero/workflow.svg", "0%", RED),
        ("zero/rhythm.svg", "0%", RED),
        ("two.svg", "2%", ORANGE),
        ("two/workflow.svg", "16%", ORANGE),
        ("p74.svg", "74%", ORANGE),
        ("p74/workflow.svg", "0%", RED),
        ("p74/models.svg", "66%", ORANGE),
        ("p74/evaluation.svg", "66%", ORANGE),
        ("p74/rollout.svg", "75%", YELLOW),
        ("p74/data.svg", "80%", YELLOW),
        ("p74/incident.svg", "100%", GREEN),
        ("p76.svg", "76%", YELLOW),
        ("p76/rollout.svg", "100%", GREEN),
        ("p97.svg", "97%", YELLOW),
        ("p97/rollout.svg", "75%", YELLOW),
        ("full.svg", "100%", GREEN),
        ("full/rhythm.svg", "100%", GREEN),
    ];
    for (rel, pct, colour) in cases {
        let (title, fill) = badge(&site, rel);
        assert_eq!(
            title.split_whitespace().last(),
            Some(pct),
            "{rel}: title `{title}`"
        );
        assert_eq!(fill, colour, "{rel} at {pct}");
    }
    // The section badges exist for all nine sections of every pack.
    for slug in ["zero", "two", "p74", "p76", "p97", "full"] {
        for stem in STEMS {
            badge(&site, &format!("{slug}/{stem}.svg"));
        }
    }
    // status.json agrees with the badges.
    let status = site.status();
    for (slug, pct) in [
        ("zero", 0),
        ("two", 2),
        ("p74", 74),
        ("p76", 76),
        ("p97", 97),
        ("full", 100),
    ] {
        assert_eq!(pack(&status, slug)["completeness"], pct, "{slug}");
    }
    assert_eq!(section_status(pack(&status, "p74"), "rollout").0, 75);
}

#[test]
fn pages_show_the_badges_and_the_markdown_to_embed_them() {
    let site = badge_site();
    site.build_ok();
    let img_srcs = |html: &Html| -> Vec<String> {
        select(html, "main img")
            .iter()
            .filter_map(|i| i.value().attr("src"))
            .map(str::to_string)
            .collect()
    };
    let dashboard = site.page("");
    let srcs = img_srcs(&dashboard);
    for slug in ["zero", "two", "p74", "p76", "p97", "full"] {
        assert!(
            srcs.contains(&url(&format!("badges/{slug}.svg"))),
            "{srcs:?}"
        );
    }
    let overview = site.page("p74/");
    let srcs = img_srcs(&overview);
    assert!(srcs.contains(&url("badges/p74.svg")), "{srcs:?}");
    for stem in STEMS {
        assert!(
            srcs.contains(&url(&format!("badges/p74/{stem}.svg"))),
            "{stem}: {srcs:?}"
        );
    }
    let section = site.page("p74/rollout/");
    assert!(img_srcs(&section).contains(&url("badges/p74/rollout.svg")));
    // Every badge a page shows exists.
    for html in [&dashboard, &overview, &section] {
        for src in img_srcs(html) {
            if let Some(rel) = src.strip_prefix(&url("badges/")) {
                badge(&site, rel);
            }
        }
    }
    // The overview shows the Markdown to embed the badge, with its absolute URL.
    let code: Vec<String> = select(&overview, "main pre, main code")
        .iter()
        .map(text)
        .collect();
    let abs = "https://acme.github.io/ai-packs/badges/p74.svg";
    assert!(
        code.iter()
            .any(|c| c.starts_with("[![") && c.contains(&format!("]({abs})"))),
        "no embeddable Markdown in {code:?}"
    );
}

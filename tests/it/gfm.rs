//! GitHub Flavored Markdown: a pack that reads right in a pull request reads the same on
//! the site. Autolinks (and the link check of those into the site), alerts, footnotes,
//! definition lists, heading attributes, emoji, and the GFM spec's extension examples.

use crate::common::*;
use rollbook::internals::markdown;
use rollbook::internals::Highlighter;
use scraper::{ElementRef, Html, Node};
use std::collections::BTreeMap;

const SITE: &str = "https://acme.github.io/ai-packs";

/// The notes of a section page: its body as rendered.
fn notes_of(html: &Html) -> ElementRef<'_> {
    one(html, "main .notes")
}

/// A complete pack whose data notes are `body`.
fn site_with_notes(body: &str) -> SiteBuilder {
    SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "data", complete_toml("data"), body)
}

/// The 1-based line and column of `needle` in a file of the site.
fn position(site: &SiteBuilder, rel: &str, needle: &str) -> (u64, u64) {
    let text = site.read(rel);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {rel}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

#[test]
fn bare_urls_and_www_are_linked_but_not_in_code_or_links() {
    let site = site_with_notes(concat!(
        "Dashboards: https://grafana.example/d/triage?from=now-1h, www.status.example and\n",
        "ops@acme.example.\n\n",
        "Not `https://code.example/x` nor [https://shown.example](https://real.example).\n\n",
        "```\ncurl https://block.example/health\n```\n",
    ));
    site.build_ok();
    let html = site.page("pack/data/");
    let main = notes_of(&html);
    assert_eq!(
        hrefs(main, "p a"),
        [
            "https://grafana.example/d/triage?from=now-1h",
            "http://www.status.example",
            "mailto:ops@acme.example",
            "https://real.example",
        ]
    );
    let shown: Vec<String> = main.select(&sel("p a")).map(|a| text(&a)).collect();
    assert_eq!(
        shown,
        [
            "https://grafana.example/d/triage?from=now-1h",
            "www.status.example",
            "ops@acme.example",
            "https://shown.example",
        ]
    );
    assert_eq!(
        text(&one(&html, "main .notes p code")),
        "https://code.example/x"
    );
    assert!(
        main.select(&sel("pre a")).next().is_none(),
        "code blocks are not linked"
    );
}

#[test]
fn answers_link_bare_urls_with_the_same_detection() {
    let incident = complete_toml("incident").replace(
        "\"Post in the support channel\"",
        "\"Post at www.status.example and https://chat.example/c/1.\"",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "incident", &incident, "");
    site.build_ok();
    let html = site.page("pack/incident/");
    let links = hrefs(one(&html, "main"), "a[href*=\"example\"]");
    assert!(
        links.contains(&"http://www.status.example".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"https://chat.example/c/1".to_string()),
        "the full stop ends the sentence, not the URL: {links:?}"
    );
}

#[test]
fn autolinks_into_the_site_are_checked_like_site_links() {
    let good = format!("{SITE}/pack/incident/#paging {SITE}/pack/runbook/ <{SITE}/pack/>");
    let body = format!(
        "Good: {good}.\n\nBad page: {SITE}/pack/incidnet/ and anchor <{SITE}/pack/incident/#nope>.\n"
    );
    let incident = complete_toml("incident").replace(
        "\"Post in the support channel\"",
        &format!("\"Post as in {SITE}/pack/plan/\""),
    );
    let site = site_with_notes(&body).section("pack", "incident", &incident, "");
    let data = "content/pack/data.md";
    let (l1, c1) = position(&site, data, &format!("{SITE}/pack/incidnet/"));
    let (l2, c2) = position(&site, data, &format!("<{SITE}/pack/incident/#nope>"));
    let (l3, c3) = position(&site, "content/pack/incident.md", "\"Post as in");
    let mut errors = site.errors();
    errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    assert_eq!(
        errors,
        [
            Diag::error(
                data,
                l1,
                c1,
                &format!("broken link `{SITE}/pack/incidnet/`: the site has no page or file at `pack/incidnet/`; fix the URL or link to the page with `@/pack/file.md`"),
            ),
            Diag::error(
                data,
                l2,
                c2,
                &format!("broken anchor `{SITE}/pack/incident/#nope`: content/pack/incident.md has no heading or field with id `nope`; link to a heading's id (its text in lowercase, spaces as hyphens) or a field name"),
            ),
            Diag::error(
                "content/pack/incident.md",
                l3,
                c3,
                &format!("broken link `{SITE}/pack/plan/`: the site has no page or file at `pack/plan/`; fix the URL or link to the page with `@/pack/file.md`"),
            ),
        ]
    );
}

#[test]
fn alerts_render_as_github_writes_them() {
    let mut body = String::new();
    for kind in ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"] {
        body.push_str(&format!("> [!{kind}]\n> Mind the *{kind}*.\n\n"));
    }
    body.push_str("> A plain quote.\n");
    let site = site_with_notes(&body);
    site.build_ok();
    let html = site.page("pack/data/");
    let alerts = select(&html, "main .notes div.markdown-alert");
    let seen: Vec<(String, String, String, String)> = alerts
        .iter()
        .map(|a| {
            let title = a.select(&sel("p.markdown-alert-title")).next();
            (
                a.value().attr("class").unwrap_or("").to_string(),
                a.value().attr("role").unwrap_or("").to_string(),
                title.map(|t| text(&t)).unwrap_or_default(),
                a.select(&sel("p:not(.markdown-alert-title) em"))
                    .map(|e| text(&e))
                    .collect(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, String)> = [
        ("note", "Note", "NOTE"),
        ("tip", "Tip", "TIP"),
        ("important", "Important", "IMPORTANT"),
        ("warning", "Warning", "WARNING"),
        ("caution", "Caution", "CAUTION"),
    ]
    .iter()
    .map(|(c, t, e)| {
        (
            format!("markdown-alert markdown-alert-{c}"),
            "note".to_string(),
            t.to_string(),
            e.to_string(),
        )
    })
    .collect();
    assert_eq!(seen, want);
    let title = one(
        &html,
        "main .notes .markdown-alert-warning > p.markdown-alert-title",
    );
    assert_eq!(
        title
            .parent()
            .and_then(ElementRef::wrap)
            .map(|p| p.value().name().to_string()),
        Some("div".to_string()),
        "the title is the alert's first child"
    );
    assert_eq!(select(&html, "main .notes blockquote").len(), 1);
    assert_eq!(
        text(&one(&html, "main .notes blockquote")),
        "A plain quote."
    );
}

#[test]
fn footnotes_have_their_own_ids_and_link_back() {
    let site = site_with_notes(concat!(
        "## Fn 1\n\n",
        "A claim[^1], another[^Big note] and the first again[^1].\n\n",
        "See [the note](#fn-1) and [the heading](#h-fn-1).\n\n",
        "[^1]: Because we measured it.\n",
        "[^Big note]: Twice.\n",
    ));
    site.build_ok();
    let html = site.page("pack/data/");
    let main = notes_of(&html);
    assert_eq!(
        one(&html, "main .notes h2").value().attr("id"),
        Some("h-fn-1")
    );
    let refs: Vec<(String, String, String)> = main
        .select(&sel("sup.footnote-reference a"))
        .map(|a| {
            (
                a.value().attr("id").unwrap_or("").to_string(),
                a.value().attr("href").unwrap_or("").to_string(),
                text(&a),
            )
        })
        .collect();
    assert_eq!(
        refs,
        [
            ("fnref-1".into(), "#fn-1".into(), "1".into()),
            ("fnref-Big-note".into(), "#fn-Big-note".into(), "2".into()),
            ("fnref-1-1".into(), "#fn-1".into(), "1".into()),
        ]
    );
    let def = one(&html, "main .notes [id=\"fn-1\"]");
    assert!(
        text(&def).contains("Because we measured it."),
        "{}",
        def.html()
    );
    assert_eq!(hrefs(def, "a.footnote-backref"), ["#fnref-1", "#fnref-1-1"]);
    let back: Vec<String> = def
        .select(&sel("a.footnote-backref"))
        .map(|a| text(&a))
        .collect();
    assert_eq!(back, ["↩", "↩"]);
    assert_eq!(
        hrefs(
            one(&html, "main .notes [id=\"fn-Big-note\"]"),
            "a.footnote-backref"
        ),
        ["#fnref-Big-note"]
    );
}

#[test]
fn links_to_a_missing_footnote_are_broken() {
    let site = site_with_notes("A claim[^a].\n\nSee [it](#fn-b).\n\n[^a]: Why.\n");
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .message
            .starts_with("broken anchor `#fn-b`: content/pack/data.md has no heading or field with id `fn-b`; did you mean `#fn-a`?"),
        "{errors:?}"
    );
}

#[test]
fn definition_lists_heading_attributes_and_emoji() {
    let site = site_with_notes(concat!(
        "Kill switch\n: The flag that turns the workflow off.\n\n",
        "## Paging order {#pager .wide}\n\n",
        "## Again {#pager}\n\n",
        "Shipped :rocket: at 10:30 :nosuch: `:rocket:`\n\n",
        "```\n:rocket:\n```\n\n",
        "[jump](#pager)\n",
    ));
    site.build_ok();
    let html = site.page("pack/data/");
    assert_eq!(text(&one(&html, "main .notes dl dt")), "Kill switch");
    assert_eq!(
        text(&one(&html, "main .notes dl dd")),
        "The flag that turns the workflow off."
    );
    let heads: Vec<(String, String)> = select(&html, "main .notes h2")
        .iter()
        .map(|h| {
            (
                h.value().attr("id").unwrap_or("").to_string(),
                h.value().attr("class").unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        heads,
        [
            ("pager".to_string(), "wide".to_string()),
            ("pager-1".to_string(), String::new())
        ]
    );
    let para = select(&html, "main .notes p")
        .into_iter()
        .find(|p| text(p).starts_with("Shipped"))
        .expect("the emoji paragraph");
    assert_eq!(text(&para), "Shipped 🚀 at 10:30 :nosuch: :rocket:");
    assert_eq!(text(&one(&html, "main .notes pre code")).trim(), ":rocket:");
}

// ---- Conformance with the GFM spec's extension examples ----

/// The examples that differ from the spec on purpose, and why (README, "Markdown").
const EXPECTED_DIFFERENCES: &[(u32, &str)] = &[
    (198, TABLE_WRAP),
    (199, TABLE_WRAP),
    (200, TABLE_WRAP),
    (201, TABLE_WRAP),
    (202, TABLE_WRAP),
    (204, TABLE_WRAP),
    (205, TABLE_WRAP),
    (279, TASK_LABEL),
    (280, TASK_LABEL),
    (
        625,
        "a URL ends at a `)` it did not open (linkify), where GFM counts the parentheses",
    ),
    (
        626,
        "`&hl;` after a URL stays in it (linkify); GFM leaves out a trailing entity",
    ),
    (
        631,
        "an e-mail address needs a top-level domain of two letters or more (linkify)",
    ),
];

/// Tables are wrapped in a scrolling region (and a header-only table gets an empty body).
const TABLE_WRAP: &str = "tables are wrapped in a keyboard-reachable scrolling region";
/// Task boxes say whether they are done to assistive technology.
const TASK_LABEL: &str = "task checkboxes carry an aria-label (Done / Not done)";

struct Example {
    number: u32,
    section: String,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gfm/extensions.txt"),
    )
    .expect("the fixture");
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut section = String::new();
    let mut number = 0;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(s) = line.strip_prefix("## ") {
            section = s.to_string();
        } else if let Some(n) = line
            .strip_prefix("<!-- example ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            number = n.parse().expect("an example number");
        } else if line.starts_with(&format!("{fence} example")) {
            let mut markdown = String::new();
            for l in lines.by_ref().take_while(|l| *l != ".") {
                markdown.push_str(l);
                markdown.push('\n');
            }
            let mut html = String::new();
            for l in lines.by_ref().take_while(|l| *l != fence) {
                html.push_str(l);
                html.push('\n');
            }
            out.push(Example {
                number,
                section: section.clone(),
                markdown: markdown.replace('→', "\t"),
                html: html.replace('→', "\t"),
            });
        }
    }
    out
}

/// HTML in one canonical form: parsed, attributes sorted, whitespace-only text between
/// tags dropped, void elements written one way.
fn normalize(html: &str) -> String {
    fn walk(node: ego_tree::NodeRef<Node>, out: &mut String) {
        match node.value() {
            Node::Text(t) => {
                if !t.trim().is_empty() {
                    out.push_str(&t.replace('&', "&amp;").replace('<', "&lt;"));
                }
            }
            Node::Comment(c) => out.push_str(&format!("<!--{}-->", &**c)),
            Node::Element(e) => {
                let mut attrs: BTreeMap<String, String> = BTreeMap::new();
                for (k, v) in e.attrs() {
                    attrs.insert(k.to_string(), v.to_string());
                }
                out.push('<');
                out.push_str(e.name());
                for (k, v) in attrs {
                    out.push_str(&format!(" {k}=\"{}\"", v.replace('"', "&quot;")));
                }
                out.push('>');
                for child in node.children() {
                    walk(child, out);
                }
                out.push_str(&format!("</{}>", e.name()));
            }
            _ => {
                for child in node.children() {
                    walk(child, out);
                }
            }
        }
    }
    let doc = Html::parse_fragment(html);
    let mut out = String::new();
    walk(doc.tree.root(), &mut out);
    out
}

#[test]
fn gfm_spec_extension_examples() {
    let highlighter = Highlighter::new();
    let ctx = markdown::Context {
        base_path: "/",
        base_url: "/",
        content_path: "page.md",
        taken_ids: &[],
        first_line: 1,
        highlighter: &highlighter,
    };
    let all = examples();
    assert_eq!(all.len(), 24, "the fixture's extension examples");
    let mut differ = Vec::new();
    for ex in &all {
        let got = markdown::render(&ex.markdown, &ctx).html;
        if normalize(&got) != normalize(&ex.html) {
            eprintln!(
                "example {} ({}):\n{}\nwant {}\ngot  {}\n",
                ex.number,
                ex.section,
                ex.markdown,
                normalize(&ex.html),
                normalize(&got)
            );
            differ.push(ex.number);
        }
    }
    let expected: Vec<u32> = EXPECTED_DIFFERENCES.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        differ, expected,
        "examples that differ from the spec; on purpose: {EXPECTED_DIFFERENCES:#?}"
    );
    assert_eq!(all.len() - differ.len(), 12);
    // The README states the same figures and names every difference.
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains("GFM extensions: 12 of 24 examples pass."),
        "README states the pass count"
    );
    for n in expected {
        assert!(readme.contains(&n.to_string()), "README names example {n}");
    }
}

/// Builds the site at `root` with `hl`, as `build` does.
fn build_with(root: &std::path::Path, hl: &std::sync::Arc<Highlighter>) {
    let opts = rollbook::Options {
        drafts: false,
        base_url: None,
        today: time::macros::date!(2026 - 11 - 26),
    };
    rollbook::Session::with_highlighter(root, opts, std::sync::Arc::clone(hl)).built();
}

#[test]
fn a_site_without_code_never_loads_the_syntax_definitions() {
    let site = SiteBuilder::new().complete_pack("pack");
    let hl = std::sync::Arc::new(Highlighter::new());
    build_with(site.path(), &hl);
    assert!(!hl.loaded());
    assert_eq!(hl.highlighted(), 0);

    // The same block on two pages is highlighted once.
    let block = "```bash\ncurl -X POST https://flags.example.com/off\n```\n";
    let site = site_with_notes(block).section("pack", "incident", complete_toml("incident"), block);
    let hl = std::sync::Arc::new(Highlighter::new());
    build_with(site.path(), &hl);
    assert!(hl.loaded());
    assert_eq!(hl.highlighted(), 1);
    site.build_ok();
    for page in ["pack/data/", "pack/incident/"] {
        let html = site.page(page);
        assert!(
            !select(&html, "main pre code span[class^=\"hl-\"]").is_empty(),
            "{page}"
        );
    }
}

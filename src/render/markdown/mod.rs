//! Markdown: renders page bodies and answers to HTML, collecting headings, links, task
//! items and plain text, as a pipeline of small steps over pulldown-cmark's events.

mod alerts;
mod autolink;
mod code;
mod emoji;
mod footnotes;
mod ids;
mod inline;
mod lines;
mod links;
mod plain;
mod tables;
mod tagfilter;
mod tasks;

pub use self::ids::{slugify, UniqueIds};
pub use self::inline::{inline, inline_links, inline_plain};
pub use self::links::{resolve, LinkBase};

use self::lines::Lines;
use crate::domain::document::Rendered;
use crate::render::highlight::Highlighter;
use pulldown_cmark::{Event, Options, Parser};

/// What a page needs to resolve its links and ids.
pub struct Context<'a> {
    /// The site's base path, `/` or `/repo/`.
    pub base_path: &'a str,
    /// The site's `base_url`: autolinks under it are checked like site links.
    pub base_url: &'a str,
    /// The page's path under `content/`.
    pub content_path: &'a str,
    /// Ids the page already uses (field anchors), which headings must not take.
    pub taken_ids: &'a [&'a str],
    /// 1-based file line of the first body line.
    pub first_line: usize,
    pub highlighter: &'a Highlighter,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Renders a page body: reads what the text says (plain text, task items), links its
/// bare URLs, points its links into the site, then writes disallowed raw HTML as text,
/// emoji, code blocks, tables, task boxes, alerts, footnotes and headings.
pub fn render(markdown: &str, ctx: &Context) -> Rendered {
    let lines = Lines::new(markdown, ctx.first_line);
    let at = LinkBase {
        base_path: ctx.base_path,
        content_path: ctx.content_path,
    };
    let events: Vec<_> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let (plain, plain_headings) = plain::body(&events);
    let tasks = tasks::collect(&events, &lines);
    let mut events = autolink::link(events);
    let links = links::rewrite(&mut events, at, ctx.base_url, &lines);
    let events: Vec<Event> = events.into_iter().map(|(event, _)| event).collect();
    let events = tagfilter::apply(events);
    let events = emoji::replace(events);
    let events = code::highlight(events, ctx.highlighter);
    let events = tables::wrap(events);
    let events = tasks::checkboxes(events);
    let events = alerts::write(events);
    let notes = footnotes::write(events);
    let mut headed = ids::headings(notes.events, ctx.taken_ids);
    headed.anchors.extend(notes.anchors);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, headed.events.into_iter());
    Rendered {
        html,
        headings: headed.headings,
        anchors: headed.anchors,
        links,
        tasks,
        plain,
        plain_headings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::{Target, Task};
    use std::collections::HashSet;

    fn ctx<'a>(h: &'a Highlighter, taken: &'a [&'a str]) -> Context<'a> {
        Context {
            base_path: "/repo/",
            base_url: "https://acme.example/repo",
            content_path: "pack/data.md",
            taken_ids: taken,
            first_line: 5,
            highlighter: h,
        }
    }

    #[test]
    fn slugs_keep_non_ascii_letters() {
        assert_eq!(slugify("Known failure modes"), "known-failure-modes");
        assert_eq!(slugify("Café — Zürich: 2 steps!"), "café-zürich-2-steps");
        assert_eq!(slugify("日本語 見出し"), "日本語-見出し");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn headings_are_unique_and_avoid_field_ids() {
        let h = Highlighter::new();
        let r = render("# Paging\n\n## Paging\n\n## Notes\n", &ctx(&h, &["paging"]));
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["paging-1", "paging-2", "notes"]);
        assert!(
            r.html
                .contains("<h1 id=\"paging-1\">Paging <a class=\"permalink\" href=\"#paging-1\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn equal_headings_number_in_order() {
        let h = Highlighter::new();
        let md = "## Step\n\n".repeat(1000);
        let r = render(&md, &ctx(&h, &[]));
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        let want: Vec<String> = std::iter::once("step".to_string())
            .chain((1..1000).map(|n| format!("step-{n}")))
            .collect();
        assert_eq!(ids, want);
        assert_eq!(r.anchors, want);
    }

    /// The first free of `base`, `base-1`, `base-2`, … counting from 1 every time.
    fn naive_unique(base: &str, used: &mut HashSet<String>) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        id
    }

    #[test]
    fn unique_ids_match_counting_from_one() {
        // Bases that collide with each other's suffixed forms, and taken ids.
        let taken = ["a-2", "b", "a-1-1"];
        let bases = [
            "a", "a", "a-1", "a", "a-1", "a", "b", "b-1", "b", "a-4", "a", "a-1", "x", "a-1-1",
            "a-1",
        ];
        let mut ids = UniqueIds::new(taken);
        let mut used: HashSet<String> = taken.iter().map(|s| s.to_string()).collect();
        for round in 0..3 {
            for base in bases {
                let want = naive_unique(base, &mut used);
                assert_eq!(
                    ids.unique(base.to_string()),
                    want,
                    "{base} in round {round}"
                );
            }
        }
    }

    #[test]
    fn links_resolve_and_record_lines() {
        let h = Highlighter::new();
        let md = "See [x](@/other/incident.md#paging) and\n[y](models.md), [z](../b/c.md), [img](d.svg), [w](https://e.example), [h](#top).\n";
        let r = render(md, &ctx(&h, &[]));
        assert!(
            r.html.contains("href=\"/repo/other/incident/#paging\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/repo/pack/models/\""));
        assert!(r.html.contains("href=\"/repo/b/c/\""));
        assert!(r.html.contains("href=\"/repo/pack/d.svg\""));
        assert!(r.html.contains("href=\"https://e.example\""));
        assert!(
            r.html.contains("href=\"/repo/pack/data/#top\""),
            "same-page links are written in full"
        );
        assert_eq!(r.links.len(), 5);
        assert_eq!(r.links[0].target, Target::Page("other/incident.md".into()));
        assert_eq!(r.links[0].fragment.as_deref(), Some("paging"));
        assert_eq!((r.links[0].line, r.links[0].column), (5, 5));
        assert_eq!(r.links[1].line, 6);
        assert_eq!(r.links[3].target, Target::File("pack/d.svg".into()));
        assert_eq!(r.links[4].target, Target::Here);
    }

    #[test]
    fn paths_leaving_content_are_outside() {
        for dest in [
            "../../x.md",
            "@/p/../../etc/passwd.md",
            "@/",
            "../../../etc/passwd",
            "%2e%2e/%2e%2e/x.png",
        ] {
            let (target, _, url) = resolve(dest, "pack/data.md", "/").unwrap();
            assert_eq!(target, Target::Outside, "{dest}");
            assert_eq!(url, dest);
        }
        assert_eq!(
            resolve("../b/c.md", "pack/data.md", "/").map(|r| r.0),
            Some(Target::Page("b/c.md".into()))
        );
    }

    #[test]
    fn tasks_and_footnotes() {
        let h = Highlighter::new();
        let r = render(
            "- [ ] wire the flag\n- [x] write **docs**\n\nNote[^1].\n\n[^1]: Because.\n",
            &ctx(&h, &[]),
        );
        assert_eq!(
            r.tasks,
            vec![
                Task {
                    done: false,
                    text: "wire the flag".into(),
                    line: 5
                },
                Task {
                    done: true,
                    text: "write docs".into(),
                    line: 6
                },
            ]
        );
        assert!(r.anchors.contains(&"fn-1".to_string()));
        assert!(r.anchors.contains(&"fnref-1".to_string()));
        assert!(
            r.html
                .contains("<input type=\"checkbox\" disabled aria-label=\"Not done\"> wire"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\">"));
    }

    #[test]
    fn nested_tasks_stay_apart() {
        let h = Highlighter::new();
        let md =
            "- [ ] parent task\n  - [x] child task\n- [ ] second parent\n  - a plain sub-point\n";
        let r = render(md, &ctx(&h, &[]));
        let tasks: Vec<(&str, bool, usize)> = r
            .tasks
            .iter()
            .map(|t| (t.text.as_str(), t.done, t.line))
            .collect();
        assert_eq!(
            tasks,
            [
                ("parent task", false, 5),
                ("child task", true, 6),
                ("second parent", false, 7)
            ]
        );
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let h = Highlighter::new();
        let r = render("```bash\nflagctl off SUPPORT_TRIAGE\n```\n", &ctx(&h, &[]));
        assert!(
            r.html
                .contains("<pre class=\"code\"><code class=\"language-bash\"><span class=\"hl-"),
            "{}",
            r.html
        );
    }

    const AT: LinkBase = LinkBase {
        base_path: "/r/",
        content_path: "pack/incident.md",
    };

    #[test]
    fn inline_escapes_html_and_links_urls() {
        assert_eq!(
            inline("<script>alert(1)</script>", AT),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            inline("see https://grafana.example/d/1.", AT),
            "see <a href=\"https://grafana.example/d/1\">https://grafana.example/d/1</a>."
        );
        assert_eq!(
            inline("[x](javascript:alert(1)) [y](JaVaScRiPt:x)", AT),
            "x y"
        );
        assert_eq!(inline("`FLAG=off`", AT), "<code>FLAG=off</code>");
        assert_eq!(
            inline("Dana <dana@x.example>", AT),
            "Dana <a href=\"mailto:dana@x.example\">dana@x.example</a>"
        );
    }

    #[test]
    fn inline_links_resolve_and_are_reported() {
        let text =
            "see [data](@/pack/data.md#audit_log) and [m](models.md), [x](https://e.example)";
        assert_eq!(
            inline(text, AT),
            "see <a href=\"/r/pack/data/#audit_log\">data</a> and <a href=\"/r/pack/models/\">m</a>, <a href=\"https://e.example\">x</a>"
        );
        let links = inline_links(text, AT, "https://acme.example/r", 7, 3);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, Target::Page("pack/data.md".into()));
        assert_eq!(links[0].fragment.as_deref(), Some("audit_log"));
        assert_eq!((links[1].line, links[1].column), (7, 3));
    }
}

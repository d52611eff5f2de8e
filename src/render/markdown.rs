//! Markdown: renders page bodies and answers to HTML, collecting headings, links and task items.

use crate::domain::diag::LineIndex;
use crate::domain::document::{Heading, Link, Rendered, Target, Task};
use crate::render::highlight::{escape, Highlighter};
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

/// What a page needs to resolve its links and ids.
pub struct Context<'a> {
    /// The site's base path, `/` or `/repo/`.
    pub base_path: &'a str,
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
}

/// A heading id from its text: lowercase, letters and digits of any script kept,
/// spaces and hyphens to single hyphens, other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Hands out ids unique within a page: `base` when it is free, else the first free of
/// `base-1`, `base-2`, … Each base remembers where its count stopped, so n equal
/// headings take n steps, not n².
#[derive(Debug, Default)]
pub struct UniqueIds {
    used: HashSet<String>,
    /// The next suffix to try for a base whose plain id is taken.
    next: HashMap<String, usize>,
}

impl UniqueIds {
    /// Ids that are already taken (e.g. field anchors) and will not be handed out.
    pub fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        UniqueIds {
            used: taken.into_iter().map(str::to_string).collect(),
            next: HashMap::new(),
        }
    }

    /// The id for `base`, now taken.
    pub fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        // Every suffix below `n` is taken, and ids are never given back.
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let id = loop {
            let id = format!("{base}-{n}");
            n += 1;
            if self.used.insert(id.clone()) {
                break id;
            }
        };
        self.next.insert(base, n);
        id
    }
}

/// Resolves a link as written in `content_path` to a site target and its URL.
/// Returns `None` for links that leave the site (other schemes, other hosts).
pub fn resolve(
    dest: &str,
    content_path: &str,
    base_path: &str,
) -> Option<(Target, Option<String>, String)> {
    let dest = dest.trim();
    let (path, raw_fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let frag_suffix = raw_fragment.map(|f| format!("#{f}")).unwrap_or_default();
    // Ids are compared decoded: `#caf%C3%A9` names the heading `café`.
    let fragment = raw_fragment.map(|f| {
        percent_encoding::percent_decode_str(f)
            .decode_utf8_lossy()
            .into_owned()
    });
    if path.is_empty() {
        // Written out in full, so the link still works where the HTML is reused
        // (the runbook shows the incident notes).
        let url = format!(
            "{base_path}{}{frag_suffix}",
            crate::domain::model::url_path(content_path)
        );
        return fragment.map(|f| (Target::Here, Some(f), url));
    }
    let is_external = path.starts_with("//")
        || path.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme != "@"
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_external || (path.starts_with('/') && !path.starts_with("@/")) {
        return None;
    }
    let resolved = if let Some(abs) = path.strip_prefix("@/") {
        normalize(abs)
    } else {
        let dir = content_path.rsplit_once('/').map_or("", |(d, _)| d);
        normalize(&format!("{dir}/{path}"))
    };
    let Some(resolved) = resolved else {
        return Some((Target::Outside, fragment, dest.to_string()));
    };
    if resolved.ends_with(".md") {
        let url = format!(
            "{base_path}{}{frag_suffix}",
            crate::domain::model::url_path(&resolved)
        );
        Some((Target::Page(resolved), fragment, url))
    } else {
        let url = format!("{base_path}{resolved}{frag_suffix}");
        Some((Target::File(resolved), fragment, url))
    }
}

/// Decodes percent-escapes and folds `.` and `..`; `None` when the path climbs out of
/// `content/` or names nothing.
fn normalize(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Renders a page body.
pub fn render(markdown: &str, ctx: &Context) -> Rendered {
    let mut out = Rendered::default();
    let mut ids = UniqueIds::new(ctx.taken_ids.iter().copied());
    let mut events: Vec<Event> = Vec::new();
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    // Built on the first link or task, so a page without them never indexes its lines.
    let lines = OnceCell::new();
    let position = |offset: usize| {
        let (line, col) = lines
            .get_or_init(|| LineIndex::new(markdown))
            .line_col(offset);
        (line + ctx.first_line - 1, col)
    };

    let mut heading: Option<OpenHeading> = None;
    let mut code: Option<(String, String)> = None;
    // Open list items, innermost last: where each starts, and its task if it is one.
    let mut items: Vec<OpenItem> = Vec::new();

    for (event, range) in parser {
        // Plain text for search and task items.
        if let Event::Text(t) | Event::Code(t) = &event {
            if code.is_none() {
                out.plain.push_str(t);
                out.plain.push(' ');
            }
            if let Some(task) = items.last_mut().and_then(|i| i.task.as_mut()) {
                task.text.push_str(t);
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(OpenHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(OpenHeading {
                    level,
                    id,
                    classes,
                    events: inner,
                    text,
                }) = heading.take()
                {
                    let id = ids.unique(id.unwrap_or_else(|| slugify(&text)));
                    let n = level as u8;
                    let class = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape(&classes.join(" ")))
                    };
                    events.push(Event::Html(
                        format!("<h{n} id=\"{}\"{class}>", escape(&id)).into(),
                    ));
                    events.extend(inner);
                    events.push(Event::Html(
                        format!(
                            " <a class=\"permalink\" href=\"#{}\" aria-label=\"Link to this heading\">#</a></h{n}>\n",
                            escape(&id)
                        )
                        .into(),
                    ));
                    out.anchors.push(id.clone());
                    out.headings.push(Heading {
                        level: n,
                        id,
                        text: text.trim().to_string(),
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    out.plain.push_str(&text);
                    let token = lang.split([' ', ',', '{']).next().unwrap_or("");
                    let class = if token.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"language-{}\"", escape(token))
                    };
                    events.push(Event::Html(
                        format!(
                            "<pre class=\"code\"><code{class}>{}</code></pre>\n",
                            ctx.highlighter.code(&lang, &text)
                        )
                        .into(),
                    ));
                }
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, text)) = code.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let tag = rewrite_tag(tag, range.start, ctx, &mut out, &position);
                push(&mut heading, &mut events, Event::Start(tag));
            }
            // Wide tables scroll inside a region a keyboard can reach.
            Event::Start(Tag::Table(align)) => {
                push(&mut heading, &mut events, Event::Html("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">".into()));
                push(&mut heading, &mut events, Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                push(&mut heading, &mut events, Event::End(TagEnd::Table));
                push(&mut heading, &mut events, Event::Html("</div>".into()));
            }
            Event::SoftBreak | Event::HardBreak => {
                out.plain.push(' ');
                if let Some(task) = items.last_mut().and_then(|i| i.task.as_mut()) {
                    task.text.push(' ');
                }
                push(&mut heading, &mut events, event);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.anchors.push(label.to_string());
                events.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::Item) => {
                items.push(OpenItem {
                    start: range.start,
                    task: None,
                });
                push(&mut heading, &mut events, Event::Start(Tag::Item));
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = items.last_mut() {
                    item.task = Some(Task {
                        done,
                        text: String::new(),
                        line: position(item.start).0,
                    });
                }
                // A labelled box: assistive technology says whether the task is done.
                let (checked, label) = if done {
                    (" checked", "Done")
                } else {
                    ("", "Not done")
                };
                events.push(Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::End(TagEnd::Item) => {
                if let Some(task) = items.pop().and_then(|i| i.task) {
                    out.tasks.push(Task {
                        text: task.text.trim().to_string(),
                        ..task
                    });
                }
                events.push(Event::End(TagEnd::Item));
            }
            other => {
                if let (Some(h), Event::Text(t) | Event::Code(t)) = (heading.as_mut(), &other) {
                    h.text.push_str(t);
                }
                push(&mut heading, &mut events, other);
            }
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // Nested items close first; tasks are listed in reading order.
    out.tasks.sort_by_key(|t| t.line);
    out
}

/// A list item being read.
struct OpenItem {
    start: usize,
    task: Option<Task>,
}

/// A heading being read: its events are held back until its id is known.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
}

/// Adds an event to the open heading, if any, else to the page.
fn push<'a>(heading: &mut Option<OpenHeading<'a>>, events: &mut Vec<Event<'a>>, event: Event<'a>) {
    match heading.as_mut() {
        Some(h) => h.events.push(event),
        None => events.push(event),
    }
}

/// A link or image with its destination resolved (and recorded for checking).
fn rewrite_tag<'a>(
    tag: Tag<'a>,
    offset: usize,
    ctx: &Context,
    out: &mut Rendered,
    position: &dyn Fn(usize) -> (usize, usize),
) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = rewrite(&dest_url, link_type, offset, ctx, out, position);
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
        }
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = rewrite(&dest_url, link_type, offset, ctx, out, position);
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }
        }
        other => other,
    }
}

fn rewrite<'a>(
    dest: &CowStr<'a>,
    link_type: LinkType,
    offset: usize,
    ctx: &Context,
    out: &mut Rendered,
    position: &dyn Fn(usize) -> (usize, usize),
) -> CowStr<'a> {
    if matches!(link_type, LinkType::Email) {
        return dest.clone();
    }
    match resolve(dest, ctx.content_path, ctx.base_path) {
        Some((target, fragment, url)) => {
            let (line, column) = position(offset);
            out.links.push(Link {
                target,
                fragment,
                raw: dest.to_string(),
                line,
                column,
            });
            url.into()
        }
        None => dest.clone(),
    }
}

/// Where an answer is written, so links in it resolve like links in its file's notes.
#[derive(Debug, Clone, Copy)]
pub struct LinkBase<'a> {
    pub base_path: &'a str,
    /// The path under `content/` of the file holding the answer.
    pub content_path: &'a str,
}

/// Inline Markdown events of an answer: raw HTML becomes text, unsafe links lose their
/// link, site links are resolved (and reported to `on_link`), bare URLs become links.
fn inline_events<'a>(
    text: &'a str,
    at: LinkBase,
    mut on_link: impl FnMut(Target, Option<String>, &str),
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {}
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::SoftBreak | Event::HardBreak => out.push(Event::Text(" ".into())),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !is_safe_url(&dest_url) {
                    links.push(false);
                    continue;
                }
                let dest = match (link_type, resolve(&dest_url, at.content_path, at.base_path)) {
                    (LinkType::Email, _) | (_, None) => dest_url,
                    (_, Some((target, fragment, url))) => {
                        on_link(target, fragment, &dest_url);
                        url.into()
                    }
                };
                links.push(true);
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(true) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(t) if links.is_empty() && t.contains("://") => out.extend(linkify(&t)),
            other => out.push(other),
        }
    }
    out
}

/// Renders an answer as inline Markdown, safe to place in a page.
pub fn inline(text: &str, at: LinkBase) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, inline_events(text, at, |_, _, _| {}).into_iter());
    html.trim().to_string()
}

/// The site links an answer holds, as its page will resolve them.
pub fn inline_links(text: &str, at: LinkBase, line: usize, column: usize) -> Vec<Link> {
    let mut links = Vec::new();
    inline_events(text, at, |target, fragment, raw| {
        links.push(Link {
            target,
            fragment,
            raw: raw.to_string(),
            line,
            column,
        });
    });
    links
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    !(lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:"))
}

fn linkify(text: &str) -> Vec<Event<'static>> {
    let mut events = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://").or_else(|| rest.find("https://")) {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(from.len());
        let url = from.get(..end).unwrap_or(from);
        let url = url.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        if !before.is_empty() {
            events.push(Event::Text(before.to_string().into()));
        }
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: url.to_string().into(),
            title: "".into(),
            id: "".into(),
        }));
        events.push(Event::Text(url.to_string().into()));
        events.push(Event::End(TagEnd::Link));
        rest = from.get(url.len()..).unwrap_or("");
    }
    if !rest.is_empty() {
        events.push(Event::Text(rest.to_string().into()));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(h: &'a Highlighter, taken: &'a [&'a str]) -> Context<'a> {
        Context {
            base_path: "/repo/",
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
        assert!(r.anchors.contains(&"1".to_string()));
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
        let links = inline_links(text, AT, 7, 3);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, Target::Page("pack/data.md".into()));
        assert_eq!(links[0].fragment.as_deref(), Some("audit_log"));
        assert_eq!((links[1].line, links[1].column), (7, 3));
    }
}

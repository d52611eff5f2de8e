//! Answers' inline Markdown: safe to place in a page (raw HTML shown as text, unsafe
//! links dropped, bare URLs linked), with its site links resolved like the notes' links.

use super::links::{site_link, LinkBase};
use crate::domain::document::{Link, Target};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

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
                let dest = match site_link(&dest_url, link_type, at) {
                    None => dest_url,
                    Some((target, fragment, url)) => {
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

/// The words of an answer as its page shows them, for search.
pub fn inline_plain(text: &str) -> String {
    super::plain::inline(text)
}

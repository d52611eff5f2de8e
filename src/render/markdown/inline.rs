//! Answers' inline Markdown: safe to place in a page (raw HTML shown as text, unsafe
//! links dropped, bare URLs linked, `:shortcode:` emoji), with its site links resolved
//! like the notes' links.

use super::links::{autolink_into_site, site_link, LinkBase};
use super::{autolink, emoji};
use crate::domain::document::{Link, Target};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Inline Markdown events of an answer: raw HTML becomes text, unsafe links lose their
/// link, bare URLs become links, site links are resolved (and reported to `on_link`, with
/// autolinks under `base_url`).
fn inline_events<'a>(
    text: &'a str,
    at: LinkBase,
    base_url: &str,
    mut on_link: impl FnMut(Target, Option<String>, &str),
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH)
        .into_offset_iter()
        .collect();
    let events = autolink::link(events).into_iter().map(|(e, _)| e).collect();
    for event in emoji::replace(events) {
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
                    None => {
                        if let Some((target, fragment)) =
                            autolink_into_site(&dest_url, link_type, base_url)
                        {
                            on_link(target, fragment, &dest_url);
                        }
                        dest_url
                    }
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
            other => out.push(other),
        }
    }
    out
}

/// Renders an answer as inline Markdown, safe to place in a page.
pub fn inline(text: &str, at: LinkBase) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        inline_events(text, at, "", |_, _, _| {}).into_iter(),
    );
    html.trim().to_string()
}

/// The site links an answer holds, as its page will resolve them; bare URLs under the
/// site's `base_url` among them.
pub fn inline_links(
    text: &str,
    at: LinkBase,
    base_url: &str,
    line: usize,
    column: usize,
) -> Vec<Link> {
    let mut links = Vec::new();
    inline_events(text, at, base_url, |target, fragment, raw| {
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

/// The words of an answer as its page shows them, for search.
pub fn inline_plain(text: &str) -> String {
    super::plain::inline(text)
}

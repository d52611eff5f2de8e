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

/// Whether `text` is one line of words and plain punctuation that Markdown leaves as
/// written: no markup, entity, escape, HTML character, link, URL, e-mail, `www.` address
/// or `:shortcode:`, and a letter first, so it opens no block (list, heading, quote, code).
/// Most answers are such text, and need no parsing.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b" ,.;'()/%?-".contains(b))
        && !bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
}

/// Renders an answer as inline Markdown, safe to place in a page.
pub fn inline(text: &str, at: LinkBase) -> String {
    if is_plain(text) {
        return text.trim_end().to_string();
    }
    parsed(text, at)
}

/// [`inline`] by parsing `text`.
fn parsed(text: &str, at: LinkBase) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        inline_events(text, at, "", |_, _, _| {}).into_iter(),
    );
    html.trim().to_string()
}

/// The site links an answer holds, as its page will resolve them; bare URLs under the
/// site's `base_url` among them. Plain text ([`is_plain`]) holds none.
pub fn inline_links(
    text: &str,
    at: LinkBase,
    base_url: &str,
    line: usize,
    column: usize,
) -> Vec<Link> {
    if is_plain(text) {
        return Vec::new();
    }
    parsed_links(text, at, base_url, line, column)
}

/// [`inline_links`] by parsing `text`.
fn parsed_links(text: &str, at: LinkBase, base_url: &str, line: usize, column: usize) -> Vec<Link> {
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
    if is_plain(text) {
        return format!("{} ", text.trim_end());
    }
    super::plain::inline(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const AT: LinkBase = LinkBase {
        base_path: "/",
        content_path: "p/incident.md",
    };

    #[test]
    fn text_that_reads_as_markup_is_not_plain() {
        for text in [
            "- item",
            "Dana <dana@x.example>",
            "see www.example.com",
            "a :rocket:",
            "a *b*",
            "a `b`",
            "a & b",
            "1. one",
            " indented",
            "two\nlines",
            "Café",
        ] {
            assert!(!is_plain(text), "{text}");
        }
        assert!(is_plain(
            "Page the on-call (rota 2), then Dana's team; 40% done?"
        ));
    }

    proptest! {
        /// Plain text renders as the parser renders it, on the page and for search, and
        /// the parser finds no link in it.
        #[test]
        fn plain_text_renders_as_parsed(text in "[a-zA-Z][a-zA-Z0-9 ,.;'()/%?-]{0,30}") {
            prop_assert!(is_plain(&text));
            prop_assert_eq!(inline(&text, AT), parsed(&text, AT));
            prop_assert_eq!(inline_plain(&text), super::super::plain::inline(&text));
            prop_assert!(parsed_links(&text, AT, "https://acme.example/", 1, 1).is_empty());
        }
    }
}

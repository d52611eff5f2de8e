//! Bare URLs, `www.` addresses and e-mail addresses in running text turned into links
//! (GFM's autolink extension), found by `linkify`; the one detection bodies and answers use.

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;
use std::sync::LazyLock;

/// URLs with a scheme, and e-mail addresses.
static FINDER: LazyLock<LinkFinder> = LazyLock::new(LinkFinder::new);

/// URLs without a scheme, of which only `www.` addresses are taken.
static WWW: LazyLock<LinkFinder> = LazyLock::new(|| {
    let mut f = LinkFinder::new();
    f.url_must_have_scheme(false).kinds(&[LinkKind::Url]);
    f
});

/// A link found in text: its byte range in the text and the URL it points at.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub range: Range<usize>,
    pub url: String,
    pub email: bool,
}

/// The links of a piece of running text, in order: `http(s)://` and `ftp://` URLs,
/// `www.` addresses (pointed at `http://`, as GitHub does) and e-mail addresses.
pub(super) fn find(text: &str) -> Vec<Found> {
    if !text.contains(['.', '@']) {
        return Vec::new();
    }
    let mut found: Vec<Found> = FINDER
        .links(text)
        .filter_map(|l| {
            let s = l.as_str();
            let lower = s.to_ascii_lowercase();
            let email = matches!(l.kind(), LinkKind::Email);
            let web = ["http://", "https://", "ftp://"]
                .iter()
                .any(|p| lower.starts_with(p));
            (email || web).then(|| Found {
                range: l.start()..l.end(),
                url: s.to_string(),
                email,
            })
        })
        .collect();
    if text
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"www."))
    {
        let www: Vec<Found> = WWW
            .links(text)
            .filter(|l| {
                l.as_str()
                    .get(..4)
                    .is_some_and(|p| p.eq_ignore_ascii_case("www."))
            })
            .filter(|l| {
                !found
                    .iter()
                    .any(|f| f.range.start < l.end() && l.start() < f.range.end)
            })
            .map(|l| Found {
                range: l.start()..l.end(),
                url: format!("http://{}", l.as_str()),
                email: false,
            })
            .collect();
        found.extend(www);
        found.sort_by_key(|f| f.range.start);
    }
    found
}

/// Where a piece of text of a body starts in the source, if its bytes are the source's
/// (no entity or escape was decoded), so links found in it keep their columns.
fn origin(text: &str, range: &Range<usize>) -> Option<usize> {
    (range.len() == text.len()).then_some(range.start)
}

/// The events of a text with its links written as autolinks; each event carries the
/// source range of what it came from.
fn split<'a>(text: CowStr<'a>, range: Range<usize>) -> Vec<(Event<'a>, Range<usize>)> {
    let found = find(&text);
    if found.is_empty() {
        return vec![(Event::Text(text), range)];
    }
    let at = origin(&text, &range);
    let sub = |r: &Range<usize>| match at {
        Some(start) => start + r.start..start + r.end,
        None => range.clone(),
    };
    let mut out = Vec::new();
    let mut pos = 0;
    for f in found {
        if let Some(before) = text.get(pos..f.range.start).filter(|b| !b.is_empty()) {
            out.push((
                Event::Text(before.to_string().into()),
                sub(&(pos..f.range.start)),
            ));
        }
        let shown = text.get(f.range.clone()).unwrap_or_default().to_string();
        let r = sub(&f.range);
        let link_type = if f.email {
            LinkType::Email
        } else {
            LinkType::Autolink
        };
        out.push((
            Event::Start(Tag::Link {
                link_type,
                dest_url: f.url.into(),
                title: "".into(),
                id: "".into(),
            }),
            r.clone(),
        ));
        out.push((Event::Text(shown.into()), r.clone()));
        out.push((Event::End(TagEnd::Link), r));
        pos = f.range.end;
    }
    if let Some(rest) = text.get(pos..).filter(|r| !r.is_empty()) {
        out.push((
            Event::Text(rest.to_string().into()),
            sub(&(pos..text.len())),
        ));
    }
    out
}

/// Links the bare URLs of running text, leaving code, raw HTML and the text of existing
/// links and images as written. Adjacent text events are joined first, so a URL that the
/// parser split (at `_` or `&`) is found whole.
pub(super) fn link<'a>(events: Vec<(Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    // Open links and images, and open code blocks.
    let mut inside = 0usize;
    let mut pending: Option<(String, Range<usize>, bool)> = None;
    let flush = |pending: &mut Option<(String, Range<usize>, bool)>,
                 out: &mut Vec<(Event<'a>, Range<usize>)>| {
        if let Some((text, range, exact)) = pending.take() {
            // A joined text keeps its columns only if every part was the source's own.
            let range = if exact {
                range
            } else {
                range.start..range.start
            };
            out.extend(split(text.into(), range));
        }
    };
    for (event, range) in events {
        match event {
            Event::Text(t) if inside == 0 => {
                let exact = origin(&t, &range).is_some();
                match pending.as_mut() {
                    Some((text, r, e)) if r.end == range.start => {
                        text.push_str(&t);
                        r.end = range.end;
                        *e &= exact;
                    }
                    _ => {
                        flush(&mut pending, &mut out);
                        pending = Some((t.to_string(), range, exact));
                    }
                }
            }
            other => {
                flush(&mut pending, &mut out);
                match &other {
                    Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                        inside += 1
                    }
                    Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                        inside = inside.saturating_sub(1)
                    }
                    _ => {}
                }
                out.push((other, range));
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        find(text).into_iter().map(|f| f.url).collect()
    }

    #[test]
    fn finds_urls_www_and_email_but_not_bare_domains() {
        assert_eq!(
            urls("see https://grafana.example/d/1. or www.example.com, ops@acme.example"),
            [
                "https://grafana.example/d/1",
                "http://www.example.com",
                "ops@acme.example"
            ]
        );
        assert_eq!(urls("ftp://x.example"), ["ftp://x.example"]);
        assert!(urls("acme.example, file.md and ssh://x.example").is_empty());
        assert_eq!(urls("a.b-c_d@a.example."), ["a.b-c_d@a.example"]);
        assert_eq!(
            urls("(see https://en.example/wiki/Foo_(bar))"),
            ["https://en.example/wiki/Foo_(bar)"]
        );
    }

    #[test]
    fn text_split_by_the_parser_is_linked_whole() {
        let md = "go to https://x.example/a_b&c=1 now";
        let events: Vec<_> = pulldown_cmark::Parser::new(md).into_offset_iter().collect();
        let linked = link(events);
        let dest: Vec<String> = linked
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(dest, ["https://x.example/a_b&c=1"]);
    }
}

//! GFM's disallowed raw HTML: the tags GitHub never lets through (`<script>`, `<style>`,
//! `<iframe>`, `<title>`, …) are shown as text, the rest of raw HTML stays as written.

use pulldown_cmark::{CowStr, Event};

/// The tags GFM filters, lowercase.
const DISALLOWED: [&str; 9] = [
    "title",
    "textarea",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "script",
    "plaintext",
];

/// Whether `rest` (what follows a `<`) opens or closes a disallowed tag.
fn disallowed(rest: &str) -> bool {
    let name = rest.strip_prefix('/').unwrap_or(rest);
    DISALLOWED.iter().any(|tag| {
        name.get(..tag.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(tag))
            && name.get(tag.len()..).is_some_and(|after| {
                after.is_empty()
                    || after.starts_with(['>', ' ', '\t', '\n', '\r', '\x0c'])
                    || after.starts_with("/>")
            })
    })
}

/// Raw HTML with the `<` of each disallowed tag escaped.
pub(super) fn filter(html: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len());
    let mut changed = false;
    let mut parts = html.split('<');
    out.push_str(parts.next().unwrap_or(""));
    for part in parts {
        if disallowed(part) {
            out.push_str("&lt;");
            changed = true;
        } else {
            out.push('<');
        }
        out.push_str(part);
    }
    changed.then_some(out)
}

/// Escapes the disallowed tags of every piece of raw HTML.
pub(super) fn apply(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .map(|event| match event {
            Event::Html(h) => Event::Html(filter(&h).map_or(h, CowStr::from)),
            Event::InlineHtml(h) => Event::InlineHtml(filter(&h).map_or(h, CowStr::from)),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_disallowed_tags_are_escaped() {
        assert_eq!(
            filter("<strong><SCRIPT src=x></script><scripts><title/>").as_deref(),
            Some("<strong>&lt;SCRIPT src=x>&lt;/script><scripts>&lt;title/>")
        );
        assert_eq!(filter("<kbd>Ctrl</kbd> <div class=x>"), None);
    }
}

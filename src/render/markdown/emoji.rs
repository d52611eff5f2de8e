//! `:shortcode:` emoji (`:rocket:` → 🚀), by GitHub's names from the `emojis` table; code
//! and unknown names stay as written.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The text with every known `:shortcode:` replaced by its emoji.
pub(super) fn shortcodes(text: &str) -> Option<String> {
    if !text.contains(':') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find(':') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let after = from.get(1..).unwrap_or("");
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_+-".contains(c)))
            .unwrap_or(after.len());
        let name = after.get(..name_len).unwrap_or("");
        let closed = after.get(name_len..).is_some_and(|r| r.starts_with(':'));
        match emojis::get_by_shortcode(name).filter(|_| closed && !name.is_empty()) {
            Some(emoji) => {
                out.push_str(emoji.as_str());
                rest = after.get(name_len + 1..).unwrap_or("");
                changed = true;
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Replaces the shortcodes of running text, leaving code blocks and link URLs as written
/// (code spans are their own events and never touched).
pub(super) fn replace(events: Vec<Event>) -> Vec<Event> {
    let mut in_code = false;
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                event
            }
            Event::Text(t) if !in_code => match shortcodes(&t) {
                Some(s) => Event::Text(CowStr::from(s)),
                None => Event::Text(t),
            },
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_become_emoji() {
        assert_eq!(
            shortcodes("ship it :rocket: :+1::tada:").as_deref(),
            Some("ship it 🚀 👍🎉")
        );
        assert_eq!(shortcodes("at 10:30: :nosuchname: a:b"), None);
        assert_eq!(shortcodes("::rocket:").as_deref(), Some(":🚀"));
    }
}

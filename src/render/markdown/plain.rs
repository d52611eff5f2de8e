//! Plain text: the words of a page body or an answer without markup, for search.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Text as it is read: running text and code as written, a space between blocks (and
/// list items, table cells) and for line breaks, none inside a word. Raw HTML is markup,
/// not text.
#[derive(Default)]
struct Collector {
    text: String,
    /// Where each heading's text is in `text`.
    headings: Vec<Range<usize>>,
}

impl Collector {
    fn add(&mut self, event: &Event) {
        match event {
            Event::Text(t) | Event::Code(t) => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.space(),
            Event::Start(tag) if !is_inline(&tag.to_end()) => {
                self.space();
                if matches!(tag, Tag::Heading { .. }) {
                    self.headings.push(self.text.len()..self.text.len());
                }
            }
            Event::End(tag) if !is_inline(tag) => {
                if matches!(tag, TagEnd::Heading(_)) {
                    if let Some(h) = self.headings.last_mut() {
                        h.end = self.text.len();
                    }
                }
                self.space();
            }
            _ => {}
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }
}

/// Whether a tag marks up text inside a line (emphasis, a link) rather than a block.
fn is_inline(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The plain text of a page body's events, and where each heading's text is in it.
pub(super) fn body(events: &[(Event, Range<usize>)]) -> (String, Vec<Range<usize>>) {
    let mut c = Collector::default();
    for (event, _) in events {
        c.add(event);
    }
    (c.text, c.headings)
}

/// The plain text of an answer's inline Markdown.
pub(super) fn inline(text: &str) -> String {
    let mut c = Collector::default();
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        c.add(&event);
    }
    c.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_whole_and_blocks_apart() {
        let md = "# Café &amp; bar\n\nA *wide*`FLAG`\ntext <kbd>Ctrl</kbd>.\n\n- one\n  - two\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode  here\n```\n";
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_TABLES)
            .into_offset_iter()
            .collect();
        let (text, headings) = body(&events);
        assert_eq!(
            text,
            "Café & bar A wideFLAG text Ctrl. one two a b c d code  here\n "
        );
        let heading: Vec<&str> = headings
            .iter()
            .filter_map(|h| text.get(h.clone()))
            .collect();
        assert_eq!(heading, ["Café & bar"]);
        assert_eq!(
            inline("Dana <dana@x.example> & **co**"),
            "Dana dana@x.example & co "
        );
    }
}

//! Plain text: the words of a page body or an answer without markup, for search.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Text as it is read: words of running text and inline code each followed by a
/// space, code blocks as written, line breaks as spaces. Raw HTML is markup, not text.
#[derive(Default)]
struct Collector {
    text: String,
    in_code: bool,
}

impl Collector {
    fn add(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(t) | Event::Code(t) => {
                self.text.push_str(t);
                if !self.in_code {
                    self.text.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            _ => {}
        }
    }
}

/// The plain text of a page body's events.
pub fn body(events: &[(Event, Range<usize>)]) -> String {
    let mut c = Collector::default();
    for (event, _) in events {
        c.add(event);
    }
    c.text
}

/// The plain text of an answer's inline Markdown.
pub fn inline(text: &str) -> String {
    let mut c = Collector::default();
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        c.add(&event);
    }
    c.text
}

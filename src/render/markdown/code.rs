//! Code blocks: each fenced or indented block through the highlighter, marked with its
//! language.

use crate::render::highlight::{escape, Highlighter};
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// Replaces every code block by its highlighted HTML.
pub(super) fn highlight<'a>(events: Vec<Event<'a>>, highlighter: &Highlighter) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    // The open block's language and text.
    let mut code: Option<(String, String)> = None;
    for event in events {
        match (event, code.as_mut()) {
            (Event::Start(Tag::CodeBlock(kind)), _) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            (Event::End(TagEnd::CodeBlock), _) => {
                if let Some((lang, text)) = code.take() {
                    out.push(Event::Html(block(&lang, &text, highlighter).into()));
                }
            }
            (Event::Text(t), Some((_, text))) => text.push_str(&t),
            (other, _) => out.push(other),
        }
    }
    out
}

/// A block's HTML: `language-…` names the first word of its info string.
fn block(lang: &str, text: &str, highlighter: &Highlighter) -> String {
    let token = lang.split([' ', ',', '{']).next().unwrap_or("");
    let class = if token.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(token))
    };
    format!(
        "<pre class=\"code\"><code{class}>{}</code></pre>\n",
        highlighter.code(lang, text)
    )
}

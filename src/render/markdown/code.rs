//! Code blocks: each fenced or indented block through the highlighter, marked with its
//! language; `mermaid` blocks kept as source for the theme's diagram script.

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

/// A block's HTML: `language-…` names the first word of its info string. A `mermaid`
/// block is its escaped source in `<pre class="mermaid">`, which the theme draws as a
/// diagram and shows as written where scripts do not run.
fn block(lang: &str, text: &str, highlighter: &Highlighter) -> String {
    let token = lang.split([' ', ',', '{']).next().unwrap_or("");
    if token.eq_ignore_ascii_case("mermaid") {
        return format!("<pre class=\"mermaid\">{}</pre>\n", escape(text));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser};

    fn render(markdown: &str) -> String {
        let events = highlight(Parser::new(markdown).collect(), &Highlighter::new());
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn mermaid_blocks_keep_their_escaped_source_unhighlighted() {
        let html = render("```mermaid\nflowchart LR\n  A[\"x < y & z\"] --> B\n```\n");
        assert_eq!(
            html,
            "<pre class=\"mermaid\">flowchart LR\n  A[&quot;x &lt; y &amp; z&quot;] --&gt; B\n</pre>\n"
        );
        let html = render("```Mermaid {title=x}\ngraph TD\n```\n");
        assert!(
            html.starts_with("<pre class=\"mermaid\">graph TD"),
            "{html}"
        );
    }

    #[test]
    fn other_languages_stay_highlighted() {
        let html = render("```mermaidish\nx\n```\n");
        assert!(html.starts_with("<pre class=\"code\">"), "{html}");
    }
}

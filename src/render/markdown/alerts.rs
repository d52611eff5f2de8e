//! GFM alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) written
//! as GitHub writes them: a `markdown-alert` region with its title.

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

/// The class suffix and title of an alert kind.
fn kind(k: BlockQuoteKind) -> (&'static str, &'static str) {
    match k {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Replaces every alert block quote by its `markdown-alert` region; plain block quotes
/// stay.
pub(super) fn write(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::BlockQuote(Some(k))) => {
                let (class, title) = kind(k);
                Event::Html(
                    format!(
                        "<div class=\"markdown-alert markdown-alert-{class}\" role=\"note\"><p class=\"markdown-alert-title\">{title}</p>\n"
                    )
                    .into(),
                )
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    #[test]
    fn alerts_become_regions_and_quotes_stay() {
        let md = "> [!WARNING]\n> Mind the gap.\n\n> Said someone.\n";
        let mut html = String::new();
        let events = write(Parser::new_ext(md, Options::ENABLE_GFM).collect());
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        assert_eq!(
            html,
            "<div class=\"markdown-alert markdown-alert-warning\" role=\"note\"><p class=\"markdown-alert-title\">Warning</p>\n<p>Mind the gap.</p>\n</div>\n<blockquote>\n<p>Said someone.</p>\n</blockquote>\n"
        );
    }
}

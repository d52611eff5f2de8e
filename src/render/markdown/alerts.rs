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
pub fn write(events: Vec<Event>) -> Vec<Event> {
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

//! Tables: each wrapped in a region that scrolls when the table is wide, and that a
//! keyboard can reach.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Wraps every table in its scrolling region.
pub(super) fn wrap(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">"
                        .into(),
                ));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>".into()));
            }
            other => out.push(other),
        }
    }
    out
}

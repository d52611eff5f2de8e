//! Footnotes with ids of their own: `fn-<label>` for a note and `fnref-<label>` for the
//! place that cites it (as GitHub names them), numbered in order of first citation, and
//! each note with a `↩` link back to every place that cites it.

use super::ids::UniqueIds;
use crate::render::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;

/// A footnote label's number and ids.
struct Note {
    number: usize,
    id: String,
    /// The ids of the places citing it, in order.
    refs: Vec<String>,
}

/// Labels match regardless of case, as link labels do.
fn key(label: &str) -> String {
    label.to_lowercase()
}

/// The id part of a label: its whitespace as hyphens, so the id is one word.
fn id_part(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join("-")
}

/// What footnotes give a page: the events with each reference and note written out,
/// and the ids of the notes and references in page order.
pub(super) struct Written<'a> {
    pub events: Vec<Event<'a>>,
    pub anchors: Vec<String>,
}

/// Writes footnote references and definitions with `fn-`/`fnref-` ids.
pub(super) fn write(events: Vec<Event>) -> Written {
    // First pass: numbers in order of first mention, and the id of every reference.
    let mut ids = UniqueIds::footnotes();
    let mut notes: HashMap<String, Note> = HashMap::new();
    let mut ref_ids = Vec::new();
    for event in &events {
        let (Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))) =
            event
        else {
            continue;
        };
        let len = notes.len();
        let note = notes.entry(key(label)).or_insert_with(|| Note {
            number: len + 1,
            id: ids.unique(format!("fn-{}", id_part(label))),
            refs: Vec::new(),
        });
        if let Event::FootnoteReference(_) = event {
            let id = ids.unique(format!("fnref-{}", id_part(label)));
            note.refs.push(id.clone());
            ref_ids.push(id);
        }
    }
    // Second pass: references and notes written out.
    let mut anchors = Vec::new();
    let mut refs = ref_ids.into_iter();
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<&Note> = None;
    for event in events {
        match event {
            Event::FootnoteReference(label) => {
                let (Some(n), Some(id)) = (notes.get(&key(&label)), refs.next()) else {
                    continue;
                };
                out.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{}\" id=\"{}\">{}</a></sup>",
                        escape(&n.id),
                        escape(&id),
                        n.number
                    )
                    .into(),
                ));
                anchors.push(id);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let Some(n) = notes.get(&key(&label)) else {
                    continue;
                };
                anchors.push(n.id.clone());
                out.push(Event::Html(
                    format!(
                        "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>",
                        escape(&n.id),
                        n.number
                    )
                    .into(),
                ));
                open = Some(n);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let back = open.take().map(back_links).unwrap_or(CowStr::Borrowed(""));
                // Inside the note's last paragraph, as GitHub places it.
                if matches!(out.last(), Some(Event::End(TagEnd::Paragraph))) {
                    let end = out.pop();
                    out.push(Event::Html(back));
                    out.extend(end);
                } else {
                    out.push(Event::Html(back));
                }
                out.push(Event::Html("</div>\n".into()));
            }
            other => out.push(other),
        }
    }
    Written {
        events: out,
        anchors,
    }
}

/// The `↩` links from a note to each place citing it.
fn back_links(n: &Note) -> CowStr<'static> {
    n.refs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let nth = if n.refs.len() > 1 {
                format!(" {}", i + 1)
            } else {
                String::new()
            };
            format!(
                " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"Back to reference {}{nth}\">↩</a>",
                escape(r),
                n.number
            )
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn render(md: &str) -> (String, Vec<String>) {
        let events = Parser::new_ext(md, Options::ENABLE_FOOTNOTES).collect();
        let written = write(events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, written.events.into_iter());
        (html, written.anchors)
    }

    #[test]
    fn notes_number_by_first_mention_and_match_labels_regardless_of_case() {
        let (html, anchors) =
            render("[^b]: First defined.\n\nCites [^a] then [^B].\n\n[^a]: Note a.\n");
        assert_eq!(anchors, ["fn-b", "fnref-a", "fnref-B", "fn-a"]);
        assert!(
            html.contains("<a href=\"#fn-a\" id=\"fnref-a\">2</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-b\" id=\"fnref-B\">1</a>"),
            "{html}"
        );
        assert!(
            html.contains("First defined. <a href=\"#fnref-B\" class=\"footnote-backref\""),
            "the back-link sits in the note's last paragraph: {html}"
        );
    }

    #[test]
    fn labels_that_differ_only_in_spacing_get_distinct_ids() {
        let (_, anchors) = render("[^a b] and [^a-b].\n\n[^a b]: One.\n[^a-b]: Two.\n");
        assert_eq!(anchors, ["fnref-a-b", "fnref-a-b-1", "fn-a-b", "fn-a-b-1"]);
    }
}

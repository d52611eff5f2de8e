//! Heading ids: slugs from heading text, kept unique within a page, and each heading
//! written with its id and a permalink named after it.

use crate::domain::document::Heading;
use crate::render::highlight::escape;
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// A heading id from its text: lowercase, letters and digits of any script kept,
/// spaces and hyphens to single hyphens, other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Id prefixes kept for footnotes (`fn-1`, `fnref-1`): no heading takes one.
pub(super) const FOOTNOTE_PREFIXES: [&str; 2] = ["fn-", "fnref-"];

/// Hands out ids unique within a page: `base` when it is free, else the first free of
/// `base-1`, `base-2`, … Each base remembers where its count stopped, so n equal
/// headings take n steps, not n². A base in the footnotes' namespace (`fn-…`, `fnref-…`)
/// is moved out of it with an `h-` prefix, so a heading never takes a footnote's id.
#[derive(Debug)]
pub struct UniqueIds {
    used: HashSet<String>,
    /// The next suffix to try for a base whose plain id is taken.
    next: HashMap<String, usize>,
    /// Whether the footnotes' prefixes are kept out.
    reserve: bool,
}

impl Default for UniqueIds {
    fn default() -> Self {
        UniqueIds::new([])
    }
}

impl UniqueIds {
    /// Ids that are already taken (e.g. field anchors) and will not be handed out.
    pub fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        UniqueIds {
            used: taken.into_iter().map(str::to_string).collect(),
            next: HashMap::new(),
            reserve: true,
        }
    }

    /// The footnotes' own ids, which are the ones allowed the reserved prefixes.
    pub(super) fn footnotes() -> Self {
        UniqueIds {
            reserve: false,
            ..UniqueIds::default()
        }
    }

    /// The id for `base`, now taken.
    pub fn unique(&mut self, base: String) -> String {
        let base = if self.reserve && FOOTNOTE_PREFIXES.iter().any(|p| base.starts_with(p)) {
            format!("h-{base}")
        } else {
            base
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        // Every suffix below `n` is taken, and ids are never given back.
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let id = loop {
            let id = format!("{base}-{n}");
            n += 1;
            if self.used.insert(id.clone()) {
                break id;
            }
        };
        self.next.insert(base, n);
        id
    }
}

/// What the headings of a page give: the events with each heading written out, the
/// headings, and their ids in page order.
pub(super) struct Headed<'a> {
    pub events: Vec<Event<'a>>,
    pub headings: Vec<Heading>,
    pub anchors: Vec<String>,
}

/// A heading being read: its events are held back until its id is known.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
}

/// Gives every heading a unique id (its `{#id}`, else a slug of its text) that avoids
/// `taken`, and writes it with a permalink.
pub(super) fn headings<'a>(events: Vec<Event<'a>>, taken: &[&str]) -> Headed<'a> {
    let mut ids = UniqueIds::new(taken.iter().copied());
    let mut out = Headed {
        events: Vec::with_capacity(events.len()),
        headings: Vec::new(),
        anchors: Vec::new(),
    };
    let mut open: Option<OpenHeading> = None;
    for event in events {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                open = Some(OpenHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = open.take() {
                    close(h, &mut ids, &mut out);
                }
            }
            other => match open.as_mut() {
                Some(h) => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        h.text.push_str(t);
                    }
                    h.events.push(other);
                }
                None => out.events.push(other),
            },
        }
    }
    out
}

/// Writes a finished heading with its id and permalink, and records it.
fn close<'a>(h: OpenHeading<'a>, ids: &mut UniqueIds, out: &mut Headed<'a>) {
    let id = ids.unique(h.id.unwrap_or_else(|| slugify(&h.text)));
    let n = h.level as u8;
    let class = if h.classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape(&h.classes.join(" ")))
    };
    out.events.push(Event::Html(
        format!("<h{n} id=\"{}\"{class}>", escape(&id)).into(),
    ));
    out.events.extend(h.events);
    out.events.push(Event::Html(
        format!(
            " <a class=\"permalink\" href=\"#{}\" aria-label=\"Link to {}\">#</a></h{n}>\n",
            escape(&id),
            escape(h.text.trim())
        )
        .into(),
    ));
    out.anchors.push(id.clone());
    out.headings.push(Heading {
        level: n,
        id,
        text: h.text.trim().to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_never_take_footnote_ids() {
        let mut ids = UniqueIds::new(["h-fn-1"]);
        assert_eq!(ids.unique("fn-1".into()), "h-fn-1-1");
        assert_eq!(ids.unique("fnref-a".into()), "h-fnref-a");
        assert_eq!(ids.unique("fnord".into()), "fnord");
        let mut notes = UniqueIds::footnotes();
        assert_eq!(notes.unique("fn-1".into()), "fn-1");
        assert_eq!(notes.unique("fn-1".into()), "fn-1-1");
    }
}

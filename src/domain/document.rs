//! A page body as rendered: its HTML, and the headings, anchors, links and task items
//! found in it, which link checking and the templates read.

use serde::Serialize;

/// Where a link inside the site points, as a path under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A Markdown file: `support-triage/incident.md`.
    Page(String),
    /// Any other file: `support-triage/diagram.svg`.
    File(String),
    /// A heading of the same page.
    Here,
    /// A URL path under the site's `base_url`, as an absolute link names it:
    /// `support-triage/incident/`, `support-triage/diagram.svg`, or `` for the home page.
    Url(String),
    /// A path that climbs out of `content/` or names nothing: always broken.
    Outside,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: Target,
    pub fragment: Option<String>,
    /// As written, for messages.
    pub raw: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A task-list item (`- [ ]` or `- [x]`) and the file line it is written on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub done: bool,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Every id a link may point at: headings and footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<Link>,
    pub tasks: Vec<Task>,
    /// The text without markup, for search.
    pub plain: String,
    /// Where each heading's text is in `plain` (byte ranges), in the order of the text,
    /// so search can tell the text under each heading apart.
    pub plain_headings: Vec<std::ops::Range<usize>>,
}

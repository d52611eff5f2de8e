//! Tables of contents: the h2 and h3 headings each kind of page shows, the template's own
//! and its Markdown's, in page order. The theme's `partials/toc.html` lists them when a
//! page has three or more.

use crate::domain::document::{Heading, Rendered};

/// A heading the template writes itself.
fn fixed(level: u8, id: impl Into<String>, text: impl Into<String>) -> Heading {
    Heading {
        level,
        id: id.into(),
        text: text.into(),
    }
}

/// The h2 and h3 headings of a Markdown body (its h1 titles the page; h4 and below are
/// too fine for a table of contents).
pub(crate) fn body(r: Option<&Rendered>) -> Vec<Heading> {
    r.map(|r| {
        r.headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .cloned()
            .collect()
    })
    .unwrap_or_default()
}

/// Where a section page shows eval results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EvalResults {
    None,
    /// The evaluation section: results first, the answers after them.
    First,
    /// Below the answers (the models section).
    AfterAnswers,
}

/// A section page: its answers and its eval results in the order shown, then its notes.
pub(crate) fn section(eval: EvalResults, notes: Option<&Rendered>) -> Vec<Heading> {
    let results = || fixed(2, "eval-results", "Evaluation results");
    let mut out = Vec::new();
    if eval == EvalResults::First {
        out.push(results());
    }
    out.push(fixed(2, "answers", "Answers"));
    if eval == EvalResults::AfterAnswers {
        out.push(results());
    }
    if notes.is_some_and(|r| !r.html.is_empty()) {
        out.push(fixed(2, "notes", "Notes"));
        out.extend(body(notes));
    }
    out
}

/// A pack overview: its introduction's headings, then its sections, pages and badge.
pub(crate) fn overview(intro: Option<&Rendered>, has_pages: bool) -> Vec<Heading> {
    let mut out = body(intro);
    out.push(fixed(2, "sections", "Sections"));
    if has_pages {
        out.push(fixed(2, "pages", "Pages"));
    }
    out.push(fixed(2, "badge", "Badge"));
    out
}

/// A rollout checklist: its phases (number and name, in the order shown), then the lists
/// after them.
pub(crate) fn checklist<'a>(phases: impl Iterator<Item = (usize, &'a str)>) -> Vec<Heading> {
    let mut out = vec![fixed(2, "phases", "Phases")];
    out.extend(phases.map(|(n, name)| fixed(3, format!("phase-{n}"), name)));
    for (id, text) in [
        ("operability", "Operability checklist"),
        ("gate", "Eval gate"),
        ("monitoring", "Monitoring"),
        ("tasks", "Open tasks"),
    ] {
        out.push(fixed(2, id, text));
    }
    out
}

/// A runbook: the sections `partials/runbook_body.html` writes, their ids scoped to the
/// pack's `slug`, the first titled `first` (who to call first), then the incident notes'
/// own headings.
pub(crate) fn runbook(slug: &str, first: &str, notes: Option<&Rendered>) -> Vec<Heading> {
    let mut out = vec![fixed(2, format!("first-{slug}"), first)];
    for (id, text) in [
        ("kill-switch", "Kill switch"),
        ("actions", "Immediate actions"),
        ("page", "Who to page"),
        ("what", "What counts as an incident"),
        ("fallback", "Fallback behaviour"),
        ("comms", "Communication plan"),
        ("review-owner", "Post-incident review owner"),
        ("review-format", "Post-incident review format"),
    ] {
        out.push(fixed(2, format!("{id}-{slug}"), text));
    }
    if notes.is_some_and(|r| !r.html.is_empty()) {
        out.push(fixed(2, format!("notes-{slug}"), "Incident notes"));
        out.extend(body(notes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        fixed(level, id, id)
    }

    #[test]
    fn bodies_give_their_h2_and_h3_only() {
        let r = Rendered {
            html: "<h1>…".into(),
            headings: vec![
                heading(1, "title"),
                heading(2, "a"),
                heading(3, "b"),
                heading(4, "c"),
            ],
            ..Rendered::default()
        };
        let ids = |hs: Vec<Heading>| hs.into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids(body(Some(&r))), ["a", "b"]);
        assert_eq!(
            ids(section(EvalResults::AfterAnswers, Some(&r))),
            ["answers", "eval-results", "notes", "a", "b"]
        );
        assert_eq!(
            ids(section(EvalResults::First, None)),
            ["eval-results", "answers"]
        );
        assert_eq!(ids(section(EvalResults::None, None)), ["answers"]);
        assert_eq!(
            ids(overview(Some(&r), false)),
            ["a", "b", "sections", "badge"]
        );
    }
}

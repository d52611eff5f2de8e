//! What a page says, for search: its parts a result can point at (the top of the page,
//! each heading, each answer of a section), each with its text and whether it is still a
//! placeholder, gathered from what the page is made of, never read back out of its HTML.
use crate::domain::answers::{classify, Answer, State};
use crate::domain::document::Rendered;
use crate::domain::field::Field;
use crate::domain::model::{Pack, Section};
use crate::domain::schema::FieldDef;
use crate::render::answers_view::answer_text;
use crate::render::checklist::Checklist;
use crate::render::evals_view::EvalView;
use crate::render::runbook;

/// A part of a page a search result opens at: the page's top, a heading or an answer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The id it opens at; empty for the top of the page.
    pub anchor: String,
    /// The heading's text or the answer's label; empty for the top of the page.
    pub heading: String,
    /// The text under it.
    pub text: String,
    /// Whether it holds no answer yet (a placeholder, an empty heading, a runbook with
    /// nothing filled in): ranked below every part that does.
    pub placeholder: bool,
}

/// A page's parts, the top of the page first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Words {
    pub(crate) entries: Vec<Entry>,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            entries: vec![Entry::default()],
        }
    }
}

impl Words {
    /// Adds running text to the part being written: the last one.
    pub(crate) fn add(&mut self, text: &str) {
        if self.entries.is_empty() {
            self.entries.push(Entry::default());
        }
        if let Some(last) = self.entries.last_mut() {
            last.text.push_str(text);
            last.text.push(' ');
        }
    }

    /// Adds a Markdown body: its text before the first heading to the part being
    /// written, then a part for each heading with the text under it.
    pub(crate) fn body(&mut self, body: Option<&Rendered>) {
        let Some(r) = body else {
            return;
        };
        // The headings the text was split at are the headings given ids, in order; if
        // they ever disagree, the whole text stays with the part being written.
        if r.plain_headings.len() != r.headings.len() || r.headings.is_empty() {
            self.add(&r.plain);
            return;
        }
        let start = r.plain_headings.first().map_or(0, |h| h.start);
        self.add(r.plain.get(..start).unwrap_or(""));
        for (i, (range, heading)) in r.plain_headings.iter().zip(&r.headings).enumerate() {
            let end = r
                .plain_headings
                .get(i + 1)
                .map_or(r.plain.len(), |next| next.start);
            let text = r.plain.get(range.end..end).unwrap_or("").trim();
            let deeper_next = r
                .headings
                .get(i + 1)
                .is_some_and(|next| next.level > heading.level);
            let placeholder = match classify(text) {
                State::Placeholder => !(text.is_empty() && deeper_next),
                _ => false,
            };
            self.entries.push(Entry {
                anchor: heading.id.clone(),
                heading: r.plain.get(range.clone()).unwrap_or("").trim().to_string(),
                text: text.to_string(),
                placeholder,
            });
        }
    }

    /// Adds an answer after its label to the part being written.
    pub(crate) fn answer(&mut self, def: &FieldDef, answer: &Answer) {
        self.add(def.label);
        self.add(&answer_text(def, answer));
    }

    /// Adds an answer as a part of its own, opened at the field's anchor; a yes-or-no
    /// answer reads "Yes" or "No", as its page shows it.
    fn answer_part(&mut self, def: &FieldDef, answer: &Answer) {
        let text = match answer.bool() {
            Some(true) => "Yes".to_string(),
            Some(false) => "No".to_string(),
            None => answer_text(def, answer).trim().to_string(),
        };
        self.entries.push(Entry {
            anchor: def.name.to_string(),
            heading: def.label.to_string(),
            text,
            placeholder: !answer.filled(),
        });
    }

    /// Adds the answer to `field`, wherever in the pack it is.
    fn field(&mut self, pack: &Pack, field: Field) {
        let found = pack
            .sections
            .iter()
            .flat_map(Section::answers)
            .find(|(def, _)| def.name == field.as_str());
        if let Some((def, answer)) = found {
            self.answer(def, answer);
        }
    }

    /// Adds evaluation results to the top of the page, where they are shown: each run's
    /// date, prompt version and model.
    pub(crate) fn eval(&mut self, eval: &EvalView) {
        let Some(top) = self.entries.first_mut() else {
            return;
        };
        for run in &eval.runs {
            for part in
                std::iter::once(&run.date).chain([&run.version, &run.model].into_iter().flatten())
            {
                top.text.push_str(part);
                top.text.push(' ');
            }
        }
    }

    /// A page that is only its Markdown: a placeholder when it says nothing yet.
    pub(crate) fn page(body: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        w.body(body);
        let alone = w.entries.len() == 1;
        if let Some(top) = w.entries.first_mut() {
            top.placeholder = alone && says_nothing(&top.text);
        }
        w
    }

    /// A pack's overview: its name, DRI and introduction.
    pub(crate) fn pack(pack: &Pack, intro: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        w.add(&pack.name());
        w.field(pack, Field::Dri);
        w.body(intro);
        w
    }

    /// A section page: each answer as a part at its field, then the notes. An eval
    /// section's results ([`Words::eval`]) go with the notes.
    pub(crate) fn section(section: &Section, notes: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        for (def, answer) in section.answers() {
            w.answer_part(def, answer);
        }
        // The notes' own text before their first heading belongs to the top of the page.
        let mut notes_words = Words::default();
        notes_words.body(notes);
        let mut parts = notes_words.entries.into_iter();
        if let Some(top) = parts.next() {
            if let Some(first) = w.entries.first_mut() {
                first.text.push_str(&top.text);
            }
        }
        w.entries.extend(parts);
        w
    }

    /// A runbook: the answers it gathers, then the incident notes. A runbook none of
    /// whose answers is filled in is a placeholder.
    pub(crate) fn runbook(pack: &Pack, notes: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        for field in runbook::FIELDS {
            w.field(pack, field);
        }
        let empty = !runbook::FIELDS.iter().any(|&f| pack.answer(f).filled());
        if let Some(top) = w.entries.first_mut() {
            top.placeholder = empty;
        }
        w.body(notes);
        w
    }

    /// A rollout checklist: the phases, the operability and monitoring answers it shows,
    /// and the task items.
    pub(crate) fn checklist(pack: &Pack, checklist: &Checklist) -> Words {
        let mut w = Words::default();
        w.add(&pack.name());
        w.field(pack, Field::Phases);
        let shown: Vec<&str> = checklist
            .operability
            .iter()
            .chain(&checklist.monitoring)
            .map(|f| f.id)
            .collect();
        for (def, answer) in pack.sections.iter().flat_map(Section::answers) {
            if shown.contains(&def.name) {
                w.answer(def, answer);
            }
        }
        for task in &checklist.tasks {
            w.add(&task.text);
        }
        w
    }
}

/// Whether `text` says nothing yet: empty or a placeholder (`TBD`, `TODO: …`, `<…>`).
fn says_nothing(text: &str) -> bool {
    classify(text) == State::Placeholder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::Heading;

    fn rendered(plain: &str, headings: &[(u8, &str, &str)]) -> Rendered {
        let mut r = Rendered {
            plain: plain.to_string(),
            ..Rendered::default()
        };
        for (level, id, text) in headings {
            let start = plain.find(text).expect("the heading is in the text");
            r.plain_headings.push(start..start + text.len());
            r.headings.push(Heading {
                level: *level,
                id: (*id).to_string(),
                text: (*text).to_string(),
            });
        }
        r
    }

    #[test]
    fn each_heading_is_a_part_with_the_text_under_it() {
        let r = rendered(
            "Intro words. Kill switch Flip the flag. Budget TBD Alerts Daily Spend warning ",
            &[
                (2, "kill-switch", "Kill switch"),
                (2, "budget", "Budget"),
                (2, "alerts", "Alerts"),
                (3, "daily", "Daily"),
            ],
        );
        let w = Words::page(Some(&r));
        let parts: Vec<(&str, &str, &str, bool)> = w
            .entries
            .iter()
            .map(|e| {
                (
                    e.anchor.as_str(),
                    e.heading.as_str(),
                    e.text.trim(),
                    e.placeholder,
                )
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("", "", "Intro words.", false),
                ("kill-switch", "Kill switch", "Flip the flag.", false),
                ("budget", "Budget", "TBD", true),
                // Empty, but its text is the deeper heading's.
                ("alerts", "Alerts", "", false),
                ("daily", "Daily", "Spend warning", false),
            ]
        );
    }

    #[test]
    fn headings_that_disagree_leave_the_text_whole() {
        let mut r = rendered("A b. Head c d.", &[(2, "head", "Head")]);
        r.headings.clear();
        let w = Words::page(Some(&r));
        assert_eq!(w.entries.len(), 1);
        assert_eq!(w.entries[0].text.trim(), "A b. Head c d.");
    }

    #[test]
    fn a_page_that_says_nothing_is_a_placeholder() {
        assert!(Words::page(Some(&rendered("TBD ", &[]))).entries[0].placeholder);
        assert!(Words::page(None).entries[0].placeholder);
        assert!(!Words::page(Some(&rendered("Words.", &[]))).entries[0].placeholder);
    }
}

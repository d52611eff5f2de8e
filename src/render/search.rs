//! Search: an index of every page's title, headings and words, built with the site and
//! read by the search box in the browser (from JSON, or from a script when opened from disk).
//! A page's words are gathered from what it is made of (its Markdown's plain text and
//! headings, its answers), never read back out of its HTML.
use crate::domain::answers::Answer;
use crate::domain::document::Rendered;
use crate::domain::field::Field;
use crate::domain::model::{Pack, Section};
use crate::domain::schema::FieldDef;
use crate::render::answers_view::answer_text;
use crate::render::checklist::Checklist;
use crate::render::evals_view::EvalView;
use crate::render::runbook;
use serde::Serialize;
use std::collections::HashSet;

/// How much of a page's text is kept for the result snippet.
const SUMMARY_CHARS: usize = 240;

/// One page in the index. Short keys keep the index small on sites of many packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Entry {
    /// Title.
    pub t: String,
    /// URL path under the base path, e.g. `support-triage/runbook/`.
    pub u: String,
    /// The pack's name, empty for site pages.
    pub p: String,
    /// Headings.
    pub h: Vec<String>,
    /// The start of the text, for the result snippet.
    pub s: String,
    /// Every distinct word of the page, lowercase, space-separated.
    pub w: String,
}

/// What a page says, gathered from the parts it is rendered from: the headings and
/// plain text of its Markdown, and its answers with their labels.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Words {
    headings: Vec<String>,
    text: String,
}

impl Words {
    /// Adds running text.
    pub(crate) fn add(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push(' ');
    }

    /// Adds a Markdown body: its headings and its plain text.
    pub(crate) fn body(&mut self, body: Option<&Rendered>) {
        if let Some(r) = body {
            self.headings
                .extend(r.headings.iter().map(|h| h.text.clone()));
            self.add(&r.plain);
        }
    }

    /// Adds an answer after its label.
    pub(crate) fn answer(&mut self, def: &FieldDef, answer: &Answer) {
        self.add(def.label);
        self.add(&answer_text(def, answer));
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

    /// Adds evaluation results: each run's date, prompt version and model.
    pub(crate) fn eval(&mut self, eval: &EvalView) {
        for run in &eval.runs {
            self.add(&run.date);
            for part in [&run.version, &run.model].into_iter().flatten() {
                self.add(part);
            }
        }
    }

    /// A page that is only its Markdown.
    pub(crate) fn page(body: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        w.body(body);
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

    /// A section page: each answer with its label, then the notes.
    pub(crate) fn section(section: &Section, notes: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        for (def, answer) in section.answers() {
            w.answer(def, answer);
        }
        w.body(notes);
        w
    }

    /// A runbook: the answers it gathers, then the incident notes.
    pub(crate) fn runbook(pack: &Pack, notes: Option<&Rendered>) -> Words {
        let mut w = Words::default();
        for field in runbook::FIELDS {
            w.field(pack, field);
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

/// The index entry of a page from its title and words.
pub(crate) fn entry(url_path: &str, title: &str, pack: &str, words: &Words) -> Entry {
    let text = words.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let summary: String = text.chars().take(SUMMARY_CHARS).collect();
    let mut seen = HashSet::new();
    let terms: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
        .chain(text.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-'))
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| w.chars().count() > 1 && seen.insert(w.clone()))
        .collect();
    Entry {
        t: title.to_string(),
        u: url_path.to_string(),
        p: pack.to_string(),
        h: words
            .headings
            .iter()
            .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|h| !h.is_empty())
            .collect(),
        s: summary,
        w: terms.join(" "),
    }
}

/// Entries as a comma-separated run of JSON objects, to join with other runs.
pub(crate) fn fragment(entries: &[Entry]) -> String {
    entries
        .iter()
        .filter_map(|e| serde_json::to_string(e).ok())
        .collect::<Vec<_>>()
        .join(",")
}

/// The whole index as JSON from fragments.
pub(crate) fn index_json<'a>(fragments: impl Iterator<Item = &'a str>) -> String {
    let parts: Vec<&str> = fragments.filter(|f| !f.is_empty()).collect();
    format!("[{}]", parts.join(","))
}

/// The index as a script, for pages opened from disk where `fetch` of JSON fails.
pub(crate) fn index_script(json: &str) -> String {
    format!("window.ROLLBOOK_SEARCH={json};\n")
}

/// `sitemap.xml`: every page (`…/index.html` among `paths`) with its absolute URL.
pub(crate) fn sitemap<'a>(
    paths: impl Iterator<Item = &'a String>,
    config: &crate::domain::config::Config,
) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<&str> = paths.filter_map(|p| p.strip_suffix("index.html")).collect();
    pages.sort_unstable();
    pages.dedup();
    for folder in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::render::highlight::escape(&config.absolute_url(folder))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_from_words() {
        let mut words = Words::default();
        words.add("Flip the & flag FLAG_X.\n  Flip!");
        words.headings.push("Kill  switch".into());
        let e = entry("a/runbook/", "Runbook: A", "A", &words);
        assert_eq!(e.h, vec!["Kill switch"]);
        assert_eq!(e.s, "Flip the & flag FLAG_X. Flip!");
        assert_eq!(e.w, "runbook flip the flag flag_x");
        let json = index_json(
            [
                fragment(std::slice::from_ref(&e)).as_str(),
                "",
                fragment(&[e]).as_str(),
            ]
            .into_iter(),
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn the_snippet_is_cut_at_a_character() {
        let mut words = Words::default();
        words.add(&"é".repeat(300));
        let e = entry("p/", "P", "", &words);
        assert_eq!(e.s.chars().count(), SUMMARY_CHARS);
    }
}

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
use std::collections::HashMap;

/// How much of a page's text is kept for the result snippet.
const SUMMARY_CHARS: usize = 240;

/// Where on a page a word is, as bits: in its title, in a heading (else in its text).
pub(crate) const IN_TITLE: u8 = 1;
pub(crate) const IN_HEADING: u8 = 2;

/// What a search result shows of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub title: String,
    /// URL path under the base path, e.g. `support-triage/runbook/`.
    pub url: String,
    /// The start of the text, for the result snippet.
    pub snippet: String,
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

/// The pages of one pack (or the site's own pages) with their words, gathered as
/// the pages are rendered; [`Collector::finish`] makes it the compact [`Part`].
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pack: String,
    docs: Vec<Doc>,
    /// Each distinct word so far, by its number.
    numbers: HashMap<Box<str>, u32>,
    /// By word number: the page it was last seen on + 1, and its hit there in `hits`.
    last: Vec<(u32, usize)>,
    /// Each word on each page: `(word number, page << 2 | where)`, in page order.
    hits: Vec<(u32, u32)>,
}

impl Collector {
    /// The pages of the pack named `pack` (empty for the site's own pages).
    pub(crate) fn new(pack: &str) -> Collector {
        Collector {
            pack: pack.to_string(),
            ..Collector::default()
        }
    }

    /// Adds the page at `url_path` with its title and words.
    pub(crate) fn add(&mut self, url_path: &str, title: &str, words: &Words) {
        let page = u32::try_from(self.docs.len()).unwrap_or(u32::MAX >> 2);
        let headings = words.headings.join(" ");
        for (text, place) in [
            (title, IN_TITLE),
            (headings.as_str(), IN_HEADING),
            (words.text.as_str(), 0),
        ] {
            for term in terms(&text.to_lowercase()) {
                self.hit(term, page, place);
            }
        }
        self.docs.push(Doc {
            title: title.to_string(),
            url: url_path.to_string(),
            snippet: snippet(&words.text),
        });
    }

    /// Adds the pages of `other` after these, with their words.
    pub(crate) fn extend(&mut self, other: Collector) {
        let offset = u32::try_from(self.docs.len()).unwrap_or(u32::MAX >> 2);
        let mut names: Vec<(u32, Box<str>)> =
            other.numbers.into_iter().map(|(w, n)| (n, w)).collect();
        names.sort_unstable();
        for (n, hit) in other.hits {
            if let Some((_, term)) = names.get(n as usize) {
                // Hits are `page << 2 | where`; the `where` bits fit `u8`.
                let place = u8::try_from(hit & 3).unwrap_or(0);
                self.hit(term, (hit >> 2) + offset, place);
            }
        }
        self.docs.extend(other.docs);
    }

    /// Notes `term` on `page`, once per page, with every place it is in.
    fn hit(&mut self, term: &str, page: u32, place: u8) {
        let number = match self.numbers.get(term) {
            Some(&n) => n,
            None => {
                let n = u32::try_from(self.last.len()).unwrap_or(u32::MAX);
                self.numbers.insert(term.into(), n);
                self.last.push((0, 0));
                n
            }
        };
        let Some(last) = self.last.get_mut(number as usize) else {
            return;
        };
        if last.0 == page + 1 {
            if let Some(hit) = self.hits.get_mut(last.1) {
                hit.1 |= u32::from(place);
            }
        } else {
            *last = (page + 1, self.hits.len());
            self.hits.push((number, page << 2 | u32::from(place)));
        }
    }

    /// The pages and words in their compact form.
    pub(crate) fn finish(self) -> Part {
        let mut words: Vec<(Box<str>, u32)> = self.numbers.into_iter().collect();
        words.sort_unstable();
        // Each word's hits, in page order, by its place in `words`.
        let mut rank = vec![0; words.len()];
        for (i, (_, n)) in words.iter().enumerate() {
            if let Some(r) = rank.get_mut(*n as usize) {
                *r = i;
            }
        }
        let mut by_word: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        for (n, hit) in self.hits {
            if let Some(list) = rank.get(n as usize).and_then(|&r| by_word.get_mut(r)) {
                list.push(hit);
            }
        }
        let mut lines = String::new();
        for ((word, _), pages) in words.iter().zip(by_word) {
            let (Some(first), Some(last)) = (pages.first(), pages.last()) else {
                continue;
            };
            lines.push_str(word);
            lines.push(' ');
            push_number(&mut lines, u64::from(last >> 2));
            lines.push(' ');
            push_number(&mut lines, u64::from(*first));
            for pair in pages.windows(2) {
                if let [a, b] = pair {
                    push_number(
                        &mut lines,
                        u64::from((b >> 2) - (a >> 2)) << 2 | u64::from(b & 3),
                    );
                }
            }
            lines.push('\n');
        }
        Part {
            pages: u32::try_from(self.docs.len()).unwrap_or(u32::MAX),
            doc_shards: self
                .docs
                .chunks(DOCS_PER_SHARD)
                .map(|chunk| (chunk.len() as u32, doc_shard(&self.pack, chunk)))
                .collect(),
            lines,
        }
    }
}

/// At most this many pages to a doc shard; a doc shard never spans two packs.
const DOCS_PER_SHARD: usize = 32;

/// A doc shard's data: the pack's name and each page's title, URL path and snippet.
fn doc_shard(pack: &str, docs: &[Doc]) -> String {
    #[derive(serde::Serialize)]
    struct Shard<'a> {
        p: &'a str,
        d: Vec<(&'a str, &'a str, &'a str)>,
    }
    let shard = Shard {
        p: pack,
        d: docs
            .iter()
            .map(|d| (d.title.as_str(), d.url.as_str(), d.snippet.as_str()))
            .collect(),
    };
    serde_json::to_string(&shard).unwrap_or_else(|_| "{\"p\":\"\",\"d\":[]}".into())
}

/// The pages of a pack (or the site's own) with every word on them: what the pack adds
/// to the site's search index, kept small while the site is built, in the index's own
/// encoding so that joining the parts copies more than it computes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Part {
    /// How many pages.
    pub pages: u32,
    /// The data of the pages' doc shards (`search_index`), each with its number of pages.
    pub doc_shards: Vec<(u32, String)>,
    /// One line per distinct word, sorted: the word, the last page it is on, and the
    /// pages it is on as in a word shard, pages counted from the part's first, each
    /// number as [`push_number`] writes it: `word LAST PAGES\n`.
    lines: String,
}

/// One word of a [`Part`]: the last page it is on, and its pages as in a word shard,
/// counted from the part's first page.
pub(crate) struct PartWord<'a> {
    pub word: &'a str,
    pub last: u64,
    pub pages: &'a str,
}

impl Part {
    /// Each word with the pages it is on.
    pub(crate) fn words(&self) -> impl Iterator<Item = PartWord<'_>> {
        self.lines.split_terminator('\n').filter_map(|line| {
            let (word, rest) = line.split_once(' ')?;
            let (last, pages) = rest.split_once(' ')?;
            let last = numbers(last).next()?;
            Some(PartWord { word, last, pages })
        })
    }
}

/// The number digits: a final digit's value is its index, another's its index - 32.
pub(crate) const DIGITS: &[u8; 64] =
    b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";

/// Appends `n` in the index's base 32, most significant digit first: the last digit of a
/// number from the first half of [`DIGITS`], every other from the second.
pub(crate) fn push_number(out: &mut String, n: u64) {
    let mut shift = 0;
    while shift + 5 < 64 && n >> (shift + 5) != 0 {
        shift += 5;
    }
    loop {
        let more = if shift > 0 { 32 } else { 0 };
        let digit = DIGITS.get(((n >> shift) & 31) as usize + more);
        out.push(digit.map_or('0', |&d| char::from(d)));
        if shift == 0 {
            break;
        }
        shift -= 5;
    }
}

/// The first number of `text` (written by [`push_number`]) and the text after it.
pub(crate) fn first_number(text: &str) -> Option<(u64, &str)> {
    let end = text
        .bytes()
        .position(|b| DIGITS.get(..32).is_some_and(|d| d.contains(&b)))?;
    let (number, rest) = text.split_at(end + 1);
    Some((numbers(number).next()?, rest))
}

/// The numbers of `text`, written by [`push_number`].
pub(crate) fn numbers(text: &str) -> impl Iterator<Item = u64> + '_ {
    let mut bytes = text.bytes();
    std::iter::from_fn(move || {
        let mut n: u64 = 0;
        for b in bytes.by_ref() {
            let d = DIGITS.iter().position(|&x| x == b).unwrap_or(0) as u64;
            n = n.wrapping_mul(32).wrapping_add(d & 31);
            if d < 32 {
                return Some(n);
            }
        }
        None
    })
}

/// The words of lowercase `text` as the index holds them: runs of letters, digits, `_`
/// and `-`, without leading or trailing `-`, of two characters or more. The search box
/// splits a query the same way.
pub(crate) fn terms(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().nth(1).is_some())
}

/// The start of `text` with its whitespace runs made single spaces, for a result snippet.
fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= SUMMARY_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars().take(SUMMARY_CHARS.saturating_sub(chars)) {
            out.push(c);
            chars += 1;
        }
    }
    out
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
    fn pages_gathered_apart_and_joined_index_as_if_gathered_together() {
        let words = |text: &str| {
            let mut w = Words::default();
            w.add(text);
            w
        };
        let mut together = Collector::new("");
        together.add("a/", "Alpha page", &words("alpha beta"));
        together.add("b/", "Beta page", &words("beta gamma alpha"));
        let mut first = Collector::new("");
        first.add("a/", "Alpha page", &words("alpha beta"));
        let mut second = Collector::new("");
        second.add("b/", "Beta page", &words("beta gamma alpha"));
        first.extend(second);
        assert_eq!(first.finish(), together.finish());
    }

    /// Each word with its pages and where on each.
    fn words_of(part: &Part) -> Vec<(String, Vec<(u64, u64)>)> {
        part.words()
            .map(|w| {
                let mut page = 0;
                let pages: Vec<(u64, u64)> = numbers(w.pages)
                    .map(|v| {
                        page += v >> 2;
                        (page, v & 3)
                    })
                    .collect();
                assert_eq!(pages.last().map(|p| p.0), Some(w.last), "{}", w.word);
                (w.word.to_string(), pages)
            })
            .collect()
    }

    fn docs_of(part: &Part) -> Vec<serde_json::Value> {
        part.doc_shards
            .iter()
            .map(|(n, data)| {
                let v: serde_json::Value = serde_json::from_str(data).unwrap();
                assert_eq!(v["d"].as_array().map(Vec::len), Some(*n as usize));
                v
            })
            .collect()
    }

    #[test]
    fn pages_and_their_words() {
        let mut words = Words::default();
        words.add("Flip the & flag FLAG_X.\n  Flip! Kill  switch");
        words.headings.push("Kill  switch".into());
        let mut pages = Collector::new("A");
        pages.add("a/runbook/", "Runbook: A", &words);
        pages.add("a/", "A -kill- it", &Words::page(None));
        let part = pages.finish();
        assert_eq!(part.pages, 2);
        assert_eq!(
            docs_of(&part),
            [serde_json::json!({"p": "A", "d": [
                ["Runbook: A", "a/runbook/", "Flip the & flag FLAG_X. Flip! Kill switch"],
                ["A -kill- it", "a/", ""],
            ]})]
        );
        let all = words_of(&part);
        let found = |w: &str| all.iter().find(|(x, _)| x == w).map(|(_, h)| h.clone());
        let (title, heading) = (u64::from(IN_TITLE), u64::from(IN_HEADING));
        assert_eq!(found("flip"), Some(vec![(0, 0)]));
        assert_eq!(found("flag_x"), Some(vec![(0, 0)]));
        assert_eq!(found("kill"), Some(vec![(0, heading), (1, title)]));
        assert_eq!(found("runbook"), Some(vec![(0, title)]));
        assert_eq!(found("it"), Some(vec![(1, title)]));
        // One-letter words are not indexed.
        assert_eq!(found("a"), None);
        let listed: Vec<&str> = all.iter().map(|(w, _)| w.as_str()).collect();
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        assert_eq!(listed, sorted);
    }

    #[test]
    fn far_pages_and_many_words_round_trip() {
        let mut pages = Collector::new("");
        let mut text = Words::default();
        text.add("rare");
        for i in 0..300 {
            let w = if i % 100 == 7 {
                &text
            } else {
                &Words::default()
            };
            pages.add(&format!("p{i}/"), "Page", w);
        }
        let part = pages.finish();
        let all = words_of(&part);
        let title = u64::from(IN_TITLE);
        assert_eq!(
            all,
            vec![
                ("page".to_string(), (0..300).map(|p| (p, title)).collect()),
                ("rare".to_string(), vec![(7, 0), (107, 0), (207, 0)]),
            ]
        );
        // Doc shards of 32 pages at most.
        let sizes: Vec<u32> = part.doc_shards.iter().map(|(n, _)| *n).collect();
        assert_eq!(sizes, [32, 32, 32, 32, 32, 32, 32, 32, 32, 12]);
    }

    #[test]
    fn numbers_round_trip() {
        let mut s = String::new();
        let all = [0, 1, 31, 32, 1000, 1 << 40, u64::MAX];
        for n in all {
            push_number(&mut s, n);
        }
        assert_eq!(numbers(&s).collect::<Vec<_>>(), all);
        assert!(!s.contains(['"', '\\', ' ', '\n']));
        assert_eq!(first_number(&s[1..]), Some((1, &s[2..])));
        assert_eq!(first_number("B0x"), Some((32, "x")));
        assert_eq!(first_number(""), None);
    }

    #[test]
    fn the_snippet_is_cut_at_a_character() {
        let mut words = Words::default();
        words.add(&"é".repeat(300));
        assert_eq!(snippet(&words.text).chars().count(), SUMMARY_CHARS);
        assert_eq!(snippet("  a \n b  "), "a b");
    }

    #[test]
    fn terms_split_as_the_search_box_does() {
        let t: Vec<&str> = terms("on-call -x- a __init__ naïve 2026-11-26").collect();
        assert_eq!(t, ["on-call", "__init__", "naïve", "2026-11-26"]);
    }
}

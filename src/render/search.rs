//! Search: an index of every part of every page a result can open at (the top of a page,
//! each heading, each answer), with its words, built with the site and read by the search
//! box in the browser. The words come from what a page is made of ([`search_words`]),
//! never read back out of its HTML.
//!
//! [`search_words`]: crate::render::search_words
use crate::domain::diag::Diagnostic;
pub(crate) use crate::render::search_words::Words;
use crate::render::spill::{Spill, Text};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// How much of a part's text is kept for its result's snippet, which shows the text
/// around the first word found.
const TEXT_CHARS: usize = 600;

/// Where a word is in one part of a page, as bits (else in its text): `IN_TITLE` in the
/// page's title, which only the top of the page holds; `IN_HEADING` in the part's heading
/// or label.
pub(crate) const IN_TITLE: u8 = 1;
pub(crate) const IN_HEADING: u8 = 2;
/// How many bits a part number is shifted by to make room for where the word is.
pub(crate) const WHERE_BITS: u32 = 2;

/// What a search result shows of one part of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Doc {
    /// The page's number among the collector's pages.
    page: usize,
    anchor: String,
    heading: String,
    /// The start of the text, for the result's snippet.
    text: String,
    placeholder: bool,
}

/// The pages of one pack (or the site's own pages) with their parts and words, gathered
/// as the pages are rendered; [`Collector::finish`] makes it the compact [`Part`].
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pack: String,
    /// Each page's title and URL path under the base path (`support-triage/runbook/`).
    pages: Vec<(String, String)>,
    /// How many parts each page has, in order, each as [`push_number`] writes it.
    page_entries: String,
    /// Each part of a page, in page order: the entries of the index.
    docs: Vec<Doc>,
    /// Each distinct word so far, by its number. Looked up for every word of every page:
    /// hashed with foldhash, several times faster than the standard hasher on short keys.
    numbers: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    /// By word number: the part it was last seen on + 1, and its hit there in `hits`.
    last: Vec<(u32, usize)>,
    /// Each word on each part: `(word number, part << WHERE_BITS | where)`, in order.
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

    /// Adds the page at `url_path` with its title and parts.
    pub(crate) fn add(&mut self, url_path: &str, title: &str, words: &Words) {
        let page = self.pages.len();
        self.pages.push((title.to_string(), url_path.to_string()));
        push_number(&mut self.page_entries, words.entries.len() as u64);
        for (i, entry) in words.entries.iter().enumerate() {
            let part = u32::try_from(self.docs.len()).unwrap_or(u32::MAX >> WHERE_BITS);
            let title = if i == 0 { title } else { "" };
            for (text, place) in [
                (&title.to_lowercase(), IN_TITLE),
                (&entry.heading.to_lowercase(), IN_HEADING),
                (&entry.text.to_lowercase(), 0),
            ] {
                for term in terms(text) {
                    self.hit(term, part, place);
                }
            }
            self.docs.push(Doc {
                page,
                anchor: entry.anchor.clone(),
                heading: entry.heading.clone(),
                text: start_of(&entry.text),
                placeholder: entry.placeholder,
            });
        }
    }

    /// Adds the pages of `other` after these, with their words.
    pub(crate) fn extend(&mut self, other: Collector) {
        let offset = u32::try_from(self.docs.len()).unwrap_or(u32::MAX >> WHERE_BITS);
        let pages = self.pages.len();
        let mut names: Vec<(u32, Box<str>)> =
            other.numbers.into_iter().map(|(w, n)| (n, w)).collect();
        names.sort_unstable();
        for (n, hit) in other.hits {
            if let Some((_, term)) = names.get(n as usize) {
                // Hits are `part << WHERE_BITS | where`; the `where` bits fit `u8`.
                let place = u8::try_from(hit & 3).unwrap_or(0);
                self.hit(term, (hit >> WHERE_BITS) + offset, place);
            }
        }
        self.pages.extend(other.pages);
        self.page_entries.push_str(&other.page_entries);
        self.docs.extend(other.docs.into_iter().map(|mut d| {
            d.page += pages;
            d
        }));
    }

    /// Notes `term` on `part`, once per part, with every place it is in.
    fn hit(&mut self, term: &str, part: u32, place: u8) {
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
        if last.0 == part + 1 {
            if let Some(hit) = self.hits.get_mut(last.1) {
                hit.1 |= u32::from(place);
            }
        } else {
            *last = (part + 1, self.hits.len());
            self.hits
                .push((number, part << WHERE_BITS | u32::from(place)));
        }
    }

    /// The parts and words in their compact form.
    pub(crate) fn finish(self) -> Part {
        let mut words: Vec<(Box<str>, u32)> = self.numbers.into_iter().collect();
        words.sort_unstable();
        // Each word's hits, in part order, by its place in `words`.
        let mut rank = vec![0; words.len()];
        for (i, (_, n)) in words.iter().enumerate() {
            if let Some(r) = rank.get_mut(*n as usize) {
                *r = i;
            }
        }
        // The hits grouped by word, in part order within a word (a counting sort): word
        // `r`'s hits are `sorted[starts[r]..starts[r + 1]]`.
        let mut starts = vec![0usize; words.len() + 1];
        for (n, _) in &self.hits {
            if let Some(count) = rank.get(*n as usize).and_then(|&r| starts.get_mut(r + 1)) {
                *count += 1;
            }
        }
        for r in 1..starts.len() {
            let before = starts.get(r - 1).copied().unwrap_or(0);
            if let Some(start) = starts.get_mut(r) {
                *start += before;
            }
        }
        let mut sorted = vec![0u32; self.hits.len()];
        let mut next = starts.clone();
        for (n, hit) in &self.hits {
            let Some(at) = rank.get(*n as usize).and_then(|&r| next.get_mut(r)) else {
                continue;
            };
            if let Some(slot) = sorted.get_mut(*at) {
                *slot = *hit;
            }
            *at += 1;
        }
        let by_word = starts.windows(2).map(|w| match w {
            [from, to] => sorted.get(*from..*to).unwrap_or_default(),
            _ => &[],
        });
        let mut lines = String::new();
        for ((word, _), parts) in words.iter().zip(by_word) {
            let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
                continue;
            };
            lines.push_str(word);
            lines.push(' ');
            push_number(&mut lines, u64::from(last >> WHERE_BITS));
            lines.push(' ');
            push_number(&mut lines, u64::from(*first));
            for pair in parts.windows(2) {
                if let [a, b] = pair {
                    let step = (b >> WHERE_BITS) - (a >> WHERE_BITS);
                    push_number(&mut lines, u64::from(step) << WHERE_BITS | u64::from(b & 3));
                }
            }
            lines.push('\n');
        }
        let placeholders = self
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.placeholder)
            .map(|(i, _)| i as u64)
            .collect();
        Part {
            entries: u32::try_from(self.docs.len()).unwrap_or(u32::MAX),
            doc_shards: doc_shards(&self.pack, &self.pages, &self.docs),
            placeholders,
            page_entries: self.page_entries,
            lines: lines.into(),
        }
    }
}

/// A doc shard is closed once its parts' texts hold this many bytes; a doc shard never
/// spans two packs.
const DOC_SHARD_BYTES: usize = 12 * 1024;

/// The doc shards' data, each with its number of parts: the pack's name, the pages the
/// shard's parts are on (title, URL path), and each part (its page among those, anchor,
/// heading and text).
fn doc_shards(pack: &str, pages: &[(String, String)], docs: &[Doc]) -> Vec<(u32, Text)> {
    #[derive(serde::Serialize)]
    struct Shard<'a> {
        p: &'a str,
        g: Vec<(&'a str, &'a str)>,
        d: Vec<(usize, &'a str, &'a str, &'a str)>,
    }
    let empty = || Shard {
        p: pack,
        g: Vec::new(),
        d: Vec::new(),
    };
    let mut out = Vec::new();
    let mut shard = empty();
    let mut bytes = 0;
    let close = |shard: Shard<'_>, out: &mut Vec<(u32, Text)>| {
        let data = serde_json::to_string(&shard).unwrap_or_else(|_| "{}".into());
        out.push((
            u32::try_from(shard.d.len()).unwrap_or(u32::MAX),
            data.into(),
        ));
    };
    for doc in docs {
        if bytes >= DOC_SHARD_BYTES {
            close(std::mem::replace(&mut shard, empty()), &mut out);
            bytes = 0;
        }
        let Some((title, url)) = pages.get(doc.page) else {
            continue;
        };
        if shard.g.last() != Some(&(title.as_str(), url.as_str())) {
            shard.g.push((title, url));
            bytes += title.len() + url.len();
        }
        let g = shard.g.len() - 1;
        shard.d.push((g, &doc.anchor, &doc.heading, &doc.text));
        bytes += doc.anchor.len() + doc.heading.len() + doc.text.len() + 12;
    }
    if !shard.d.is_empty() {
        close(shard, &mut out);
    }
    out
}

/// The pages of a pack (or the site's own) with every part and word on them: what the
/// pack adds to the site's search index, kept small while the site is built, in the
/// index's own encoding so that joining the parts copies more than it computes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Part {
    /// How many parts of pages (entries of the index).
    pub entries: u32,
    /// The data of the doc shards (`search_index`), each with its number of parts.
    pub doc_shards: Vec<(u32, Text)>,
    /// The parts that hold no answer yet, in order, counted from the part's first.
    pub placeholders: Vec<u64>,
    /// How many parts each page has, in order, each as [`push_number`] writes it.
    pub page_entries: String,
    /// One line per distinct word, sorted: the word, the last part it is on, and the
    /// parts it is on as in a word shard, counted from the first, each number as
    /// [`push_number`] writes it: `word LAST PARTS\n`.
    lines: Text,
}

/// One word of a [`Part`]: the last page it is on, and its pages as in a word shard,
/// counted from the part's first page.
pub(crate) struct PartWord<'a> {
    pub word: &'a str,
    pub last: u64,
    pub pages: &'a str,
}

impl Part {
    /// The words with the pages each is on, to read with [`Part::words`].
    pub(crate) fn lines(&self) -> Result<Cow<'_, str>, Diagnostic> {
        self.lines.read()
    }

    /// Each word of [`Part::lines`] with the pages it is on.
    pub(crate) fn words(lines: &str) -> impl Iterator<Item = PartWord<'_>> {
        lines.split_terminator('\n').filter_map(|line| {
            let (word, rest) = line.split_once(' ')?;
            let (last, pages) = rest.split_once(' ')?;
            let last = numbers(last).next()?;
            Some(PartWord { word, last, pages })
        })
    }

    /// Sets the text of the doc shards and the words aside in `spill`, to be read back
    /// when the index is written.
    pub(crate) fn spill(&mut self, spill: &Arc<Spill>) {
        for (_, data) in &mut self.doc_shards {
            data.spill(spill);
        }
        self.lines.spill(spill);
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
fn start_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(TEXT_CHARS));
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= TEXT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        let room = TEXT_CHARS.saturating_sub(chars);
        // A word of ASCII letters has as many characters as bytes: copied whole.
        if word.len() <= room && word.is_ascii() {
            out.push_str(word);
            chars += word.len();
            continue;
        }
        for c in word.chars().take(room) {
            out.push(c);
            chars += 1;
        }
    }
    out
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

    /// Each word with its parts and where on each.
    fn words_of(part: &Part) -> Vec<(String, Vec<(u64, u64)>)> {
        Part::words(&part.lines().unwrap())
            .map(|w| {
                let mut at = 0;
                let parts: Vec<(u64, u64)> = numbers(w.pages)
                    .map(|v| {
                        at += v >> WHERE_BITS;
                        (at, v & 3)
                    })
                    .collect();
                assert_eq!(parts.last().map(|p| p.0), Some(w.last), "{}", w.word);
                (w.word.to_string(), parts)
            })
            .collect()
    }

    fn docs_of(part: &Part) -> Vec<serde_json::Value> {
        part.doc_shards
            .iter()
            .map(|(n, data)| {
                let v: serde_json::Value = serde_json::from_str(&data.read().unwrap()).unwrap();
                assert_eq!(v["d"].as_array().map(Vec::len), Some(*n as usize));
                v
            })
            .collect()
    }

    #[test]
    fn parts_of_pages_and_their_words() {
        let mut words = Words::default();
        words.add("Flip the & flag FLAG_X.\n  Flip! <b>");
        words.entries.push(crate::render::search_words::Entry {
            anchor: "kill-switch".into(),
            heading: "Kill  switch".into(),
            text: "Off in prod".into(),
            placeholder: false,
        });
        let mut pages = Collector::new("A");
        pages.add("a/runbook/", "Runbook: A", &words);
        pages.add("a/", "A -kill- it", &Words::page(None));
        let part = pages.finish();
        assert_eq!(part.entries, 3);
        // The texts are kept as written, to be escaped where they are shown.
        assert_eq!(
            docs_of(&part),
            [serde_json::json!({"p": "A",
            "g": [["Runbook: A", "a/runbook/"], ["A -kill- it", "a/"]],
            "d": [
                [0, "", "", "Flip the & flag FLAG_X. Flip! <b>"],
                [0, "kill-switch", "Kill  switch", "Off in prod"],
                [1, "", "", ""],
            ]})]
        );
        // The empty page says nothing yet.
        assert_eq!(part.placeholders, [2]);
        let all = words_of(&part);
        let found = |w: &str| all.iter().find(|(x, _)| x == w).map(|(_, h)| h.clone());
        let (title, heading, text) = (u64::from(IN_TITLE), u64::from(IN_HEADING), 0);
        assert_eq!(found("flip"), Some(vec![(0, text)]));
        assert_eq!(found("flag_x"), Some(vec![(0, text)]));
        assert_eq!(found("kill"), Some(vec![(1, heading), (2, title)]));
        assert_eq!(found("prod"), Some(vec![(1, text)]));
        // The page's title is on the top of the page only.
        assert_eq!(found("runbook"), Some(vec![(0, title)]));
        assert_eq!(numbers(&part.page_entries).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(found("it"), Some(vec![(2, title)]));
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
        let (title, text) = (u64::from(IN_TITLE), 0);
        assert_eq!(
            all,
            vec![
                ("page".to_string(), (0..300).map(|p| (p, title)).collect()),
                (
                    "rare".to_string(),
                    vec![(7, text), (107, text), (207, text)]
                ),
            ]
        );
    }

    #[test]
    fn doc_shards_close_at_a_size_and_name_each_page_they_hold() {
        let mut pages = Collector::new("P");
        let mut long = Words::default();
        long.add(&"word ".repeat(TEXT_CHARS));
        for i in 0..60 {
            pages.add(&format!("p{i}/"), "Page", &long);
        }
        let part = pages.finish();
        let docs = docs_of(&part);
        assert!(docs.len() > 1, "{} doc shards", docs.len());
        let mut total = 0;
        for (shard, (n, data)) in docs.iter().zip(&part.doc_shards) {
            assert!(
                data.read().unwrap().len() < DOC_SHARD_BYTES * 5 / 4,
                "{}",
                data.read().unwrap().len()
            );
            assert_eq!(shard["p"], "P");
            for row in shard["d"].as_array().unwrap() {
                let g = row[0].as_u64().unwrap() as usize;
                assert_eq!(shard["g"][g][1], format!("p{total}/"));
                assert_eq!(row[3].as_str().unwrap().chars().count(), TEXT_CHARS);
                total += 1;
            }
            assert!(*n > 0);
        }
        assert_eq!(total, 60);
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
        words.add(&"é".repeat(TEXT_CHARS + 10));
        assert_eq!(start_of(&words.entries[0].text).chars().count(), TEXT_CHARS);
        assert_eq!(start_of("  a \n b  "), "a b");
    }

    #[test]
    fn terms_split_as_the_search_box_does() {
        let t: Vec<&str> = terms("on-call -x- a __init__ naïve 2026-11-26").collect();
        assert_eq!(t, ["on-call", "__init__", "naïve", "2026-11-26"]);
    }
}

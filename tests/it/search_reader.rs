//! The search index read back as `search.js` reads it: the manifest, word shards and doc
//! shards of a built site, and a ranking of entries as the script ranks them, for the
//! search tests.

use crate::common::SiteBuilder;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The data of one index file: `rollbookSearch(key, stamp, data);`.
fn call(text: &str) -> (String, String, Value) {
    let inner = text
        .strip_prefix("rollbookSearch(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not one call of rollbookSearch: {text:.80}"));
    let parts: Value =
        serde_json::from_str(&format!("[{inner}]")).expect("the call's arguments are JSON");
    let s = |i: usize| parts[i].as_str().expect("a string").to_string();
    (s(0), s(1), parts[2].clone())
}

/// Numbers in the index's base 32 (see `search.js`).
fn numbers(text: &str) -> Vec<u64> {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
    let mut out = Vec::new();
    let mut n = 0;
    for c in text.chars() {
        let d = DIGITS.find(c).expect("a digit") as u64;
        n = n * 32 + (d & 31);
        if d < 32 {
            out.push(n);
            n = 0;
        }
    }
    out
}

/// An entry of the index as a result shows it: the top of a page, a heading or an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    pub url: String,
    pub pack: String,
    /// The id the result opens at; empty for the top of the page.
    pub anchor: String,
    pub heading: String,
    /// The start of the text, for the snippet, as written (the browser shows it as text).
    pub text: String,
}

impl Doc {
    /// Where the result opens: `url#anchor`, or the URL for the top of the page.
    pub fn at(&self) -> String {
        if self.anchor.is_empty() {
            self.url.clone()
        } else {
            format!("{}#{}", self.url, self.anchor)
        }
    }
}

/// A word with the entries it is on and where in each (1 title, 2 heading, 0 text).
pub type Word = (String, Vec<(u64, u64)>);

/// The index as the files say it.
pub struct Index {
    /// The first word of each word shard but the first.
    pub firsts: Vec<String>,
    /// Each word shard: its words with their entries and where in each.
    pub shards: Vec<Vec<Word>>,
    /// Every entry, in order, and the doc shard it is in.
    pub docs: Vec<(Doc, usize)>,
    /// Each entry's page, by number.
    pub page_of: Vec<usize>,
    /// The entries that hold no answer yet.
    pub low: BTreeSet<u64>,
}

pub fn read_index(site: &SiteBuilder) -> Index {
    let (key, stamp, manifest) = call(&site.read("public/search/index.js"));
    assert_eq!(key, "index");
    let firsts: Vec<String> = manifest["t"]
        .as_array()
        .expect("first words")
        .iter()
        .map(|w| w.as_str().expect("a word").to_string())
        .collect();
    let read = |file: String, want: String| {
        let (key, file_stamp, data) = call(&site.read(&file));
        assert_eq!((key, &file_stamp), (want, &stamp), "{file}");
        data
    };
    let mut shards = Vec::new();
    for n in 0..=firsts.len() {
        let data = read(format!("public/search/t/{n}.js"), format!("t{n}"));
        let flat = data.as_array().expect("words and entries");
        let mut words = Vec::new();
        for pair in flat.chunks(2) {
            let mut entry = 0;
            let entries = numbers(pair[1].as_str().expect("entries"))
                .into_iter()
                .map(|v| {
                    entry += v >> 2;
                    (entry, v & 3)
                })
                .collect();
            words.push((pair[0].as_str().expect("a word").to_string(), entries));
        }
        shards.push(words);
    }
    let mut docs = Vec::new();
    for (n, count) in numbers(manifest["d"].as_str().expect("counts"))
        .into_iter()
        .enumerate()
    {
        let data = read(format!("public/search/d/{n}.js"), format!("d{n}"));
        let rows = data["d"].as_array().expect("entries");
        assert_eq!(rows.len() as u64, count, "doc shard {n}");
        for row in rows {
            let s = |i: usize| row[i].as_str().expect("a string").to_string();
            let page = &data["g"][row[0].as_u64().expect("a page") as usize];
            let pack = data["p"].as_str().expect("a pack").to_string();
            docs.push((
                Doc {
                    title: page[0].as_str().expect("a title").into(),
                    url: page[1].as_str().expect("a URL").into(),
                    pack,
                    anchor: s(1),
                    heading: s(2),
                    text: s(3),
                },
                n,
            ));
        }
    }
    let mut page_of = Vec::new();
    for (page, count) in numbers(manifest["e"].as_str().expect("entries per page"))
        .into_iter()
        .enumerate()
    {
        page_of.extend(std::iter::repeat_n(page, count as usize));
    }
    assert_eq!(page_of.len(), docs.len(), "entries per page");
    let mut low = BTreeSet::new();
    let mut at = 0;
    for step in numbers(manifest["l"].as_str().expect("placeholders")) {
        at += step;
        low.insert(at);
    }
    Index {
        firsts,
        shards,
        docs,
        page_of,
        low,
    }
}

impl Index {
    /// The word shards holding the words that begin with `w`, as `search.js` picks them.
    pub fn shards_for(&self, w: &str) -> Vec<usize> {
        let utf16 = |s: &str| s.encode_utf16().collect::<Vec<_>>();
        let start = self.firsts.iter().filter(|f| utf16(f) <= utf16(w)).count();
        let mut out = vec![start];
        out.extend(
            (start..self.firsts.len())
                .take_while(|&i| self.firsts[i].starts_with(w))
                .map(|i| i + 1),
        );
        out
    }

    /// Every word with its entries, from every shard.
    pub fn all_words(&self) -> impl Iterator<Item = &Word> {
        self.shards.iter().flatten()
    }

    /// The entries a word is on, as `url#anchor` with where in the entry: from the one
    /// shard the manifest names for it, which must be the only one that has it.
    pub fn entries_of(&self, word: &str) -> Vec<(String, u64)> {
        let holding: Vec<usize> = (0..self.shards.len())
            .filter(|&n| self.shards[n].iter().any(|(w, _)| w == word))
            .collect();
        assert_eq!(
            holding,
            [self.shards_for(word)[0]],
            "the shards holding {word}"
        );
        self.all_words()
            .filter(|(w, _)| w == word)
            .flat_map(|(_, entries)| entries)
            .map(|&(entry, place)| (self.docs[entry as usize].0.at(), place))
            .collect()
    }

    /// The pages with `word`, each once.
    pub fn urls_with(&self, word: &str) -> Vec<String> {
        let mut urls: Vec<String> = self
            .entries_of(word)
            .into_iter()
            .map(|(at, _)| at.split('#').next().unwrap_or("").to_string())
            .collect();
        urls.dedup();
        urls
    }

    /// The top of the page at `url`.
    pub fn doc(&self, url: &str) -> &Doc {
        self.entry(url)
    }

    /// The entry at `at` (`url#anchor`, or a URL for the top of its page).
    pub fn entry(&self, at: &str) -> &Doc {
        &self
            .docs
            .iter()
            .find(|(d, _)| d.at() == at)
            .unwrap_or_else(|| panic!("no entry {at} in the index"))
            .0
    }

    /// The entries that hold a word of `query` (the last ones may be the start of a
    /// word) on a page that holds every word, best first, as `search.js` ranks them,
    /// using only the word shards in `loaded`: as `url#anchor`.
    pub fn answer(&self, query: &str, loaded: &BTreeSet<usize>) -> Vec<String> {
        // Per word: each entry's best score, and each page's (3 in the title, else 1).
        let mut sets: Vec<(BTreeMap<u64, u64>, BTreeMap<usize, u64>)> = Vec::new();
        for w in query.split(' ') {
            let (mut found, mut pages) = (BTreeMap::new(), BTreeMap::new());
            for &n in loaded {
                for (word, entries) in self.shards[n].iter().filter(|(x, _)| x.starts_with(w)) {
                    for &(entry, place) in entries {
                        let s = 1 + u64::from(word == w) + [0, 10, 4, 14][place as usize];
                        let best = found.entry(entry).or_insert(0);
                        *best = (*best).max(s);
                        let p = if place & 1 == 1 { 3 } else { 1 };
                        let best = pages.entry(self.page_of[entry as usize]).or_insert(0);
                        *best = (*best).max(p);
                    }
                }
            }
            sets.push((found, pages));
        }
        let candidates: BTreeSet<u64> = sets.iter().flat_map(|(f, _)| f.keys().copied()).collect();
        let mut hits: Vec<(bool, u64, u64)> = candidates
            .into_iter()
            .filter_map(|entry| {
                let page = self.page_of[entry as usize];
                let mut score = 0;
                for (found, pages) in &sets {
                    pages.get(&page)?;
                    score += found.get(&entry).or(pages.get(&page)).copied()?;
                }
                Some((self.low.contains(&entry), score, entry))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        hits.into_iter()
            .map(|(_, _, e)| self.docs[e as usize].0.at())
            .collect()
    }
}

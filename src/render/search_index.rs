//! The site's search index as small scripts under `search/`, so a query loads only the
//! parts it needs, from a server or from disk (`file://`): a manifest, the words split
//! into shards by alphabetical range, and the pages' titles and snippets in shards of
//! their own, loaded only for the results shown.
//!
//! Every file is one call, `rollbookSearch(key, stamp, data)`, which the theme's
//! `search.js` defines; `stamp` is the same in every file of one build, so a file cached
//! from another build is told apart.
//!
//! - `search/index.js`, key `index`: `{"t": [first word of each term shard but the first],
//!   "d": numbers}` where `d` holds how many pages each doc shard has, in order.
//! - `search/t/N.js`, key `tN`: `[word, pages, word, pages, …]` sorted by UTF-16 code
//!   units (as JavaScript compares strings); `pages` is the numbers
//!   `(page - previous page) << 2 | where` (`where`: 1 in the title, 2 in a heading),
//!   pages counted across the doc shards in order, the first `previous` 0.
//! - `search/d/N.js`, key `dN`: `{"p": pack name, "d": [[title, URL path, snippet], …]}`.
//!
//! Numbers are written in base 32 with the digits of [`DIGITS`], most significant first:
//! the last digit of a number from the first 32, every other digit from the last 32.
use crate::render::search::{Doc, Part};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

/// A term shard is closed once it holds this many bytes of words and pages.
const TERM_SHARD_BYTES: usize = 16 * 1024;
/// At most this many pages to a doc shard; a doc shard never spans two packs.
const DOCS_PER_SHARD: usize = 32;
/// The number digits: a final digit's value is its index, another's its index - 32.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";

/// Appends `n` in the index's base 32.
fn push_number(out: &mut String, n: u64) {
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

/// One word's pages across the site, encoded as they are added in page order.
#[derive(Default)]
struct Postings {
    previous: u64,
    text: String,
}

/// The index files, by path under the output root, from the parts of the site in order
/// (the site's own pages, then each pack's).
pub(crate) fn files(parts: &[&Part]) -> Vec<(String, String)> {
    let mut bodies: Vec<(String, String)> = Vec::new();
    let mut counts = String::new();
    let mut postings: HashMap<&str, Postings> = HashMap::new();
    let mut base: u64 = 0;
    for part in parts {
        for chunk in part.docs.chunks(DOCS_PER_SHARD) {
            let n = bodies.len();
            bodies.push((format!("d{n}"), doc_shard(&part.pack, chunk)));
            push_number(&mut counts, chunk.len() as u64);
        }
        for (word, hits) in part.words() {
            let p = postings.entry(word).or_default();
            for (page, place) in hits {
                let id = base + u64::from(page);
                push_number(&mut p.text, (id - p.previous) << 2 | u64::from(place));
                p.previous = id;
            }
        }
        base += part.docs.len() as u64;
    }
    let docs = bodies.len();
    let mut words: Vec<(&str, Postings)> = postings.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut firsts: Vec<&str> = Vec::new();
    let mut shard = String::new();
    for (word, p) in &words {
        if shard.len() >= TERM_SHARD_BYTES {
            close_term_shard(&mut shard, &mut bodies, docs);
            firsts.push(word);
        }
        shard.push(if shard.is_empty() { '[' } else { ',' });
        // A word is letters, digits, `_` and `-` (`search::terms`): nothing to escape.
        let _ = write!(shard, "\"{word}\",\"{}\"", p.text);
    }
    if !shard.is_empty() || bodies.len() == docs {
        close_term_shard(&mut shard, &mut bodies, docs);
    }
    let manifest = format!(
        "{{\"t\":{},\"d\":\"{counts}\"}}",
        serde_json::to_string(&firsts).unwrap_or_else(|_| "[]".into())
    );
    bodies.push(("index".into(), manifest));

    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bodies.hash(&mut hasher);
    let stamp = format!("{:016x}", hasher.finish());
    bodies
        .into_iter()
        .map(|(key, body)| {
            let path = match key.split_at(1) {
                ("t", n) => format!("search/t/{n}.js"),
                ("d", n) => format!("search/d/{n}.js"),
                _ => format!("search/{key}.js"),
            };
            (
                path,
                format!("rollbookSearch(\"{key}\",\"{stamp}\",{body});\n"),
            )
        })
        .collect()
}

/// Ends the term shard being written as the next `t` body.
fn close_term_shard(shard: &mut String, bodies: &mut Vec<(String, String)>, docs: usize) {
    if shard.is_empty() {
        shard.push('[');
    }
    shard.push(']');
    let n = bodies.len() - docs;
    bodies.push((format!("t{n}"), std::mem::take(shard)));
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::{Collector, Words};

    fn numbers(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut n = 0;
        for c in text.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).expect("a digit") as u64;
            n = n * 32 + (d & 31);
            if d < 32 {
                out.push(n);
                n = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_round_trip() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 1 << 40, u64::MAX] {
            push_number(&mut s, n);
        }
        assert_eq!(numbers(&s), [0, 1, 31, 32, 1000, 1 << 40, u64::MAX]);
        assert!(!s.contains(['"', '\\']));
    }

    fn part(pack: &str, pages: &[(&str, &str)]) -> Part {
        let mut c = Collector::new(pack);
        for (url, text) in pages {
            let mut w = Words::default();
            w.add(text);
            c.add(url, "T", &w);
        }
        c.finish()
    }

    fn call(file: &str) -> (String, String, serde_json::Value) {
        let inner = file
            .strip_prefix("rollbookSearch(")
            .and_then(|f| f.strip_suffix(");\n"))
            .expect("one call");
        let v: serde_json::Value = serde_json::from_str(&format!("[{inner}]")).expect("JSON");
        (
            v[0].as_str().unwrap().into(),
            v[1].as_str().unwrap().into(),
            v[2].clone(),
        )
    }

    #[test]
    fn pages_are_counted_across_parts_and_words_sorted() {
        let site = part("", &[("owners/", "zebra")]);
        let a = part("A", &[("a/", "alpha zebra"), ("a/x/", "zebra")]);
        let out = files(&[&site, &a]);
        let by_path: HashMap<&str, &str> =
            out.iter().map(|(p, b)| (p.as_str(), b.as_str())).collect();
        let (key, stamp, manifest) = call(by_path["search/index.js"]);
        assert_eq!(key, "index");
        assert_eq!(manifest["t"], serde_json::json!([]));
        assert_eq!(numbers(manifest["d"].as_str().unwrap()), [1, 2]);
        let (key, stamp0, terms) = call(by_path["search/t/0.js"]);
        assert_eq!((key.as_str(), &stamp0), ("t0", &stamp));
        let terms = terms.as_array().unwrap();
        let words: Vec<&str> = terms
            .iter()
            .step_by(2)
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(words, ["alpha", "zebra"]);
        // zebra: page 0, then 1 and 2 (title "T" is one letter, so never a word).
        assert_eq!(numbers(terms[3].as_str().unwrap()), [0, 4, 4]);
        assert_eq!(numbers(terms[1].as_str().unwrap()), [4]);
        let (_, _, docs) = call(by_path["search/d/1.js"]);
        assert_eq!(
            docs,
            serde_json::json!({"p": "A", "d": [["T", "a/", "alpha zebra"], ["T", "a/x/", "zebra"]]})
        );
    }

    #[test]
    fn an_empty_site_has_one_empty_term_shard() {
        let out = files(&[]);
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["search/t/0.js", "search/index.js"]);
        assert_eq!(call(&out[0].1).2, serde_json::json!([]));
    }

    #[test]
    fn big_indexes_split_into_ranges() {
        let pages: Vec<(String, String)> = (0..1200)
            .map(|i| (format!("p{i}/"), format!("word{i:04} common")))
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let big = part("", &refs);
        let out = files(&[&big]);
        let (_, _, manifest) = call(&out.last().unwrap().1);
        let firsts: Vec<&str> = manifest["t"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let shards: Vec<serde_json::Value> = out
            .iter()
            .filter(|(p, _)| p.starts_with("search/t/"))
            .map(|(_, b)| call(b).2)
            .collect();
        assert!(shards.len() >= 2, "{} shards", shards.len());
        assert_eq!(firsts.len(), shards.len() - 1);
        for (i, first) in firsts.iter().enumerate() {
            assert_eq!(shards[i + 1][0].as_str(), Some(*first));
            let words = shards[i].as_array().unwrap();
            let last = words[words.len() - 2].as_str().unwrap();
            assert!(last < *first);
        }
        // 1,200 pages in doc shards of 32.
        assert_eq!(
            out.iter()
                .filter(|(p, _)| p.starts_with("search/d/"))
                .count(),
            38
        );
    }
}

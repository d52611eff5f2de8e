//! The site's search index as small scripts under `search/`, so a query loads only the
//! parts it needs, from a server or from disk (`file://`): a manifest, the words split
//! into shards by alphabetical range, and the entries (the top of each page, each
//! heading, each answer: what a result opens at) with their text in shards of their
//! own, loaded only for the results shown.
//!
//! Every file is one call, `rollbookSearch(key, stamp, data)`, which the theme's
//! `search.js` defines; `stamp` is the same in every file of one build, so a file cached
//! from another build is told apart.
//!
//! - `search/index.js`, key `index`: `{"t": [first word of each term shard but the first],
//!   "d": numbers, "e": numbers, "l": numbers}` where `d` holds how many entries each doc
//!   shard has, in order, `e` how many entries each page has, in order (so a query's
//!   words may be spread over a page's entries), and `l` the entries that hold no answer
//!   yet (placeholders, ranked below the rest), each as the step from the one before
//!   (the first from 0).
//! - `search/t/N.js`, key `tN`: `[word, entries, word, entries, …]` sorted by UTF-16 code
//!   units (as JavaScript compares strings); `entries` is the numbers
//!   `(entry - previous entry) << 2 | where` (`where`, bits: 1 in the page's title, which
//!   only the top of the page holds, 2 in the entry's heading, else in its text), entries
//!   counted across the doc shards in order, the first `previous` 0.
//! - `search/d/N.js`, key `dN`: `{"p": pack name, "g": [[page title, URL path], …],
//!   "d": [[page, anchor, heading, text], …]}`, `page` the entry's page in `g`, `anchor`
//!   and `heading` empty for the top of a page, `text` the start of the entry's text as
//!   written (the browser shows it as text, never as markup).
//!
//! Numbers are written in base 32 with the digits of `search::DIGITS`, most significant
//! first: the last digit of a number from the first 32, every other digit from the last 32.
use crate::domain::diag::Diagnostic;
use crate::render::search::{first_number, push_number, Part, WHERE_BITS};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

/// A term shard is closed once it holds this many bytes of words and pages.
const TERM_SHARD_BYTES: usize = 16 * 1024;

/// One word's entries across the site, written as they are added in order.
#[derive(Default)]
struct Postings {
    /// The last entry written.
    previous: u64,
    text: String,
}

/// Puts the index files, each by its path under the output root, from the parts of the
/// site in order (the site's own pages, then each pack's): the doc shards, the term
/// shards, then the manifest. Of the parts' text, one doc shard or one part's words is
/// read at a time (from memory or from where it was set aside). The words are gathered
/// in [`TERM_PASSES`] passes over the parts, each for a range of first letters, and
/// each term shard is put as soon as it is full: the words of the whole site are never
/// in memory at once.
pub(crate) fn files(parts: &[&Part], put: &mut dyn FnMut(&str, &str)) -> Result<(), Diagnostic> {
    let totals = Totals::of(parts)?;
    let stamp = &totals.stamp;
    let mut file = String::new();
    let mut put_one = |path: &str, key: &str, body: &str| {
        file.clear();
        let _ = writeln!(file, "rollbookSearch(\"{key}\",\"{stamp}\",{body});");
        put(path, &file);
    };
    let doc_shards = (parts.iter()).flat_map(|p| &p.doc_shards).enumerate();
    for (n, (_, data)) in doc_shards {
        put_one(&format!("search/d/{n}.js"), &format!("d{n}"), &data.read()?);
    }

    let mut firsts: Vec<Box<str>> = Vec::new();
    let mut terms = 0;
    let mut shard = String::new();
    for ranks in passes(&totals.sizes) {
        for (word, p) in gather(parts, &ranks)? {
            if shard.len() >= TERM_SHARD_BYTES {
                close_term_shard(&mut shard, &mut terms, &mut put_one);
                firsts.push(word.clone());
            }
            shard.push(if shard.is_empty() { '[' } else { ',' });
            // A word is letters, digits, `_` and `-` (`search::terms`): nothing to escape.
            let _ = write!(shard, "\"{word}\",\"{}\"", p.text);
        }
    }
    if !shard.is_empty() || terms == 0 {
        close_term_shard(&mut shard, &mut terms, &mut put_one);
    }
    let manifest = format!(
        "{{\"t\":{},\"d\":\"{}\",\"e\":\"{}\",\"l\":\"{}\"}}",
        serde_json::to_string(&firsts).unwrap_or_else(|_| "[]".into()),
        totals.counts,
        totals.page_entries,
        totals.low,
    );
    put_one("search/index.js", "index", &manifest);
    Ok(())
}

/// What the manifest says of the parts, the stamp, and how the words are spread, from
/// one pass over the parts.
struct Totals {
    /// How many entries each doc shard has, in order.
    counts: String,
    /// How many entries each page has, in order.
    page_entries: String,
    /// The entries that hold no answer yet, each as the step from the one before.
    low: String,
    /// A hash of every part's data in order, which every file is made from.
    stamp: String,
    /// The bytes of words and pages of each rank of first byte ([`js_rank`]), to split
    /// the passes.
    sizes: [usize; 256],
}

impl Totals {
    fn of(parts: &[&Part]) -> Result<Totals, Diagnostic> {
        let mut counts = String::new();
        let mut page_entries = String::new();
        let mut low = String::new();
        let mut last_low = 0;
        let mut base: u64 = 0;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        hasher.write_usize(parts.len());
        let mut sizes = [0usize; 256];
        for part in parts {
            for (pages, data) in &part.doc_shards {
                push_number(&mut counts, u64::from(*pages));
                (pages, &*data.read()?).hash(&mut hasher);
            }
            page_entries.push_str(&part.page_entries);
            for &n in &part.placeholders {
                push_number(&mut low, base + n - last_low);
                last_low = base + n;
            }
            let lines = part.lines()?;
            (
                part.entries,
                &part.page_entries,
                &part.placeholders,
                &*lines,
            )
                .hash(&mut hasher);
            for w in Part::words(&lines) {
                if let Some(size) = sizes.get_mut(usize::from(js_rank(w.word))) {
                    *size += w.word.len() + w.pages.len();
                }
            }
            base += u64::from(part.entries);
        }
        Ok(Totals {
            counts,
            page_entries,
            low,
            stamp: format!("{:016x}", hasher.finish()),
            sizes,
        })
    }
}

/// The words of the parts whose first byte's rank is in `ranks`, sorted, each with its
/// entries across the site.
fn gather(
    parts: &[&Part],
    ranks: &std::ops::RangeInclusive<u8>,
) -> Result<Vec<(Box<str>, Postings)>, Diagnostic> {
    // Every word of every pack is looked up here: foldhash, as for the packs' words.
    let mut postings: HashMap<Box<str>, Postings, foldhash::fast::RandomState> = HashMap::default();
    let mut base: u64 = 0;
    for part in parts {
        let lines = part.lines()?;
        // A line starts with its word: lines of other passes are not read at all.
        let mine = rank_slices(&lines, ranks);
        for w in mine.into_iter().flat_map(Part::words) {
            let Some((first, rest)) = first_number(w.pages) else {
                continue;
            };
            let p = match postings.get_mut(w.word) {
                Some(p) => p,
                None => postings.entry(w.word.into()).or_default(),
            };
            // Only the first entry is counted from the part's start; the rest are steps.
            let entry = base + (first >> WHERE_BITS);
            let place = first & ((1 << WHERE_BITS) - 1);
            push_number(&mut p.text, (entry - p.previous) << WHERE_BITS | place);
            p.text.push_str(rest);
            p.previous = base + w.last;
        }
        base += u64::from(part.entries);
    }
    let mut words: Vec<(Box<str>, Postings)> = postings.into_iter().collect();
    words.sort_unstable_by(|a, b| js_order(&a.0, &b.0));
    Ok(words)
}

/// The lines of a part's words (sorted by their bytes, as `Collector::finish` writes
/// them) whose first byte's [`js_rank`] is in `ranks`: at most three runs of lines, one
/// for each run of first bytes those ranks stand for, in rank order, found by binary
/// search. [`gather`] reads them in any order: a word has one line in a part.
fn rank_slices<'a>(lines: &'a str, ranks: &std::ops::RangeInclusive<u8>) -> Vec<&'a str> {
    let (first, last) = (u16::from(*ranks.start()), u16::from(*ranks.end()));
    // Ranks up to 0xED are their bytes, 0xEE to 0xFD the bytes 0xF0 to 0xFF, 0xFE and 0xFF
    // the bytes 0xEE and 0xEF.
    let runs = [
        (first, last.min(0xED), 0),
        (first.max(0xEE), last.min(0xFD), 2),
        (first.max(0xFE), last, 0xEE - 0xFE),
    ];
    runs.iter()
        .filter(|(lo, hi, _)| lo <= hi)
        .filter_map(|&(lo, hi, shift): &(u16, u16, i32)| {
            let byte = |rank: u16| u16::try_from(i32::from(rank) + shift).ok();
            let from = line_at_least(lines, byte(lo)?);
            let to = line_at_least(lines, byte(hi)? + 1);
            lines.get(from..to.max(from))
        })
        .filter(|run| !run.is_empty())
        .collect()
}

/// Where the first line of `lines` (each ending in `\n`, sorted by first byte) whose first
/// byte is `byte` or more starts; the end of `lines` if there is none.
fn line_at_least(lines: &str, byte: u16) -> usize {
    let bytes = lines.as_bytes();
    let first_byte = |at: usize| bytes.get(at).map_or(256, |&b| u16::from(b));
    // `low` and `high` are line starts (or the end); the answer is between them.
    let (mut low, mut high) = (0, bytes.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let before = bytes.get(low..middle).unwrap_or_default();
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(low, |i| low + i + 1);
        if first_byte(start) >= byte {
            high = start;
        } else {
            let rest = bytes.get(start..).unwrap_or_default();
            low = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| start + i + 1);
        }
    }
    low
}

/// How many passes over the parts gather the words, each holding about as much.
const TERM_PASSES: usize = 4;

/// Where a word's first byte sorts among first bytes in [`js_order`]: UTF-8 order, but
/// that the lead bytes of characters past U+FFFF (0xF0 and up) come before those of
/// U+E000 to U+FFFF (0xEE, 0xEF).
fn js_rank(word: &str) -> u8 {
    match word.as_bytes().first().copied().unwrap_or(0) {
        b @ 0..=0xED => b,
        0xEE => 0xFE,
        0xEF => 0xFF,
        b => 0xEE + (b - 0xF0),
    }
}

/// The ranges of [`js_rank`] of each pass, in order, each with about a
/// [`TERM_PASSES`]th of `sizes` (the bytes of each rank's words).
fn passes(sizes: &[usize; 256]) -> Vec<std::ops::RangeInclusive<u8>> {
    let total: usize = sizes.iter().sum();
    let each = total.div_ceil(TERM_PASSES).max(1);
    let mut out = Vec::new();
    let (mut start, mut held) = (0u8, 0usize);
    for (rank, size) in (0..=u8::MAX).zip(sizes) {
        held += size;
        if held >= each || rank == u8::MAX {
            out.push(start..=rank);
            held = 0;
            start = rank.saturating_add(1);
        }
    }
    out
}

/// The order of JavaScript's `<` on strings, by UTF-16 code units: the order of UTF-8
/// bytes but that a character past U+FFFF (a surrogate pair) comes before one from U+E000
/// to U+FFFF.
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).find(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some((&p, &q)) => {
            let (high, past) = (|b: u8| b == 0xEE || b == 0xEF, |b: u8| b >= 0xF0);
            if (high(p) && past(q)) || (past(p) && high(q)) {
                q.cmp(&p)
            } else {
                p.cmp(&q)
            }
        }
    }
}

/// Ends the term shard being written and puts it as the next one.
fn close_term_shard(
    shard: &mut String,
    terms: &mut usize,
    put_one: &mut impl FnMut(&str, &str, &str),
) {
    if shard.is_empty() {
        shard.push('[');
    }
    shard.push(']');
    put_one(&format!("search/t/{terms}.js"), &format!("t{terms}"), shard);
    shard.clear();
    *terms += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::{Collector, Words};

    /// Every file put, in order.
    fn files(parts: &[&Part]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        super::files(parts, &mut |path, body| {
            out.push((path.into(), body.into()))
        })
        .unwrap();
        out
    }

    fn numbers(text: &str) -> Vec<u64> {
        crate::render::search::numbers(text).collect()
    }

    fn part(pack: &str, pages: &[(&str, &str)]) -> Part {
        let mut c = Collector::new(pack);
        for (url, text) in pages {
            let mut w = Words::default();
            w.add(text);
            w.entries[0].placeholder = text.is_empty() || *text == "TBD";
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
        assert_eq!(manifest["l"], "");
        let (key, stamp0, terms) = call(by_path["search/t/0.js"]);
        assert_eq!((key.as_str(), &stamp0), ("t0", &stamp));
        let terms = terms.as_array().unwrap();
        let words: Vec<&str> = terms
            .iter()
            .step_by(2)
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(words, ["alpha", "zebra"]);
        // zebra: in the text of entry 0, then 1 and 2 (title "T" is one letter, so never
        // a word).
        assert_eq!(numbers(terms[3].as_str().unwrap()), [0, 4, 4]);
        assert_eq!(numbers(terms[1].as_str().unwrap()), [4]);
        assert_eq!(numbers(manifest["e"].as_str().unwrap()), [1, 1, 1]);
        let (_, _, docs) = call(by_path["search/d/1.js"]);
        assert_eq!(
            docs,
            serde_json::json!({"p": "A", "g": [["T", "a/"], ["T", "a/x/"]],
                "d": [[0, "", "", "alpha zebra"], [1, "", "", "zebra"]]})
        );
    }

    #[test]
    fn placeholders_are_counted_across_parts() {
        let site = part("", &[("owners/", "zebra")]);
        let a = part("A", &[("a/", "TBD"), ("a/x/", "zebra"), ("a/y/", "")]);
        let b = part("B", &[("b/", "")]);
        let out = files(&[&site, &a, &b]);
        let (_, _, manifest) = call(&out.last().unwrap().1);
        // Entries 1, 3 and 4, as steps.
        assert_eq!(numbers(manifest["l"].as_str().unwrap()), [1, 2, 1]);
    }

    #[test]
    fn words_sort_as_javascript_compares_them() {
        let mut words = vec![
            "b",
            "ab",
            "a",
            "\u{FF21}x",
            "\u{10400}x",
            "\u{E000}",
            "é",
            "\u{10400}",
        ];
        words.sort_unstable_by(|a, b| js_order(a, b));
        let mut by_utf16 = words.clone();
        by_utf16.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(words, by_utf16);
        assert_eq!(
            words,
            [
                "a",
                "ab",
                "b",
                "é",
                "\u{10400}",
                "\u{10400}x",
                "\u{E000}",
                "\u{FF21}x"
            ]
        );
    }

    #[test]
    fn every_file_has_the_stamp_of_the_parts_wherever_they_are() {
        let site = part("", &[("owners/", "zebra")]);
        let a = part("A", &[("a/", "alpha zebra"), ("a/x/", "zebra")]);
        let out = files(&[&site, &a]);
        let stamps: Vec<String> = out.iter().map(|(_, f)| call(f).1).collect();
        assert_eq!(
            stamps.len(),
            4,
            "two doc shards, a term shard, the manifest"
        );
        assert!(
            stamps.iter().all(|s| *s == stamps[0] && s.len() == 16),
            "{stamps:?}"
        );
        // Another word, another stamp; the same parts, the same stamp.
        let b = part("A", &[("a/", "alpha zebras"), ("a/x/", "zebra")]);
        assert_ne!(call(&files(&[&site, &b])[0].1).1, stamps[0]);
        assert_eq!(files(&[&site, &a]), out);
        // The same files from parts set aside in a file.
        let spill = crate::render::spill::Spill::new().unwrap();
        let (mut site2, mut a2) = (site.clone(), a.clone());
        site2.spill(&spill);
        a2.spill(&spill);
        assert!(matches!(
            a2.doc_shards[0].1,
            crate::render::spill::Text::Spilled { .. }
        ));
        assert_eq!(files(&[&site2, &a2]), out);
    }

    #[test]
    fn words_gathered_in_passes_come_out_once_each_in_order() {
        // Last in JavaScript's order: a word of U+E000 to U+FFFF, after one past U+FFFF.
        let text = "ｱｲｳ zeta alpha éclair 日本 𠀀𠀁 beta 9lives _x mu omega";
        let pages: Vec<(String, String)> = (0..300)
            .map(|i| {
                (
                    format!("p{i}/"),
                    format!("{text} w{i:03} {}", ["kk", "qq"][i % 2]),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (first, second) = refs.split_at(150);
        let (one, two) = (part("", first), part("B", second));
        let out = files(&[&one, &two]);
        let mut words: Vec<String> = Vec::new();
        for (path, file) in &out {
            if path.starts_with("search/t/") {
                let shard = call(file).2;
                let list = shard.as_array().unwrap();
                words.extend(
                    list.iter()
                        .step_by(2)
                        .map(|w| w.as_str().unwrap().to_string()),
                );
            }
        }
        let mut expected: Vec<String> = words.clone();
        expected.sort_unstable_by(|a, b| js_order(a, b));
        expected.dedup();
        assert_eq!(words, expected, "sorted, each once");
        assert_eq!(words.last().map(String::as_str), Some("ｱｲｳ"));
        for w in [
            "zeta", "éclair", "日本", "𠀀𠀁", "_x", "w000", "w299", "kk", "qq",
        ] {
            assert!(
                words.iter().any(|x| x.to_lowercase() == w),
                "{w} in {words:?}"
            );
        }
        // Passes follow JavaScript's order: words of different first bytes sort by rank.
        let mut firsts = ["ｱ", "𠀀", "日", "é", "z", "a", "_", "9", "\u{e000}", "𝒳"];
        firsts.sort_by(|a, b| js_order(a, b));
        assert!(
            firsts.windows(2).all(|w| js_rank(w[0]) <= js_rank(w[1])),
            "{firsts:?}"
        );
        let ranges = passes(&[1; 256]);
        assert_eq!(ranges.len(), TERM_PASSES);
        assert_eq!(
            (*ranges[0].start(), *ranges[TERM_PASSES - 1].end()),
            (0, 255)
        );
        assert!(ranges.windows(2).all(|r| *r[0].end() + 1 == *r[1].start()));
        // Sizes are counted by rank: a pass ends where its rank's words fill it.
        let mut sizes = [0; 256];
        for rank in [usize::from(b'a'), usize::from(b'b'), 0xEE, 0xFE] {
            sizes[rank] = 100;
        }
        let ends: Vec<u8> = passes(&sizes).iter().map(|r| *r.end()).collect();
        assert_eq!(ends, [b'a', b'b', 0xEE, 0xFE, 0xFF]);
    }

    /// A pass reads, of a part's sorted lines, exactly those whose first byte's rank is
    /// in its range, whatever the range and wherever the lines of a rank start.
    #[test]
    fn a_pass_reads_the_lines_of_its_ranks_and_only_those() {
        let mut words: Vec<&str> = "0 9x _ a ab b z é 日本 \u{e000}x \u{ffe0} 𠀀 𝒳 ｱ"
            .split(' ')
            .collect();
        words.extend(["", "a", "a", "a"]);
        words.sort_unstable();
        let lines: String = words.iter().map(|w| format!("{w} 1 1\n")).collect();
        let mut edges: Vec<u8> = vec![0, 1, b'0', b'9', b'_', b'a', b'b', b'z', 0xC3];
        edges.extend([0xE5, 0xED, 0xEE, 0xEF, 0xF0, 0xFD, 0xFE, 0xFF]);
        for &lo in &edges {
            for &hi in edges.iter().filter(|&&hi| hi >= lo) {
                let ranks = lo..=hi;
                let expected: Vec<&str> = lines
                    .split_inclusive('\n')
                    .filter(|l| ranks.contains(&js_rank(l)))
                    .collect();
                let mut read: Vec<&str> = rank_slices(&lines, &ranks)
                    .into_iter()
                    .flat_map(|run| run.split_inclusive('\n'))
                    .collect();
                // Runs come in rank order; the lines, in byte order.
                read.sort_unstable();
                assert_eq!(read, expected, "ranks {lo:#x}..={hi:#x}");
            }
        }
        assert!(rank_slices("", &(0..=255)).is_empty());
        assert_eq!(line_at_least("a 1\nb 1\n", 256), 8);
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
        // 1,200 pages in doc shards of a few kilobytes each.
        let counts = numbers(manifest["d"].as_str().unwrap());
        assert!(counts.len() > 1, "{counts:?}");
        assert_eq!(counts.iter().sum::<u64>(), 1200);
        assert_eq!(
            out.iter()
                .filter(|(p, _)| p.starts_with("search/d/"))
                .count(),
            counts.len()
        );
    }
}

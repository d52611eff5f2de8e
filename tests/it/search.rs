//! The search index: every page's words under its own URL, taken from what the page is
//! made of, with no markup in it, split into shards under `search/` so that a query needs
//! only the shards of its words and the pages of its results.

use crate::common::{complete_toml, SiteBuilder};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A pack whose runbook, data section and extra page each hold words found nowhere else.
fn site() -> SiteBuilder {
    let incident = complete_toml("incident").replace(
        "\"Tell the support lead\"",
        "\"Tell the **Marmoset** desk & `PAGER_DUTY`\"",
    );
    let data = complete_toml("data").replace(
        "\"30 days\"",
        "\"Kept for *quokka* audits, see [the log](incident.md)\"",
    );
    SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "pack",
            "incident",
            &incident,
            "## Escalation ladder\n\nCall the **zanzibar** bridge, press <kbd>Ctrl</kbd>&nbsp;C &amp; wait.\n",
        )
        .section(
            "pack",
            "data",
            &data,
            "A paragraph about the _wombat_ ledger &lt;b&gt;.\n\n```\nnarrow_code_word\n```\n",
        )
        .file(
            "content/pack/glossary.md",
            "+++\ntitle = \"Glossary\"\n+++\n# Terms\n\nA *narwhal* is a canary release.\n",
        )
}

/// [`site`] with more packs, each with a page of words of its own spread over the
/// alphabet, so that the index needs several word shards.
fn big_site() -> SiteBuilder {
    let mut site = site();
    for p in 0..8 {
        let slug = format!("pack-{p}");
        let words: Vec<String> = (0..200)
            .map(|i| {
                let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
                format!("{}{}filler{p}x{i}", letter(i), letter(i / 26 + p))
            })
            .collect();
        site = site.complete_pack(&slug).file(
            &format!("content/{slug}/words.md"),
            &format!("# Words\n\n{}\n", words.join(" ")),
        );
    }
    site
}

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

/// A page as a result shows it.
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    title: String,
    url: String,
    pack: String,
    snippet: String,
}

/// A word with the pages it is on and where on each (1 title, 2 heading).
type Word = (String, Vec<(u64, u64)>);

/// The index as the files say it.
struct Index {
    /// The first word of each word shard but the first.
    firsts: Vec<String>,
    /// Each word shard: its words with their pages and where on the page (1 title, 2 heading).
    shards: Vec<Vec<Word>>,
    /// Every page, in page order, and the doc shard it is in.
    docs: Vec<(Doc, usize)>,
}

fn read_index(site: &SiteBuilder) -> Index {
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
        let flat = data.as_array().expect("words and pages");
        let mut words = Vec::new();
        for pair in flat.chunks(2) {
            let mut page = 0;
            let pages = numbers(pair[1].as_str().expect("pages"))
                .into_iter()
                .map(|v| {
                    page += v >> 2;
                    (page, v & 3)
                })
                .collect();
            words.push((pair[0].as_str().expect("a word").to_string(), pages));
        }
        shards.push(words);
    }
    let mut docs = Vec::new();
    for (n, count) in numbers(manifest["d"].as_str().expect("counts"))
        .into_iter()
        .enumerate()
    {
        let data = read(format!("public/search/d/{n}.js"), format!("d{n}"));
        let rows = data["d"].as_array().expect("pages");
        assert_eq!(rows.len() as u64, count, "doc shard {n}");
        for row in rows {
            let s = |i: usize| row[i].as_str().expect("a string").to_string();
            let pack = data["p"].as_str().expect("a pack").to_string();
            docs.push((
                Doc {
                    title: s(0),
                    url: s(1),
                    pack,
                    snippet: s(2),
                },
                n,
            ));
        }
    }
    Index {
        firsts,
        shards,
        docs,
    }
}

impl Index {
    /// The word shards holding the words that begin with `w`, as `search.js` picks them.
    fn shards_for(&self, w: &str) -> Vec<usize> {
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

    /// Every word with its pages, from every shard.
    fn all_words(&self) -> impl Iterator<Item = &Word> {
        self.shards.iter().flatten()
    }

    /// The pages a word is on, as URLs with where on the page: from the one shard the
    /// manifest names for it, which must be the only one that has it.
    fn pages_of(&self, word: &str) -> Vec<(String, u64)> {
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
            .flat_map(|(_, pages)| pages)
            .map(|&(page, place)| (self.docs[page as usize].0.url.clone(), place))
            .collect()
    }

    /// The URLs with `word`.
    fn urls_with(&self, word: &str) -> Vec<String> {
        self.pages_of(word).into_iter().map(|(u, _)| u).collect()
    }

    fn doc(&self, url: &str) -> &Doc {
        &self
            .docs
            .iter()
            .find(|(d, _)| d.url == url)
            .unwrap_or_else(|| panic!("no page {url} in the index"))
            .0
    }

    /// The pages with every word of `query` (the last ones may be the start of a word),
    /// best first, as `search.js` ranks them, using only the word shards in `loaded`.
    fn answer(&self, query: &str, loaded: &BTreeSet<usize>) -> Vec<String> {
        let mut total: Option<BTreeMap<u64, u64>> = None;
        for w in query.split(' ') {
            let mut found: BTreeMap<u64, u64> = BTreeMap::new();
            for &n in loaded {
                for (word, pages) in self.shards[n].iter().filter(|(x, _)| x.starts_with(w)) {
                    for &(page, place) in pages {
                        let s = 1 + u64::from(word == w) + [0, 10, 4, 14][place as usize];
                        let best = found.entry(page).or_insert(0);
                        *best = (*best).max(s);
                    }
                }
            }
            total = Some(match total {
                None => found,
                Some(t) => t
                    .into_iter()
                    .filter_map(|(p, s)| found.get(&p).map(|f| (p, s + f)))
                    .collect(),
            });
        }
        let mut hits: Vec<(u64, u64)> = total.unwrap_or_default().into_iter().collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter()
            .map(|(p, _)| self.docs[p as usize].0.url.clone())
            .collect()
    }
}

#[test]
fn words_are_indexed_under_the_page_that_shows_them() {
    let site = site();
    site.build_ok();
    let index = read_index(&site);
    // The incident notes show on the incident section page and on the runbook.
    assert_eq!(
        index.urls_with("zanzibar"),
        ["pack/incident/", "pack/runbook/"]
    );
    // An answer the runbook shows, as plain text.
    assert_eq!(
        index.urls_with("marmoset"),
        ["pack/incident/", "pack/runbook/"]
    );
    assert!(index
        .urls_with("pager_duty")
        .contains(&"pack/runbook/".to_string()));
    // A section page: a body paragraph, a code block and an answer.
    assert_eq!(index.urls_with("wombat"), ["pack/data/"]);
    assert_eq!(index.urls_with("narrow_code_word"), ["pack/data/"]);
    assert_eq!(index.urls_with("quokka"), ["pack/data/"]);
    // An extra page, with its title and its heading marked.
    assert_eq!(index.urls_with("narwhal"), ["pack/glossary/"]);
    let glossary = index.doc("pack/glossary/");
    assert_eq!(glossary.title, "Glossary");
    assert_eq!(glossary.pack, "Support triage");
    assert!(index
        .pages_of("glossary")
        .contains(&("pack/glossary/".into(), 1)));
    assert!(index
        .pages_of("terms")
        .contains(&("pack/glossary/".into(), 2)));
    assert!(index
        .pages_of("escalation")
        .contains(&("pack/incident/".into(), 2)));
    // The site's own pages are there, under no pack.
    assert_eq!(index.doc("owners/").pack, "");
    // The snippet reads as the page does: markup gone, entities decoded.
    let snippet = &index.doc("pack/data/").snippet;
    assert!(
        snippet.contains("Kept for quokka audits, see the log"),
        "{snippet}"
    );
    let notes = &index.doc("pack/incident/").snippet;
    assert!(
        notes.contains("Tell the Marmoset desk & PAGER_DUTY"),
        "{notes}"
    );
}

#[test]
fn no_markup_leaks_into_the_index() {
    let site = site();
    site.build_ok();
    let index = read_index(&site);
    for (doc, _) in &index.docs {
        let text = format!("{} {}", doc.title, doc.snippet);
        for markup in [
            "<kbd",
            "kbd>",
            "</",
            "<a ",
            "href",
            "&amp;",
            "&nbsp;",
            "&lt;",
            "&#",
            "**",
            "permalink",
        ] {
            assert!(!text.contains(markup), "{markup} in {}: {text}", doc.url);
        }
    }
    for (word, _) in index.all_words() {
        assert!(
            !["kbd", "nbsp", "amp", "href", "class"].contains(&word.as_str()),
            "{word} is a word of the index"
        );
    }
    // The words of the notes' inline HTML and entities are there, as text.
    assert!(index
        .urls_with("ctrl")
        .contains(&"pack/incident/".to_string()));
    assert!(index
        .urls_with("ledger")
        .contains(&"pack/data/".to_string()));
    // One copy of the index: no whole-index files beside the shards.
    assert!(!site.join("public/search-index.js").exists());
    assert!(!site.join("public/search-index.json").exists());
}

#[test]
fn on_a_big_site_a_query_needs_only_the_shards_of_its_words() {
    let site = big_site();
    site.build_ok();
    let index = read_index(&site);
    assert!(
        index.shards.len() >= 3,
        "{} word shards",
        index.shards.len()
    );
    // Every word once, in the shard the manifest names for it, in JavaScript's order.
    let all: Vec<&String> = index.all_words().map(|(w, _)| w).collect();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    sorted.dedup();
    assert_eq!(all, sorted);
    for (n, shard) in index.shards.iter().enumerate() {
        for (word, _) in shard {
            assert_eq!(index.shards_for(word)[0], n, "{word}");
        }
    }
    // Words of a runbook, a section and an extra page, in shards apart.
    assert_eq!(
        index.urls_with("zanzibar"),
        ["pack/incident/", "pack/runbook/"]
    );
    assert_eq!(index.urls_with("quokka"), ["pack/data/"]);
    assert_eq!(index.urls_with("narwhal"), ["pack/glossary/"]);
    let shard = |w: &str| index.shards_for(w)[0];
    assert_ne!(shard("narwhal"), shard("zanzibar"));
    assert_ne!(shard("quokka"), shard("zanzibar"));
    // A query's shards answer it as the whole index does, and are not all of them.
    for query in [
        "zanzibar marmo",
        "narwhal canary",
        "quokka",
        "kill switch",
        "adfiller3",
    ] {
        let needed: BTreeSet<usize> = query.split(' ').flat_map(|w| index.shards_for(w)).collect();
        let every: BTreeSet<usize> = (0..index.shards.len()).collect();
        assert!(needed.len() < every.len(), "{query} needs every shard");
        let answer = index.answer(query, &needed);
        assert!(!answer.is_empty(), "no results for {query}");
        assert_eq!(answer, index.answer(query, &every), "{query}");
    }
    assert_eq!(
        index.answer("zanzibar marmo", &(0..index.shards.len()).collect()),
        ["pack/incident/", "pack/runbook/"]
    );
    // A prefix that runs over shard boundaries needs each of those shards.
    let wide = index
        .firsts
        .iter()
        .find_map(|f| {
            let p: String = f.chars().take(2).collect();
            (index.shards_for(&p).len() > 1).then_some(p)
        })
        .expect("a two-letter prefix over two shards");
    let holding: BTreeSet<usize> = (0..index.shards.len())
        .filter(|&n| index.shards[n].iter().any(|(w, _)| w.starts_with(&wide)))
        .collect();
    let picked: BTreeSet<usize> = index.shards_for(&wide).into_iter().collect();
    assert!(
        holding.is_subset(&picked),
        "{wide}: {holding:?} not in {picked:?}"
    );
    // Each pack's pages are a doc shard of their own.
    let shard_of = |url: &str| {
        index
            .docs
            .iter()
            .find(|(d, _)| d.url == url)
            .map(|(_, n)| *n)
    };
    assert_eq!(shard_of("pack/glossary/"), shard_of("pack/runbook/"));
    assert_ne!(shard_of("pack/runbook/"), shard_of("pack-0/runbook/"));
    assert_ne!(shard_of("owners/"), shard_of("pack/runbook/"));
}

#[test]
fn titles_outrank_headings_and_headings_outrank_text() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file(
            "content/pack/a.md",
            "+++\ntitle = \"Notes\"\n+++\nThe ocelot drill.\n",
        )
        .file(
            "content/pack/b.md",
            "+++\ntitle = \"Ocelot drill\"\n+++\nText.\n",
        )
        .file(
            "content/pack/c.md",
            "+++\ntitle = \"More\"\n+++\n## Ocelot drill\n\nText.\n",
        );
    site.build_ok();
    let index = read_index(&site);
    let every = (0..index.shards.len()).collect();
    assert_eq!(
        index.answer("ocelot dr", &every),
        ["pack/b/", "pack/c/", "pack/a/"]
    );
}

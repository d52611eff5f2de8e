//! The search index: every page's top, headings and answers under their own URL and
//! anchor, with words taken from what the page is made of, no markup in them, ranked with
//! placeholders last, split into shards under `search/` so that a query needs only the
//! shards of its words and the entries of its results.

use crate::common::{complete_toml, SiteBuilder};
use crate::search_reader::read_index;
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

#[test]
fn words_are_indexed_under_the_page_that_shows_them() {
    let site = site();
    site.build_ok();
    let index = read_index(&site);
    // The incident notes show on the incident section page and on the runbook, each
    // under the heading they are written under.
    assert_eq!(
        index.urls_with("zanzibar"),
        ["pack/incident/", "pack/runbook/"]
    );
    let at: Vec<String> = index
        .entries_of("zanzibar")
        .into_iter()
        .map(|(at, _)| at)
        .collect();
    assert_eq!(
        at,
        [
            "pack/incident/#escalation-ladder",
            "pack/runbook/#escalation-ladder"
        ]
    );
    let ladder = index.entry("pack/incident/#escalation-ladder");
    assert_eq!(ladder.heading, "Escalation ladder");
    assert_eq!(ladder.title, "Safety & incident response");
    assert!(
        ladder.text.starts_with("Call the zanzibar bridge"),
        "{}",
        ladder.text
    );
    // An answer the runbook shows, as plain text.
    assert_eq!(
        index.urls_with("marmoset"),
        ["pack/incident/", "pack/runbook/"]
    );
    assert!(index
        .urls_with("pager_duty")
        .contains(&"pack/runbook/".to_string()));
    // A section page: a body paragraph, a code block and an answer, the answer under its
    // field's anchor and label.
    assert_eq!(index.urls_with("wombat"), ["pack/data/"]);
    assert_eq!(index.urls_with("narrow_code_word"), ["pack/data/"]);
    assert_eq!(
        index.entries_of("quokka"),
        [("pack/data/#retention_policy".to_string(), 0)]
    );
    let retention = index.entry("pack/data/#retention_policy");
    assert_eq!(retention.heading, "Retention policy");
    assert!(index
        .entries_of("retention")
        .contains(&("pack/data/#retention_policy".into(), 2)));
    // Eval runs are shown above the notes, with the top of the page.
    assert!(
        index
            .entries_of("2026-11-20")
            .contains(&("pack/evaluation/".into(), 0)),
        "{:?}",
        index.entries_of("2026-11-20")
    );
    // A yes-or-no answer reads as its page shows it.
    assert_eq!(index.entry("pack/operability/#kill_switch").text, "Yes");
    // An answer's anchor is an id on the page it opens.
    let data = site.read("public/pack/data/index.html");
    assert!(data.contains(r#"id="retention_policy""#));
    let incident = site.read("public/pack/incident/index.html");
    assert!(incident.contains(r#"id="escalation-ladder""#));
    // An extra page, with its title and its heading marked.
    assert_eq!(index.urls_with("narwhal"), ["pack/glossary/"]);
    let glossary = index.doc("pack/glossary/");
    assert_eq!(glossary.title, "Glossary");
    assert_eq!(glossary.pack, "Support triage");
    assert!(index
        .entries_of("glossary")
        .contains(&("pack/glossary/".into(), 1)));
    assert!(index
        .entries_of("terms")
        .contains(&("pack/glossary/#terms".into(), 2)));
    assert!(index
        .entries_of("escalation")
        .contains(&("pack/incident/#escalation-ladder".into(), 2)));
    // The site's own pages are there, under no pack.
    assert_eq!(index.doc("owners/").pack, "");
    // The text reads as the page does: markup gone, entities decoded.
    let snippet = &retention.text;
    assert!(
        snippet.contains("Kept for quokka audits, see the log"),
        "{snippet}"
    );
    let notes = &index.entry("pack/incident/#immediate_actions").text;
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
        let text = format!("{} {} {}", doc.title, doc.heading, doc.text);
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
    // Words spread over a page's headings and answers find each of them, those with
    // the whole word first.
    assert_eq!(
        index.answer("zanzibar marmo", &(0..index.shards.len()).collect()),
        [
            "pack/incident/#escalation-ladder",
            "pack/runbook/#escalation-ladder",
            "pack/incident/#immediate_actions",
            "pack/runbook/"
        ]
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
    // No doc shard holds two packs' entries.
    let mut packs: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (doc, n) in &index.docs {
        packs.entry(*n).or_default().insert(&doc.pack);
    }
    assert!(packs.len() > 9, "{} doc shards", packs.len());
    for (n, names) in packs {
        assert_eq!(names.len(), 1, "doc shard {n}: {names:?}");
    }
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
        ["pack/b/", "pack/c/#ocelot-drill", "pack/a/"]
    );
}

#[test]
fn placeholders_rank_below_answers_and_an_empty_runbook_below_a_filled_one() {
    // Two packs of the same name but a word; the one first in the index has every answer
    // still to be written, so only its placeholders can put it below the other.
    let workflow = complete_toml("workflow").replace("Support triage", "Kestrel triage");
    let site = SiteBuilder::new()
        .complete_pack("b-real")
        .section("b-real", "workflow", &workflow, "")
        .file(
            "content/b-real/quarterly.md",
            "+++\ntitle = \"Quarterly notes\"\n+++\n## Kestrel drill\n\nRun the drill each quarter.\n",
        )
        .file(
            "content/a-empty/workflow.md",
            "+++\nname = \"Kestrel triage copy\"\n+++\n",
        )
        .file(
            "content/a-empty/operability.md",
            "+++\nkill_switch_how = \"TBD\"\n+++\n",
        )
        .file(
            "content/a-empty/incident.md",
            "+++\n+++\n## Kestrel drill\n\nTBD\n",
        );
    site.build();
    let index = read_index(&site);
    let every: BTreeSet<usize> = (0..index.shards.len()).collect();
    let low = |at: &str| {
        let entry = index.docs.iter().position(|(d, _)| d.at() == at);
        entry.is_some_and(|e| index.low.contains(&(e as u64)))
    };
    let pos = |list: &[String], at: &str| {
        list.iter()
            .position(|a| a == at)
            .unwrap_or_else(|| panic!("{at} not in {list:?}"))
    };
    // The empty runbook, first in the index and matching as well, comes after the
    // filled one.
    let runbooks = index.answer("runbook kestrel triage", &every);
    assert!(low("a-empty/runbook/") && !low("b-real/runbook/"));
    assert!(
        pos(&runbooks, "b-real/runbook/") < pos(&runbooks, "a-empty/runbook/"),
        "{runbooks:?}"
    );
    // A heading with only "TBD" under it ranks below one with text.
    let drill = index.answer("kestrel drill", &every);
    assert!(low("a-empty/incident/#kestrel-drill"));
    assert_eq!(drill[0], "b-real/quarterly/#kestrel-drill", "{drill:?}");
    assert!(pos(&drill, "a-empty/incident/#kestrel-drill") > 0);
    // An answer still "TBD" ranks below a written one.
    let how = index.answer("flip kill switch", &every);
    assert!(low("a-empty/operability/#kill_switch_how"));
    assert!(
        pos(&how, "b-real/operability/#kill_switch_how")
            < pos(&how, "a-empty/operability/#kill_switch_how"),
        "{how:?}"
    );
    // Every result with a placeholder comes after every result without.
    for list in [&runbooks, &drill, &how] {
        let marks: Vec<bool> = list.iter().map(|at| low(at)).collect();
        let mut sorted = marks.clone();
        sorted.sort();
        assert_eq!(marks, sorted, "{list:?}");
    }
}

#[test]
fn entry_texts_are_kept_as_written_for_the_browser_to_show_as_text() {
    let site = SiteBuilder::new().complete_pack("pack").file(
        "content/pack/markup.md",
        "+++\ntitle = \"Markup\"\n+++\n## Tags as text\n\nWrite `<img src=x onerror=alert(1)>` and `<mark>` literally.\n",
    );
    site.build_ok();
    let index = read_index(&site);
    let entry = index.entry("pack/markup/#tags-as-text");
    // The text as the page reads, not escaped twice and not dropped: search.js puts it in
    // text nodes, which escape it.
    assert_eq!(
        entry.text,
        "Write <img src=x onerror=alert(1)> and <mark> literally."
    );
    assert!(!entry.text.contains("&lt;"));
}

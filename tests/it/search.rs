//! The search index: every page's words under its own URL, taken from what the page is
//! made of, with no markup in it.

use crate::common::{complete_toml, SiteBuilder};
use serde_json::Value;
use std::collections::BTreeMap;

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

/// The index, by URL.
fn index(site: &SiteBuilder) -> BTreeMap<String, Value> {
    let json: Value =
        serde_json::from_str(&site.read("public/search-index.json")).expect("the index is JSON");
    json.as_array()
        .expect("the index is a list")
        .iter()
        .map(|e| (e["u"].as_str().expect("a URL").to_string(), e.clone()))
        .collect()
}

fn words(entry: &Value) -> Vec<&str> {
    entry["w"].as_str().expect("words").split(' ').collect()
}

/// The URLs whose words hold `word`.
fn pages_with(index: &BTreeMap<String, Value>, word: &str) -> Vec<String> {
    index
        .iter()
        .filter(|(_, e)| words(e).contains(&word))
        .map(|(u, _)| u.clone())
        .collect()
}

#[test]
fn words_are_indexed_under_the_page_that_shows_them() {
    let site = site();
    site.build_ok();
    let index = index(&site);
    // The incident notes show on the incident section page and on the runbook.
    assert_eq!(
        pages_with(&index, "zanzibar"),
        ["pack/incident/", "pack/runbook/"]
    );
    // An answer the runbook shows, as plain text.
    assert_eq!(
        pages_with(&index, "marmoset"),
        ["pack/incident/", "pack/runbook/"]
    );
    assert!(pages_with(&index, "pager_duty").contains(&"pack/runbook/".to_string()));
    // A section page: a body paragraph, a code block and an answer.
    assert_eq!(pages_with(&index, "wombat"), ["pack/data/"]);
    assert_eq!(pages_with(&index, "narrow_code_word"), ["pack/data/"]);
    assert_eq!(pages_with(&index, "quokka"), ["pack/data/"]);
    // An extra page, with its heading.
    assert_eq!(pages_with(&index, "narwhal"), ["pack/glossary/"]);
    let glossary = &index["pack/glossary/"];
    assert_eq!(glossary["t"], "Glossary");
    assert_eq!(glossary["p"], "Support triage");
    assert_eq!(glossary["h"], serde_json::json!(["Terms"]));
    let incident = &index["pack/incident/"];
    assert!(
        incident["h"]
            .as_array()
            .expect("headings")
            .contains(&"Escalation ladder".into()),
        "{incident}"
    );
    // The snippet reads as the page does: markup gone, entities decoded.
    let snippet = index["pack/data/"]["s"].as_str().expect("a snippet");
    assert!(
        snippet.contains("Kept for quokka audits, see the log"),
        "{snippet}"
    );
    let notes = incident["s"].as_str().expect("a snippet");
    assert!(
        notes.contains("Tell the Marmoset desk & PAGER_DUTY"),
        "{notes}"
    );
}

#[test]
fn no_markup_leaks_into_the_index() {
    let site = site();
    site.build_ok();
    let index = index(&site);
    for (url, entry) in &index {
        let text = [
            entry["t"].as_str().unwrap_or(""),
            entry["s"].as_str().unwrap_or(""),
            entry["w"].as_str().unwrap_or(""),
        ]
        .join(" ")
            + &entry["h"].to_string();
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
            assert!(!text.contains(markup), "{markup} in {url}: {text}");
        }
        for word in words(entry) {
            assert!(
                !["kbd", "nbsp", "amp", "href", "class"].contains(&word),
                "{word} in {url}"
            );
        }
    }
    // The words of the notes' inline HTML and entities are there, as text.
    let incident = &index["pack/incident/"];
    assert!(words(incident).contains(&"ctrl"));
    assert!(words(&index["pack/data/"]).contains(&"ledger"));
    // The script form is the same index.
    let script = site.read("public/search-index.js");
    assert_eq!(
        script,
        format!(
            "window.ROLLBOOK_SEARCH={};\n",
            site.read("public/search-index.json")
        )
    );
}

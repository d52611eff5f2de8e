//! `rollbook new <slug> --from <pack>`: which answers a new pack copies from a proven one,
//! which it leaves to fill in, and what it never copies or overwrites.

use crate::common::{self, one, pack, run_in, section_status, snapshot, text, Out, STEMS};
use rollbook::internals::{carry, Carry, Field, SectionId};
use std::collections::BTreeMap;

const FROM: &str = "support-triage";
const NEW: &str = "invoice-check";

/// Answers copied as they are.
const COPIED: [(&str, &str); 13] = [
    ("accountability", "platform_owner"),
    ("accountability", "security_owner"),
    ("operability", "central_gateway"),
    ("operability", "tracing"),
    ("operability", "budget_alerts"),
    ("operability", "cost_attribution"),
    ("operability", "kill_switch"),
    ("incident", "review_format"),
    ("rollout", "dashboards"),
    ("rollout", "escalation_path"),
    ("models", "approved"),
    ("models", "routing_rule"),
    ("models", "fallback"),
];

/// Placeholders whose hint quotes the proven pack's answer.
const ADAPTED: [(&str, &str); 2] = [
    ("operability", "kill_switch_how"),
    ("rollout", "daily_checks"),
];

/// A site holding one complete pack, `support-triage`, with its eval set and results.
fn proven() -> common::SiteBuilder {
    common::SiteBuilder::new().complete_pack(FROM)
}

fn run(site: &common::SiteBuilder, args: &[&str]) -> Out {
    let root = site.path().to_str().expect("utf-8 path").to_string();
    let mut all = vec!["--root", root.as_str(), "--today", common::TODAY];
    all.extend_from_slice(args);
    run_in(site.path(), &all)
}

/// A section file's front-matter, parsed, and the file's lines.
fn front_matter(site: &common::SiteBuilder, slug: &str, stem: &str) -> (toml::Table, Vec<String>) {
    let text = site.read(&format!("content/{slug}/{stem}.md"));
    let rest = text.strip_prefix("+++\n").expect("front-matter opens");
    let end = rest.find("\n+++\n").expect("front-matter closes");
    let table = toml::from_str(&rest[..=end]).unwrap_or_else(|e| panic!("{stem}.md: {e}"));
    (table, text.lines().map(str::to_string).collect())
}

/// The comment lines right above `key = …` in a section file.
fn comment_above(lines: &[String], key: &str) -> Vec<String> {
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no `{key} = ` line in {lines:?}"));
    let mut out: Vec<String> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with('#'))
        .cloned()
        .collect();
    out.reverse();
    out
}

fn is_placeholder(value: &toml::Value) -> bool {
    match value {
        toml::Value::String(s) => s == "TBD",
        toml::Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn replicated() -> common::SiteBuilder {
    let site = proven();
    let out = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "a clean pack prints no warning");
    assert!(
        out.stdout
            .contains("Copied 13 org-wide answers from content/support-triage/"),
        "{}",
        out.stdout
    );
    site
}

#[test]
fn copies_the_org_wide_answers_and_leaves_the_workflows_own_as_placeholders() {
    let site = replicated();
    let mut seen = 0;
    for stem in STEMS {
        let (source, _) = front_matter(&site, FROM, stem);
        let (new, lines) = front_matter(&site, NEW, stem);
        let def = SectionId::from_stem(stem)
            .and_then(|s| s.def())
            .expect("a section");
        let keys: Vec<&str> = new.keys().map(String::as_str).collect();
        let fields: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
        assert_eq!(keys, fields, "{stem}: every field, in order, nothing else");
        for field in fields {
            seen += 1;
            let value = &new[field];
            let comment = comment_above(&lines, field);
            let first = comment.first().cloned().unwrap_or_default();
            if COPIED.contains(&(stem, field)) {
                let from = source
                    .get(field)
                    .unwrap_or_else(|| panic!("{stem}.{field} in the fixture"));
                assert_eq!(value, from, "{stem}.{field} is copied as it is");
                assert!(
                    first.starts_with("# copied from support-triage: "),
                    "{stem}.{field}: {comment:?}"
                );
            } else {
                assert!(is_placeholder(value), "{stem}.{field} = {value}");
                assert!(
                    first.starts_with("# fill in: "),
                    "{stem}.{field}: {comment:?}"
                );
                assert!(first.contains("support-triage"), "{stem}.{field}: {first}");
            }
            if ADAPTED.contains(&(stem, field)) {
                let quoted: String = comment[1..]
                    .iter()
                    .map(|l| l.strip_prefix("#   ").expect("a quoted line"))
                    .collect::<Vec<_>>()
                    .join("\n");
                let parsed: toml::Table =
                    toml::from_str(&format!("v = {quoted}")).expect("the quote is TOML");
                assert_eq!(
                    Some(&parsed["v"]),
                    source.get(field),
                    "{stem}.{field} quotes the answer to adapt"
                );
            } else {
                assert_eq!(comment.len(), 1, "{stem}.{field}: {comment:?}");
            }
        }
    }
    assert_eq!(seen, 40, "every field of the nine sections");
    // The notes of the sections with no field of the workflow's own are copied.
    for stem in STEMS {
        let body = site.read(&format!("content/{NEW}/{stem}.md"));
        let body = body.rsplit("+++\n").next().unwrap_or_default();
        if stem == "operability" || stem == "models" {
            assert_eq!(body, "Notes.\n", "{stem}");
        } else {
            assert_eq!(body, "\n## Notes\n\n", "{stem}");
        }
    }
}

#[test]
fn never_copies_eval_sets_results_or_other_files() {
    let site = proven()
        .file(&format!("content/{FROM}/notes.md"), "An extra page.\n")
        .file(&format!("content/{FROM}/_index.md"), "Intro.\n");
    let out = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files: Vec<String> = snapshot(&site.join(&format!("content/{NEW}")))
        .into_keys()
        .collect();
    let mut nine: Vec<String> = STEMS.iter().map(|s| format!("{s}.md")).collect();
    nine.sort();
    assert_eq!(files, nine, "the nine section files only");
    let (eval, _) = front_matter(&site, NEW, "evaluation");
    for field in ["eval_set", "results", "acceptance_criteria", "release_gate"] {
        assert!(is_placeholder(&eval[field]), "{field} = {}", eval[field]);
    }
    let text = site.read(&format!("content/{NEW}/evaluation.md"));
    assert!(!text.contains("evals/"), "no eval path survives:\n{text}");
}

#[test]
fn the_new_pack_builds_and_its_pages_show_the_copied_answers() {
    let site = replicated();
    let built = run(&site, &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let answer = |section: &str, field: &str| {
        let html = site.page(&format!("{NEW}/{section}/"));
        text(&one(&html, &format!("dl.answers [id=\"{field}\"] dd")))
    };
    assert_eq!(
        answer("accountability", "platform_owner"),
        "Pat Kim pat@acme.example"
    );
    assert!(answer("models", "approved").contains("acme/small-2"));
    assert!(answer("operability", "kill_switch").contains("Yes"));
    assert!(answer("accountability", "dri").contains("Missing"));
    assert!(answer("operability", "kill_switch_how").contains("Missing"));

    let (out, status) = site.check_json(&[]);
    assert_eq!(out.code, 0, "no errors: {}", out.stdout);
    let p = pack(&status, NEW);
    assert_eq!(p["completeness"], 33, "13 of 39 answered");
    assert_eq!(
        section_status(p, "operability"),
        (83, vec!["kill_switch_how".to_string()])
    );
    assert_eq!(section_status(p, "models"), (100, vec![]));
    assert_eq!(section_status(p, "workflow").0, 0);
}

#[test]
fn links_in_copied_notes_still_resolve() {
    let notes =
        "Cases: [the set](evals/cases.jsonl); [on call](incident.md#paging); [more](notes.md).\n";
    let site = proven()
        .section(
            FROM,
            "operability",
            common::complete_toml("operability"),
            notes,
        )
        .file(&format!("content/{FROM}/notes.md"), "# More\n");
    let out = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let built = run(&site, &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let html = site.page(&format!("{NEW}/operability/"));
    let hrefs: Vec<String> = common::select(&html, ".notes a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        hrefs,
        [
            "/ai-packs/support-triage/evals/cases.jsonl",
            "/ai-packs/invoice-check/incident/#paging",
            "/ai-packs/support-triage/notes/",
        ]
    );
}

#[test]
fn from_a_missing_pack_is_a_usage_error_that_lists_the_packs_and_writes_nothing() {
    let site = proven().complete_pack("meeting-notes");
    let before = snapshot(site.path());
    let out = run(&site, &["new", NEW, "--from", "support-triag"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.trim_end(),
        "error: --from: there is no pack `support-triag` in content/; did you mean `support-triage`? the packs are `meeting-notes`, `support-triage`; nothing was written"
    );
    assert_eq!(snapshot(site.path()), before);

    let far = run(&site, &["new", NEW, "--from", "zzz"]);
    assert_eq!(far.code, 2, "{}", far.stderr);
    assert_eq!(
        far.stderr.trim_end(),
        "error: --from: there is no pack `zzz` in content/; the packs are `meeting-notes`, `support-triage`; nothing was written"
    );
    // A path is not a pack, even one that leads to a pack folder.
    let path = run(&site, &["new", NEW, "--from", "../content/support-triage"]);
    assert_eq!(path.code, 2, "{}", path.stderr);
    assert_eq!(snapshot(site.path()), before);

    let empty = common::SiteBuilder::new();
    let none = run(&empty, &["new", NEW, "--from", FROM]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(none.stderr.contains("no packs yet"), "{}", none.stderr);
    assert!(!empty.join("content").exists(), "nothing written");
}

#[test]
fn from_itself_or_to_a_bad_slug_is_a_usage_error() {
    let site = proven();
    let before = snapshot(site.path());
    let same = run(&site, &["new", FROM, "--from", FROM]);
    assert_eq!(same.code, 2, "{}", same.stderr);
    assert!(
        same.stderr.contains("names the new pack itself"),
        "{}",
        same.stderr
    );
    let bad = run(&site, &["new", "Bad_Slug", "--from", FROM]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("not a valid pack slug"),
        "{}",
        bad.stderr
    );
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn a_pack_with_errors_gives_what_loads_and_a_warning_for_each_problem() {
    let site = proven()
        .section(
            FROM,
            "models",
            "approved = [\"acme/small-2\"]\nrouting_rule = 5\nfallback = \"Manual queue\"\n",
            "Models notes.\n",
        )
        .file(
            &format!("content/{FROM}/accountability.md"),
            "+++\nplatform_owner = \"Pat Kim <pat@acme.example>\"\n",
        );
    let out = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: content/support-triage/") && l.contains(".md:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", out.stderr);
    assert!(
        warnings[0].starts_with("warning: content/support-triage/accountability.md:1:1: "),
        "{}",
        out.stderr
    );
    assert!(
        warnings[1].starts_with("warning: content/support-triage/models.md:3:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("not copied but left as placeholders"),
        "{}",
        out.stderr
    );
    let (models, lines) = front_matter(&site, NEW, "models");
    assert_eq!(models["approved"].as_array().map(Vec::len), Some(1));
    assert_eq!(models["fallback"].as_str(), Some("Manual queue"));
    assert!(is_placeholder(&models["routing_rule"]));
    assert!(
        comment_above(&lines, "routing_rule")[0].contains("support-triage has no answer to copy"),
        "{lines:?}"
    );
    let (acc, _) = front_matter(&site, NEW, "accountability");
    assert!(
        is_placeholder(&acc["platform_owner"]),
        "an unreadable file gives nothing"
    );
    assert_eq!(
        run(&site, &["build"]).code,
        1,
        "the proven pack still has its errors"
    );
    assert_eq!(
        front_matter(&site, NEW, "operability").0["tracing"].as_bool(),
        Some(true)
    );
}

#[test]
fn never_overwrites_a_file_of_the_new_pack() {
    let custom = "+++\nplatform_owner = \"Our own <own@acme.example>\"\n+++\nKeep me.\n";
    let site = proven().file(&format!("content/{NEW}/accountability.md"), custom);
    let out = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("kept    content/invoice-check/accountability.md (already there)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Copied 11 org-wide answers"),
        "{}",
        out.stdout
    );
    assert_eq!(
        site.read(&format!("content/{NEW}/accountability.md")),
        custom
    );
    let before = snapshot(&site.join("content"));
    let again = run(&site, &["new", NEW, "--from", FROM]);
    assert_eq!(again.code, 2, "all nine there: {}", again.stderr);
    assert_eq!(snapshot(&site.join("content")), before);
}

#[test]
fn new_without_from_is_unchanged() {
    let site = proven();
    let out = run(&site, &["new", NEW]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        site.read(&format!("content/{NEW}/accountability.md")),
        concat!(
            "+++\n",
            "# Assign accountability: replace each placeholder with the answer.\n",
            "updated = 2026-11-26  # the day of the last change; git history wins in a repository\n",
            "dri = \"TBD\"           # the single directly responsible person, `Name <contact>`\n",
            "platform_owner = \"TBD\"# who owns the gateway and logging, one person\n",
            "security_owner = \"TBD\"# who owns policy and the threat model, one person\n",
            "data_owner = \"TBD\"    # who owns sources, permissions and freshness, one person\n",
            "incident_owner = \"TBD\"# who owns on-call and incidents, one person\n",
            "+++\n\n## Notes\n\n",
        )
    );
    for stem in STEMS {
        let (mut table, _) = front_matter(&site, NEW, stem);
        // The day it was written, the page's "last updated" until git has history.
        let updated = table.remove("updated").map(|v| v.to_string());
        assert_eq!(updated.as_deref(), Some(common::TODAY), "{stem}");
        assert!(table.values().all(is_placeholder), "{stem}: {table}");
        let text = site.read(&format!("content/{NEW}/{stem}.md"));
        assert!(!text.contains("support-triage"), "{stem}:\n{text}");
    }
    assert!(
        out.stdout.ends_with(
            "\nFill the answers in content/invoice-check/, then run `rollbook check`.\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn the_readme_lists_the_table_in_the_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("### Starting from a proven pack")
        .expect("README has the --from section");
    let rows: BTreeMap<String, [Vec<String>; 3]> = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| section |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<Vec<String>> = row
                .split('|')
                .map(|c| {
                    c.split(',')
                        .map(|n| n.trim().trim_matches('`').to_string())
                        .filter(|n| !n.is_empty())
                        .collect()
                })
                .collect();
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            (cell(1).join(""), [cell(2), cell(3), cell(4)])
        })
        .collect();
    let mut expected: BTreeMap<String, [Vec<String>; 3]> = BTreeMap::new();
    for field in Field::ALL {
        let row = expected
            .entry(field.section().as_str().to_string())
            .or_default();
        let column = match carry(*field) {
            Carry::Copy => 0,
            Carry::Adapt => 1,
            Carry::Fill => 2,
        };
        row[column].push(field.as_str().to_string());
    }
    assert_eq!(rows, expected);
    let copied: Vec<(&str, &str)> = Field::ALL
        .iter()
        .filter(|f| carry(**f) == Carry::Copy)
        .map(|f| (f.section().as_str(), f.as_str()))
        .collect();
    assert_eq!(copied, COPIED, "the tests here follow the table");
}

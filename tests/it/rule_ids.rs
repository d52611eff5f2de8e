//! Rule ids: each kind of finding, made by the real checks on a small site, carries its
//! own rule id in `check --format sarif`, whatever its message says.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-11-24";
const PACK: &str = "content/meeting-notes";

/// A fresh site made by `rollbook init`: one complete example pack, no findings.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let out = rollbook(dir.path(), &["init", root.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "init: {out:?}");
    (dir, root)
}

fn rollbook(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("rollbook runs")
}

/// `(ruleId, level, message)` of every result of `check --format sarif`, and the exit code.
fn sarif(root: &Path, today: &str, extra: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let root_arg = root.to_str().expect("utf-8 path");
    let mut args = vec![
        "--root", root_arg, "--today", today, "check", "--format", "sarif",
    ];
    args.extend_from_slice(extra);
    let out = rollbook(root, &args);
    let log: Value = serde_json::from_slice(&out.stdout).expect("a SARIF log");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let found = results
        .iter()
        .map(|r| {
            let id = r["ruleId"].as_str().expect("ruleId").to_string();
            // ruleIndex points at the rule of the same id.
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"].as_str(), Some(id.as_str()));
            (
                id,
                r["level"].as_str().expect("level").to_string(),
                r["message"]["text"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    (out.status.code().expect("exit code"), found)
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("read");
    let changed = f(text.clone());
    assert_ne!(changed, text, "the edit of {rel} changed nothing");
    fs::write(&path, changed).expect("write");
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn replace(from: &'static str, to: &'static str) -> impl FnOnce(String) -> String {
    move |t| t.replacen(from, to, 1)
}

/// One row: the rule id, a fragment of the message that must carry it, and how to make
/// the site show it (plus `today` and extra `check` arguments).
struct Row {
    id: &'static str,
    message: &'static str,
    today: &'static str,
    extra: &'static [&'static str],
    make: fn(&Path),
}

const fn row(id: &'static str, message: &'static str, make: fn(&Path)) -> Row {
    Row {
        id,
        message,
        today: TODAY,
        extra: &[],
        make,
    }
}

fn rows() -> Vec<Row> {
    vec![
        row("unreadable-file", "is not valid UTF-8", |r| {
            write(r, &format!("{PACK}/notes.md"), b"+++\n+++\nbad \xff byte\n")
        }),
        row("toml-syntax", "invalid TOML in front-matter", |r| {
            edit(
                r,
                &format!("{PACK}/data.md"),
                replace("updated = 2026-11-16", "updated = "),
            )
        }),
        row("unknown-key", "unknown key `colour`", |r| {
            edit(r, "site.toml", |t| format!("colour = \"red\"\n{t}"))
        }),
        row("wrong-type", "`title` must be a string", |r| {
            edit(
                r,
                "site.toml",
                replace("title = \"AI rollout packs\"", "title = 5"),
            )
        }),
        row(
            "one-accountable-person",
            "names more than one person",
            |r| {
                edit(
                    r,
                    &format!("{PACK}/accountability.md"),
                    replace(
                        "Maya Okafor <maya.okafor@example.com>",
                        "Maya Okafor and Jonas Berg",
                    ),
                )
            },
        ),
        row("phase-status", "phase status \"live\"", |r| {
            edit(
                r,
                &format!("{PACK}/rollout.md"),
                replace("status = \"active\"", "status = \"live\""),
            )
        }),
        row("pack-layout", "is not a valid slug", |r| {
            write(r, "content/Bad_Pack/data.md", b"+++\n+++\n")
        }),
        row(
            "missing-eval-file",
            "does not exist in the pack folder",
            |r| {
                edit(
                    r,
                    &format!("{PACK}/evaluation.md"),
                    replace("evals/cases.jsonl", "evals/gone.jsonl"),
                )
            },
        ),
        row("eval-data", "not valid JSON", |r| {
            edit(r, &format!("{PACK}/evals/results.jsonl"), |t| {
                format!("{t}not json\n")
            })
        }),
        row("broken-link", "broken link `nowhere.md`", |r| {
            edit(
                r,
                &format!("{PACK}/data.md"),
                replace("(evaluation.md)", "(nowhere.md)"),
            )
        }),
        row("theme", "theme `dark` not found", |r| {
            edit(r, "site.toml", |t| format!("theme = \"dark\"\n{t}"))
        }),
        row("site-config", "is not a URL", |r| {
            edit(
                r,
                "site.toml",
                replace(
                    "\"https://example.github.io/ai-packs\"",
                    "\"example dot com\"",
                ),
            )
        }),
        Row {
            extra: &["--min-completeness", "50"],
            ..row("min-completeness", "below --min-completeness 50", |r| {
                let out = rollbook(r, &["--root", r.to_str().expect("utf-8"), "new", "drafts"]);
                assert!(out.status.success(), "new: {out:?}");
            })
        },
        row("secret", "this looks like a secret", |r| {
            edit(r, &format!("{PACK}/data.md"), |t| {
                format!("{t}\nThe key was {}{}.\n", "AK", "IAHQZMVRTKPLWNBDJS")
            })
        }),
        row("small-eval-set", "the eval set has 3 case(s)", |r| {
            edit(r, &format!("{PACK}/evals/cases.jsonl"), |t| {
                t.lines().take(3).map(|l| format!("{l}\n")).collect()
            })
        }),
        row("gate-failing", "fails the release gate", |r| {
            edit(r, &format!("{PACK}/evals/results.jsonl"), |t| {
                format!("{t}{{\"date\": \"2026-11-23\", \"version\": \"prompt-v4\", \"model\": \"example/large-1\", \"metrics\": {{\"action_item_recall\": 0.5, \"hallucination_rate\": 0.0, \"faithfulness\": 0.97}}}}\n")
            })
        }),
        Row {
            today: "2027-06-01",
            ..row("stale-review", "the last weekly review was on", |_| {})
        },
        row("entry-bar-unmet", "entry bar is not met", |r| {
            // The active first phase needs the data section complete.
            edit(r, &format!("{PACK}/data.md"), |t| {
                t.lines()
                    .filter(|l| !l.starts_with("audit_log"))
                    .map(|l| format!("{l}\n"))
                    .collect()
            })
        }),
        row("site-title", "no `title`", |r| {
            edit(
                r,
                "site.toml",
                replace("title = \"AI rollout packs\"\n", ""),
            )
        }),
        row("content-error", "which is a folder", |r| {
            edit(
                r,
                &format!("{PACK}/evaluation.md"),
                replace("\"evals/cases.jsonl\"", "\"evals\""),
            )
        }),
        row("content-warning", "hidden file skipped", |r| {
            write(r, &format!("{PACK}/.notes.md"), b"+++\n+++\n")
        }),
    ]
}

#[test]
fn the_example_site_of_init_has_no_findings() {
    let (_dir, root) = new_site();
    let (code, found) = sarif(&root, TODAY, &[]);
    assert_eq!(code, 0);
    assert_eq!(found, Vec::new());
}

#[test]
fn the_table_has_one_row_per_rule_in_order() {
    let ids: Vec<&str> = rows().iter().map(|r| r.id).collect();
    let (_dir, root) = new_site();
    let log = rollbook(
        &root,
        &[
            "--root",
            root.to_str().expect("utf-8"),
            "check",
            "--format",
            "sarif",
        ],
    );
    let log: Value = serde_json::from_slice(&log.stdout).expect("SARIF");
    let listed: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(listed, ids);
}

#[test]
fn each_finding_carries_its_rule_id() {
    for row in rows() {
        let (_dir, root) = new_site();
        (row.make)(&root);
        let (_, found) = sarif(&root, row.today, row.extra);
        let hits: Vec<&(String, String, String)> = found
            .iter()
            .filter(|(_, _, message)| message.contains(row.message))
            .collect();
        assert!(
            !hits.is_empty(),
            "{}: no finding says {:?}; found {found:#?}",
            row.id,
            row.message
        );
        for (id, level, message) in hits {
            assert_eq!(id, row.id, "{message}");
            let want = if row.id == "content-warning" || is_warning_rule(row.id) {
                "warning"
            } else {
                "error"
            };
            assert_eq!(level, want, "{message}");
        }
    }
}

fn is_warning_rule(id: &str) -> bool {
    [
        "secret",
        "small-eval-set",
        "gate-failing",
        "stale-review",
        "entry-bar-unmet",
        "site-title",
    ]
    .contains(&id)
}

#[test]
fn a_message_that_quotes_another_rule_keeps_its_own_id() {
    // The unknown key's name is the wording of other rules; its id stays unknown-key.
    let (_dir, root) = new_site();
    edit(&root, &format!("{PACK}/data.md"), |t| {
        t.replacen("+++\n", "+++\n\"broken link\" = 1\n", 1)
    });
    let (code, found) = sarif(&root, TODAY, &[]);
    assert_eq!(code, 1);
    let ids: Vec<&str> = found
        .iter()
        .filter(|(_, _, m)| m.contains("unknown key `broken link`"))
        .map(|(id, _, _)| id.as_str())
        .collect();
    assert_eq!(ids, ["unknown-key"]);
}

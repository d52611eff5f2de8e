//! Errors stop `build` and `check` (exit 1) and name the file, line and column,
//! in `check --format json` and in the text output of `build`.
//!
//! Most errors share one shape: an author writes one thing wrong into a complete pack,
//! and rollbook reports exactly these errors. Those are rows of the tables below, one
//! table per kind of input; each row reads as "writing X gives this error at file:line:col,
//! saying what to do". Errors of another shape have a test of their own further down.

use crate::common::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A complete pack named `pack`, to break one file of.
fn good() -> SiteBuilder {
    SiteBuilder::new().complete_pack("pack")
}

/// One expected diagnostic, and the source line the text form shows under it (`None` when
/// the error has no source line, e.g. a folder name).
struct Want {
    diag: Diag,
    source: Option<String>,
}

/// One row of an error table: what is written over a complete pack, and what is reported.
struct Row {
    /// What the row proves, named when it fails.
    proves: &'static str,
    /// Files written over the complete pack `pack`, each replacing any earlier one.
    writes: Vec<(String, Vec<u8>)>,
    /// The errors `check` reports, in its order (file, line, column).
    wants: Vec<Want>,
}

fn row(proves: &'static str) -> Row {
    Row {
        proves,
        writes: Vec::new(),
        wants: Vec::new(),
    }
}

impl Row {
    /// Writes `text` to `rel`.
    fn writes(mut self, rel: &str, text: &str) -> Self {
        self.writes
            .push((rel.to_string(), text.as_bytes().to_vec()));
        self
    }

    /// Writes `bytes` (not necessarily UTF-8) to `rel`.
    fn writes_bytes(mut self, rel: &str, bytes: &[u8]) -> Self {
        self.writes.push((rel.to_string(), bytes.to_vec()));
        self
    }

    /// Writes section `stem` of `pack` with this front-matter and body.
    fn section(self, stem: &str, toml: &str, body: &str) -> Self {
        self.writes(&format!("content/pack/{stem}.md"), &md(toml, body))
    }

    /// Writes `site.toml`: the fixture's title and base_url, then `more`.
    fn site_toml(self, more: &str) -> Self {
        self.writes("site.toml", &format!("{SITE_TOML}{more}"))
    }

    /// Expects an error at `file:line:column` with exactly `message`, shown in text form
    /// over the source line `source`.
    fn error(self, file: &str, line: u64, column: u64, message: &str, source: &str) -> Self {
        self.want(Diag::error(file, line, column, message), Some(source))
    }

    /// Expects an error about a file or folder name, at `file:1:1` with no source line.
    fn error_at_name(self, file: &str, message: &str) -> Self {
        self.error_without_source(file, 1, 1, message)
    }

    /// Expects an error at `file:line:column` whose text form shows no source line.
    fn error_without_source(self, file: &str, line: u64, column: u64, message: &str) -> Self {
        self.want(Diag::error(file, line, column, message), None)
    }

    fn want(mut self, diag: Diag, source: Option<&str>) -> Self {
        self.wants.push(Want {
            diag,
            source: source.map(str::to_string),
        });
        self
    }

    fn site(&self) -> SiteBuilder {
        let site = good();
        for (rel, bytes) in &self.writes {
            site.write(rel, bytes);
        }
        site
    }
}

/// Runs every row and fails naming each row that does not hold (all rows run, so one
/// failure shows every broken case of the table at once).
fn table(rows: Vec<Row>) {
    let failed: Vec<&str> = rows
        .iter()
        .filter(|row| {
            assert!(
                !row.wants.is_empty(),
                "row `{}` expects nothing",
                row.proves
            );
            catch_unwind(AssertUnwindSafe(|| expect_errors(&row.site(), &row.wants))).is_err()
        })
        .map(|row| row.proves)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} rows failed (each one's assertion is above):\n  {}",
        failed.len(),
        rows.len(),
        failed.join("\n  ")
    );
}

/// The message fragments that tell the author what to do: every error says one.
const ADVICE: [&str; 20] = [
    "fix",
    "rename",
    "add",
    "quote",
    "save it",
    "write",
    "use ",
    "did you mean",
    "link to",
    "give every",
    "shorten",
    "remove",
    "set ",
    "e.g.",
    "copy",
    "name one",
    "check",
    "close",
    "one accountable person",
    "move",
];

/// Asserts `check --format json` reports exactly these errors (warnings are ignored) and
/// exits 1, and that `build` exits 1, prints each in text form, and writes nothing.
fn expect_errors(site: &SiteBuilder, wants: &[Want]) {
    let expected: Vec<Diag> = wants.iter().map(|w| w.diag.clone()).collect();
    assert_eq!(site.errors(), expected);
    for d in &expected {
        assert!(
            ADVICE.iter().any(|a| d.message.contains(a)),
            "the error does not say what to do: {}",
            d.message
        );
    }

    let out = site.build();
    assert_eq!(out.code, 1, "build exits 1 on errors:\n{}", out.stderr);
    for Want { diag: d, source } in wants {
        match source {
            Some(source) => assert_text_diag(
                &out.stderr,
                "error",
                &d.file,
                d.line,
                d.column,
                &d.message,
                source,
            ),
            None => {
                let header = format!("error: {}:{}:{}: {}", d.file, d.line, d.column, d.message);
                assert!(
                    out.stderr.lines().any(|l| l == header),
                    "no `{header}` in:\n{}",
                    out.stderr
                );
            }
        }
    }
    let n = wants.len();
    let summary = format!("build failed: {n} error{}", if n == 1 { "" } else { "s" });
    assert!(
        out.stderr.lines().any(|l| l.starts_with(&summary)),
        "no `{summary}` in:\n{}",
        out.stderr
    );
    assert!(
        !site.join("public").exists(),
        "a failed build writes no public/"
    );
}

#[test]
fn the_complete_fixture_has_no_diagnostics() {
    let (code, diags) = good().diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

/// How a section file is read: its encoding, its front-matter fences, its TOML syntax.
#[test]
fn front_matter_errors() {
    table(vec![
        // Line 1 is `+++`, so the fourth TOML line is line 5 of the file.
        row("a TOML syntax error points at the file's line")
            .section(
                "workflow",
                "name = \"Support triage\"\nprimary_user = \"Support agents\"\ntrigger = \"A new ticket\"\noutput = A suggested queue\n",
                "",
            )
            .error(
                "content/pack/workflow.md", 5, 10,
                "invalid TOML in front-matter: string values must be quoted, expected literal string; fix the syntax (strings need quotes, one key per line)",
                "output = A suggested queue",
            ),
        row("front-matter that is never closed")
            .writes(
                "content/pack/models.md",
                "+++\napproved = [\"acme/small-2\"]\n\nNotes without a closing line.\n",
            )
            .error(
                "content/pack/models.md", 1, 1,
                "front-matter opened with `+++` is never closed; add a `+++` line after the TOML",
                "+++",
            ),
        row("a file that is not UTF-8")
            .writes_bytes("content/pack/incident.md", b"+++\nreview_owner = \"Jos\xe9\"\n+++\n")
            .error(
                "content/pack/incident.md", 2, 20,
                "the file is not valid UTF-8 (bad byte at offset 23); save it as UTF-8",
                "review_owner = \"Jos",
            ),
    ]);
}

/// Keys a section does not have, at the top level and in its tables of entries.
#[test]
fn unknown_key_errors() {
    table(vec![
        row("an unknown key suggests the nearest")
            .section("data", &complete_toml("data").replace("sources", "sorces"), "")
            .error(
                "content/pack/data.md", 2, 1,
                "unknown key `sorces` in data.md; did you mean `sources`?",
                "sorces = [\"Zendesk tickets\", \"Help centre articles\"]",
            ),
        row("an unknown key in a release_gate entry")
            .section(
                "evaluation",
                &complete_toml("evaluation").replace(
                    "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
                    "release_gate = [{ metric = \"accuracy\", min = 0.9, max_dorp = 0.1 }]",
                ),
                "",
            )
            .error(
                "content/pack/evaluation.md", 4, 51,
                "unknown key `max_dorp` in a release_gate entry; did you mean `max_drop`?",
                "release_gate = [{ metric = \"accuracy\", min = 0.9, max_dorp = 0.1 }]",
            ),
        // dashboards, daily_checks, escalation_path, blank, [[phases]], name: audience is line 8.
        row("an unknown key in a phases entry")
            .section("rollout", &complete_toml("rollout").replace("audience =", "audiance ="), "")
            .error(
                "content/pack/rollout.md", 8, 1,
                "unknown key `audiance` in a phases entry; did you mean `audience`?",
                "audiance = \"The support team\"",
            ),
        row("an unknown key in a reviews entry")
            .section("rhythm", &complete_toml("rhythm").replace("next_change", "next_chnage"), "")
            .error(
                "content/pack/rhythm.md", 7, 1,
                "unknown key `next_chnage` in a reviews entry; did you mean `next_change`?",
                "next_chnage = \"Add billing examples\"",
            ),
        row("unknown keys in site.toml and in its tables")
            .site_toml("titel = \"x\"\n\n[rhythm]\nstale_after_dayz = 3\n")
            .error(
                "site.toml", 3, 1,
                "unknown key `titel` in site.toml; did you mean `title`?",
                "titel = \"x\"",
            )
            .error(
                "site.toml", 6, 1,
                "unknown key `stale_after_dayz` in [rhythm] of site.toml; did you mean `stale_after_days`?",
                "stale_after_dayz = 3",
            ),
    ]);
}

/// Answers of the wrong type, and answers outside what the field allows.
#[test]
fn answer_errors() {
    let one = |f: &str| {
        format!(
            "a pack needs one accountable person, e.g. `{f} = \"Dana Ortiz <dana@example.com>\"`"
        )
    };
    let acc = "content/pack/accountability.md";
    table(vec![
        row("a bool answer written as a string")
            .section(
                "operability",
                &complete_toml("operability").replace("kill_switch = true", "kill_switch = \"yes\""),
                "",
            )
            .error(
                "content/pack/operability.md", 6, 15,
                "`kill_switch` must be true or false, e.g. `kill_switch = true` (or \"TBD\" while unknown), not a string",
                "kill_switch = \"yes\"",
            ),
        row("a list answer written as a string, and a list entry that is not a string")
            .section(
                "workflow",
                &complete_toml("workflow").replace(
                    "hard_stops = [\"Never close a ticket\", \"Never reply to a customer\"]",
                    "hard_stops = \"x\"",
                ),
                "",
            )
            .section(
                "data",
                &complete_toml("data").replace(
                    "sources = [\"Zendesk tickets\", \"Help centre articles\"]",
                    "sources = [\"a\", 2]",
                ),
                "",
            )
            .error(
                "content/pack/data.md", 2, 17,
                "every entry of `sources` must be a string, not an integer; quote it",
                "sources = [\"a\", 2]",
            )
            .error(
                "content/pack/workflow.md", 7, 14,
                "`hard_stops` must be a list of strings, e.g. `hard_stops = [\"…\", \"…\"]`, not a string",
                "hard_stops = \"x\"",
            ),
        row("a wrong type's column counts characters, not bytes")
            .section(
                "evaluation",
                "eval_set = \"evals/cases.jsonl\"\nacceptance_criteria = [\"a\"]\nrelease_gate = [{ metric = \"précision\", min = \"high\" }]\n",
                "",
            )
            .error(
                "content/pack/evaluation.md", 4, 47,
                "`min` must be a number, e.g. `min = 0.95`, not a string",
                "release_gate = [{ metric = \"précision\", min = \"high\" }]",
            ),
        row("a phase status outside planned, active and done")
            .section(
                "rollout",
                &complete_toml("rollout").replace("status = \"active\"", "status = \"launched\""),
                "",
            )
            .error(
                "content/pack/rollout.md", 11, 10,
                "phase status \"launched\" is not one of \"planned\", \"active\", \"done\"; did you mean \"planned\"?",
                "status = \"launched\"",
            ),
        row("each accountability answer names one person, not a list or names joined by , ; / &")
            .section(
                "accountability",
                concat!(
                    "dri = [\"Dana Ortiz\", \"Sam Lee\"]\n",
                    "platform_owner = \"Pat Kim, Sam Lee <ops@acme.example>\"\n",
                    "security_owner = \"Sam Lee; Dana Ortiz\"\n",
                    "data_owner = \"Dee / Roy\"\n",
                    "incident_owner = \"Priya & Sam <+1 555 0100>\"\n",
                ),
                "",
            )
            .error(
                acc, 2, 7,
                "`dri` is a list, but it names one accountable person, not a committee; write one `\"Name <contact>\"` string",
                "dri = [\"Dana Ortiz\", \"Sam Lee\"]",
            )
            .error(
                acc, 3, 18,
                &format!("`platform_owner` names more than one person (joined by `,`); {}", one("platform_owner")),
                "platform_owner = \"Pat Kim, Sam Lee <ops@acme.example>\"",
            )
            .error(
                acc, 4, 18,
                &format!("`security_owner` names more than one person (joined by `;`); {}", one("security_owner")),
                "security_owner = \"Sam Lee; Dana Ortiz\"",
            )
            .error(
                acc, 5, 14,
                &format!("`data_owner` names more than one person (joined by `/`); {}", one("data_owner")),
                "data_owner = \"Dee / Roy\"",
            )
            .error(
                acc, 6, 18,
                &format!("`incident_owner` names more than one person (joined by `&`); {}", one("incident_owner")),
                "incident_owner = \"Priya & Sam <+1 555 0100>\"",
            ),
        row("an accountability answer names two people joined by `and`")
            .section(
                "accountability",
                &complete_toml("accountability").replace(
                    "Dana Ortiz <dana@acme.example>",
                    "Dana Ortiz and Sam Lee <dana@acme.example>",
                ),
                "",
            )
            .error(
                acc, 2, 7,
                &format!("`dri` names more than one person (joined by `and`); {}", one("dri")),
                "dri = \"Dana Ortiz and Sam Lee <dana@acme.example>\"",
            ),
    ]);
}

/// The eval files a pack names: that they exist, and each line of them.
#[test]
fn eval_file_errors() {
    let results = "content/pack/evals/results.jsonl";
    table(vec![
        row("eval_set and results name files that do not exist")
            .section(
                "evaluation",
                concat!(
                    "eval_set = \"evals/nope.jsonl\"\n",
                    "acceptance_criteria = [\"a\"]\n",
                    "release_gate = [{ metric = \"accuracy\", min = 0.9 }]\n",
                    "results = \"evals/gone.jsonl\"\n",
                ),
                "",
            )
            .error(
                "content/pack/evaluation.md", 2, 12,
                "`eval_set` file `evals/nope.jsonl` does not exist in the pack folder content/pack/; fix the path (it is relative to the pack folder) or add the file",
                "eval_set = \"evals/nope.jsonl\"",
            )
            .error(
                "content/pack/evaluation.md", 5, 11,
                "`results` file `evals/gone.jsonl` does not exist in the pack folder content/pack/; fix the path (it is relative to the pack folder) or add the file",
                "results = \"evals/gone.jsonl\"",
            ),
        row("malformed results lines are errors in the results file")
            .writes(
                results,
                &(run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.91")
                    + "{\"date\": \"2026-11-20\", \"metrics\": {\"accuracy\": \"high\"}}\n"
                    + "\n"
                    + "{\"date\": \"2026-11-21\", \"modle\": \"acme/small-2\", \"metrics\": {}}\n"
                    + "oops\n"),
            )
            .error(
                results, 2, 48,
                "metric \"accuracy\" must be a number, e.g. \"accuracy\": 0.97",
                "{\"date\": \"2026-11-20\", \"metrics\": {\"accuracy\": \"high\"}}",
            )
            .error(
                results, 4, 24,
                "unknown key \"modle\" (did you mean \"model\"?): a run's keys are date, version, model, cost and metrics",
                "{\"date\": \"2026-11-21\", \"modle\": \"acme/small-2\", \"metrics\": {}}",
            )
            .error(
                results, 5, 1,
                "run is not valid JSON (expected value): write one run per line, e.g. {\"date\": \"2026-11-20\", \"model\": \"acme/small-2\", \"cost\": 0.42, \"metrics\": {\"citation_rate\": 0.97}}",
                "oops",
            ),
        row("an eval case that is not JSON")
            .writes("content/pack/evals/cases.jsonl", &(jsonl_cases(20) + "{\"id\": \"case-21\",\n"))
            .error(
                "content/pack/evals/cases.jsonl", 21, 17,
                "eval case is not valid JSON (EOF while parsing an object): write one JSON case per line (JSON Lines), or use a .csv file with a header row",
                "{\"id\": \"case-21\",",
            ),
    ]);
}

/// Links and anchors in bodies and answers, and images.
#[test]
fn link_errors() {
    // data.md: `+++`, five TOML lines, `+++`, then the body from line 8.
    let two_links = "See [the plan](@/nope/x.md) and [models](modles.md).";
    // workflow.md: `+++`, six TOML lines, `+++`: the body starts at line 9.
    table(vec![
        row("broken internal links, by site path and by relative path")
            .section("data", complete_toml("data"), &format!("Intro.\n\n{two_links}\n"))
            .error(
                "content/pack/data.md", 10, 5,
                "broken link `@/nope/x.md`: there is no page content/nope/x.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                two_links,
            )
            .error(
                "content/pack/data.md", 10, 33,
                "broken link `modles.md`: there is no page content/pack/modles.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                two_links,
            ),
        row("a broken anchor on another page (good anchors beside it pass)")
            .section(
                "data",
                complete_toml("data"),
                "## Paging order\n\nGood: [p](@/pack/incident.md#paging), [h](#paging-order).\nBad: [x](@/pack/incident.md#nope).\n",
            )
            .error(
                "content/pack/data.md", 11, 6,
                "broken anchor `@/pack/incident.md#nope`: content/pack/incident.md has no heading or field with id `nope`; link to a heading's id (its text in lowercase, spaces as hyphens) or a field name",
                "Bad: [x](@/pack/incident.md#nope).",
            ),
        row("a broken image link")
            .section("workflow", complete_toml("workflow"), "The flow:\n\n![diagram](flow.svg)\n")
            .error(
                "content/pack/workflow.md", 11, 1,
                "broken link `flow.svg`: there is no file content/pack/flow.svg; fix the path or add the file",
                "![diagram](flow.svg)",
            ),
        // incident.md: `+++`, then incident_definition, immediate_actions, paging, comms_plan.
        row("a broken link in an answer")
            .section(
                "incident",
                &complete_toml("incident").replace(
                    "\"Post in the support channel\"",
                    "\"Post as in [the plan](@/pack/nope.md)\"",
                ),
                "",
            )
            .error(
                "content/pack/incident.md", 5, 14,
                "broken link `@/pack/nope.md`: there is no page content/pack/nope.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                "comms_plan = \"Post as in [the plan](@/pack/nope.md)\"",
            ),
    ]);
}

/// Names of pack folders and pages, which become URLs.
#[test]
fn layout_errors() {
    table(vec![
        row("runbook.md and checklist.md are reserved in a pack")
            .writes("content/pack/runbook.md", "# My runbook\n")
            .writes("content/pack/checklist.md", "# Mine\n")
            .error_at_name(
                "content/pack/checklist.md",
                "`checklist.md` is reserved: rollbook writes the pack's checklist page itself; rename the file",
            )
            .error_at_name(
                "content/pack/runbook.md",
                "`runbook.md` is reserved: rollbook writes the pack's runbook page itself; rename the file",
            ),
        row("a pack folder name that is not a slug")
            .writes("content/Support_Triage/workflow.md", &md("name = \"x\"\n", ""))
            .error_at_name(
                "content/Support_Triage",
                "pack folder `Support_Triage` is not a valid slug; rename it with lowercase letters, digits and hyphens only",
            ),
        row("a pack folder named as a page of the site itself")
            .writes("content/runbooks/workflow.md", &md("name = \"x\"\n", ""))
            .error_at_name(
                "content/runbooks",
                "`runbooks` is used by the site itself; rename the pack folder",
            ),
        row("a page beside a pack folder of the same name")
            .writes("content/pack.md", "# Pack\n")
            .error_at_name(
                "content/pack.md",
                "the page `pack.md` would take the URL of `pack/`, which is already used; rename the file",
            ),
        row("a page named as a page of the site itself")
            .writes("content/owners.md", "# Owners\n")
            .error_at_name(
                "content/owners.md",
                "the page `owners.md` would take the URL of `owners/`, which is already used; rename the file",
            ),
    ]);
}

/// site.toml's settings, and the theme it names.
#[test]
fn site_errors() {
    table(vec![
        row("a theme that does not exist, and a highlight theme that does not exist")
            .site_toml("theme = \"fancy\"\n\n[highlight]\ntheme = \"nope\"\n")
            .error(
                "site.toml", 3, 9,
                "theme `fancy` not found: add a themes/fancy/ folder with templates/ and static/, or use theme = \"default\"",
                "theme = \"fancy\"",
            )
            .error(
                "site.toml", 6, 9,
                "unknown [highlight] theme `nope`; use one of: InspiredGitHub, Solarized (dark), Solarized (light), base16-eighties.dark, base16-mocha.dark, base16-ocean.dark, base16-ocean.light",
                "theme = \"nope\"",
            ),
        row("stale_after_days that is not a whole number of days")
            .site_toml("\n[rhythm]\nstale_after_days = \"two weeks\"\n")
            .error(
                "site.toml", 5, 20,
                "`stale_after_days` must be a whole number of days, e.g. 14, not a string",
                "stale_after_days = \"two weeks\"",
            ),
        row("a theme that is not a folder name under themes/")
            .site_toml("theme = \"../shared\"\n")
            .error(
                "site.toml", 3, 9,
                "theme `../shared` must be a folder name under themes/, e.g. \"default\"",
                "theme = \"../shared\"",
            ),
        row("stale_after_days below 0")
            .site_toml("\n[rhythm]\nstale_after_days = -1\n")
            .error(
                "site.toml", 5, 20,
                "`stale_after_days` must be a whole number of days, 0 or more, e.g. 14",
                "stale_after_days = -1",
            ),
        row("a base_url that is not a URL")
            .writes(
                "site.toml",
                "title = \"Acme AI rollout packs\"\nbase_url = \"acme.github.io\"\n",
            )
            .error(
                "site.toml", 2, 12,
                "`acme.github.io` is not a URL; write it like \"https://acme.github.io/ai-packs\" or \"/\"",
                "base_url = \"acme.github.io\"",
            ),
        row("a template override that is not UTF-8")
            .writes_bytes("templates/partials/person.html", b"<b>Jos\xe9</b>\n")
            .error_at_name(
                "templates/partials/person.html",
                "the template is not valid UTF-8; save it as UTF-8",
            ),
        row("a template override that does not render")
            .writes(
                "templates/partials/person.html",
                "<b>{{ person.name }}</b>\n{% endfor %}\n",
            )
            .error_without_source(
                "templates/partials/person.html",
                2,
                1,
                "template error: Failed to parse 'partials/person.html':  --> 2:1   | 2 | {% endfor %}   | ^---   |   = unexpected tag; expected end of input, a macro definition tag (`{% macro my_macro() %}`, or some content; fix the template",
            ),
        row("a template override naming a variable that is not there, at the name")
            .writes(
                "templates/partials/runbooks_row.html",
                "<tr>\n  <td>{{ rb.nothing }}</td></tr>\n",
            )
            .error_without_source(
                "templates/partials/runbooks_row.html",
                2,
                10,
                "template error: Failed to render 'partials/runbooks_row.html': Variable `rb.nothing` not found in context while rendering 'partials/runbooks_row.html'; fix the template",
            ),
        row("a template override using a filter that does not exist, at the filter")
            .writes(
                "templates/section.html",
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title | shout }}</h1>{% endblock main %}\n",
            )
            .error_without_source(
                "templates/section.html",
                3,
                21,
                "template error: Failed to render 'section.html': Filter 'shout' not found; fix the template",
            ),
    ]);
}

#[test]
fn one_person_with_separators_only_in_the_contact_or_inside_words_is_fine() {
    let toml = concat!(
        "dri = \"Anderson Silva <anderson@acme.example>\"\n",
        "platform_owner = \"Platform team on-call <#ai-platform>\"\n",
        "security_owner = \"Dana <dana@acme.example, sec@acme.example>\"\n",
        "data_owner = \"Sandy Rand <https://acme.example/people/sandy>\"\n",
        "incident_owner = \"Priya N. <+1 555 0100>\"\n",
    );
    let site = good().section("pack", "accountability", toml, "");
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn many_broken_anchors_suggest_for_the_first_hundred() {
    // Each suggestion compares the fragment with every id of the page: after 100 broken
    // anchors in a pack the rest get the general advice, so the check stays linear.
    let mut body = String::new();
    for i in 0..150 {
        body.push_str(&format!("## Step {i}\n\n[next](#setp-{i})\n\n"));
    }
    let site = good().file("content/pack/steps.md", &body);
    let errors = site.errors();
    assert_eq!(errors.len(), 150);
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(
            (e.file.as_str(), e.line),
            ("content/pack/steps.md", 4 * i as u64 + 3)
        );
        assert!(
            e.message.starts_with(&format!("broken anchor `#setp-{i}`")),
            "{}",
            e.message
        );
        let hinted = e.message.contains("; did you mean `#");
        assert_eq!(hinted, i < 100, "{i}: {}", e.message);
        if !hinted {
            assert!(e.message.ends_with("link to a heading's id (its text in lowercase, spaces as hyphens) or a field name"), "{}", e.message);
        }
    }
}

#[test]
fn every_error_of_a_build_is_reported() {
    let site = SiteBuilder::new()
        .complete_pack("alpha")
        .complete_pack("beta")
        .section(
            "alpha",
            "data",
            &complete_toml("data").replace("audit_log", "audit_logs"),
            "",
        )
        .section(
            "beta",
            "operability",
            &complete_toml("operability").replace("tracing = true", "tracing = 1"),
            "",
        );
    expect_errors(
        &site,
        &row("two errors in two packs")
            .error(
                "content/alpha/data.md",
                6,
                1,
                "unknown key `audit_logs` in data.md; did you mean `audit_log`?",
                "audit_logs = \"Gateway logs in the warehouse\"",
            )
            .error(
                "content/beta/operability.md",
                3,
                11,
                "`tracing` must be true or false, e.g. `tracing = true` (or \"TBD\" while unknown), not an integer",
                "tracing = 1",
            )
            .wants,
    );
}

/// A complete pack whose every file starts with a BOM and uses CRLF line endings.
fn bom_crlf(site: SiteBuilder) -> SiteBuilder {
    for stem in STEMS {
        let text = md(complete_toml(stem), "## Notes\n\nSome notes.\n").replace('\n', "\r\n");
        site.write(
            &format!("content/pack/{stem}.md"),
            format!("\u{feff}{text}").as_bytes(),
        );
    }
    site
}

#[test]
fn bom_and_crlf_files_parse() {
    let site = bom_crlf(good());
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
    let (_, json) = site.check_json(&[]);
    assert_eq!(pack(&json, "pack")["completeness"], 100);
}

#[test]
fn bom_and_crlf_keep_line_numbers() {
    let site = bom_crlf(good());
    let toml = complete_toml("operability").replace("kill_switch = true", "kill_switch = \"yes\"");
    let text = format!("\u{feff}{}", md(&toml, "Body.\n").replace('\n', "\r\n"));
    site.write("content/pack/operability.md", text.as_bytes());
    let body = "Intro.\n\nSee [x](@/pack/nope.md).\n";
    let text = format!(
        "\u{feff}{}",
        md(complete_toml("data"), body).replace('\n', "\r\n")
    );
    site.write("content/pack/data.md", text.as_bytes());
    expect_errors(
        &site,
        &row("BOM and CRLF")
            .error(
                "content/pack/data.md",
                10,
                5,
                "broken link `@/pack/nope.md`: there is no page content/pack/nope.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                "See [x](@/pack/nope.md).",
            )
            .error(
                "content/pack/operability.md",
                6,
                15,
                "`kill_switch` must be true or false, e.g. `kill_switch = true` (or \"TBD\" while unknown), not a string",
                "kill_switch = \"yes\"",
            )
            .wants,
    );
}

#[test]
fn an_image_link_to_a_file_that_exists_is_fine() {
    let site = good()
        .section(
            "pack",
            "workflow",
            complete_toml("workflow"),
            "The flow:\n\n![diagram](flow.svg)\n",
        )
        .file(
            "content/pack/flow.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn percent_encoded_anchor_to_a_non_ascii_heading() {
    let site = good()
        .section("pack", "data", complete_toml("data"), "## Café Zürich\n")
        .section(
            "pack",
            "workflow",
            complete_toml("workflow"),
            "[a](@/pack/data.md#café-zürich), [b](@/pack/data.md#caf%C3%A9-z%C3%BCrich)\n",
        );
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn usage_error_when_no_site_toml() {
    let empty = SiteBuilder::empty();
    let out = empty.build();
    assert_eq!(out.code, 2, "{}", out.stderr);
    let expected = format!(
        "error: no site.toml in {}; pass the folder that holds site.toml, or create a site with `rollbook init`",
        empty.path().display()
    );
    assert_eq!(out.stderr.trim_end(), expected);
    assert!(!empty.join("public").exists());
    assert_eq!(empty.run(&["check"]).code, 2);
}

#[test]
fn usage_error_on_an_unknown_flag() {
    let site = good();
    let out = site.run(&["build", "--bogus"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: unexpected argument '--bogus' found"),
        "{}",
        out.stderr
    );
    assert!(!site.join("public").exists());
    let out = site.run(&["check", "--format", "yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: invalid value 'yaml' for '--format <FORMAT>'"),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_error_on_an_invalid_base_url() {
    let site = good();
    let out = site.run(&["build", "--base-url", "not a url"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!site.join("public").exists());
}

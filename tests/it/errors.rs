//! Errors stop `build` and `check` (exit 1) and name the file, line and column,
//! in `check --format json` and in the text output of `build`.

use crate::common::*;

/// A complete pack named `pack`, to break one file of.
fn good() -> SiteBuilder {
    SiteBuilder::new().complete_pack("pack")
}

/// One expected error: file, line, column, message, and the source line the text form shows
/// (`None` when the error has no source line, e.g. a folder name).
struct Want<'a>(&'a str, u64, u64, &'a str, Option<&'a str>);

/// Asserts `check --format json` reports exactly these errors (warnings are ignored) and
/// exits 1, and that `build` exits 1, prints each in text form, and writes nothing.
fn expect_errors(site: &SiteBuilder, wants: &[Want]) {
    let (code, diags) = site.diags();
    let errors = of_severity(&diags, "error");
    let expected: Vec<Diag> = wants
        .iter()
        .map(|w| Diag {
            severity: "error".into(),
            file: w.0.into(),
            line: w.1,
            column: w.2,
            message: w.3.into(),
        })
        .collect();
    assert_eq!(errors, expected);
    assert_eq!(code, 1, "check exits 1 on errors");

    let out = site.build();
    assert_eq!(out.code, 1, "build exits 1 on errors:\n{}", out.stderr);
    for w in wants {
        match w.4 {
            Some(source) => assert_text_diag(&out.stderr, "error", w.0, w.1, w.2, w.3, source),
            None => {
                let header = format!("error: {}:{}:{}: {}", w.0, w.1, w.2, w.3);
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

fn expect_error(site: &SiteBuilder, want: Want) {
    expect_errors(site, &[want]);
}

#[test]
fn the_complete_fixture_has_no_diagnostics() {
    let (code, diags) = good().diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn toml_syntax_error_points_at_the_file_line() {
    let site = good().section(
        "pack",
        "workflow",
        "name = \"Support triage\"\nprimary_user = \"Support agents\"\ntrigger = \"A new ticket\"\noutput = A suggested queue\n",
        "",
    );
    // Line 1 is `+++`, so the fourth TOML line is line 5 of the file.
    expect_error(
        &site,
        Want(
            "content/pack/workflow.md",
            5,
            10,
            "invalid TOML in front-matter: string values must be quoted, expected literal string; fix the syntax (strings need quotes, one key per line)",
            Some("output = A suggested queue"),
        ),
    );
}

#[test]
fn wrong_type_of_a_bool_field() {
    let toml = complete_toml("operability").replace("kill_switch = true", "kill_switch = \"yes\"");
    let site = good().section("pack", "operability", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/operability.md",
            6,
            15,
            "`kill_switch` must be true or false, e.g. `kill_switch = true` (or \"TBD\" while unknown), not a string",
            Some("kill_switch = \"yes\""),
        ),
    );
}

#[test]
fn wrong_type_of_a_list_field_and_of_a_list_entry() {
    let workflow = complete_toml("workflow").replace(
        "hard_stops = [\"Never close a ticket\", \"Never reply to a customer\"]",
        "hard_stops = \"x\"",
    );
    let data = complete_toml("data").replace(
        "sources = [\"Zendesk tickets\", \"Help centre articles\"]",
        "sources = [\"a\", 2]",
    );
    let site = good()
        .section("pack", "workflow", &workflow, "")
        .section("pack", "data", &data, "");
    expect_errors(
        &site,
        &[
            Want(
                "content/pack/data.md",
                2,
                17,
                "every entry of `sources` must be a string, not an integer; quote it",
                Some("sources = [\"a\", 2]"),
            ),
            Want(
                "content/pack/workflow.md",
                7,
                14,
                "`hard_stops` must be a list of strings, e.g. `hard_stops = [\"…\", \"…\"]`, not a string",
                Some("hard_stops = \"x\""),
            ),
        ],
    );
}

#[test]
fn wrong_type_column_counts_characters_not_bytes() {
    let site = good().section(
        "pack",
        "evaluation",
        "eval_set = \"evals/cases.jsonl\"\nacceptance_criteria = [\"a\"]\nrelease_gate = [{ metric = \"précision\", min = \"high\" }]\n",
        "",
    );
    expect_error(
        &site,
        Want(
            "content/pack/evaluation.md",
            4,
            47,
            "`min` must be a number, e.g. `min = 0.95`, not a string",
            Some("release_gate = [{ metric = \"précision\", min = \"high\" }]"),
        ),
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let toml = complete_toml("data").replace("sources", "sorces");
    let site = good().section("pack", "data", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/data.md",
            2,
            1,
            "unknown key `sorces` in data.md; did you mean `sources`?",
            Some("sorces = [\"Zendesk tickets\", \"Help centre articles\"]"),
        ),
    );
}

#[test]
fn unknown_key_in_a_release_gate_entry() {
    let toml = complete_toml("evaluation").replace(
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
        "release_gate = [{ metric = \"accuracy\", min = 0.9, max_dorp = 0.1 }]",
    );
    let site = good().section("pack", "evaluation", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/evaluation.md",
            4,
            51,
            "unknown key `max_dorp` in a release_gate entry; did you mean `max_drop`?",
            Some("release_gate = [{ metric = \"accuracy\", min = 0.9, max_dorp = 0.1 }]"),
        ),
    );
}

#[test]
fn unknown_key_in_a_phases_entry() {
    let toml = complete_toml("rollout").replace("audience =", "audiance =");
    let site = good().section("pack", "rollout", &toml, "");
    // dashboards, daily_checks, escalation_path, blank, [[phases]], name: audience is line 8.
    expect_error(
        &site,
        Want(
            "content/pack/rollout.md",
            8,
            1,
            "unknown key `audiance` in a phases entry; did you mean `audience`?",
            Some("audiance = \"The support team\""),
        ),
    );
}

#[test]
fn unknown_key_in_a_reviews_entry() {
    let toml = complete_toml("rhythm").replace("next_change", "next_chnage");
    let site = good().section("pack", "rhythm", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/rhythm.md",
            7,
            1,
            "unknown key `next_chnage` in a reviews entry; did you mean `next_change`?",
            Some("next_chnage = \"Add billing examples\""),
        ),
    );
}

#[test]
fn phase_status_outside_the_three_values() {
    let toml = complete_toml("rollout").replace("status = \"active\"", "status = \"launched\"");
    let site = good().section("pack", "rollout", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/rollout.md",
            11,
            10,
            "phase status \"launched\" is not one of \"planned\", \"active\", \"done\"; did you mean \"planned\"?",
            Some("status = \"launched\""),
        ),
    );
}

#[test]
fn accountability_names_one_person() {
    let toml = concat!(
        "dri = [\"Dana Ortiz\", \"Sam Lee\"]\n",
        "platform_owner = \"Pat Kim, Sam Lee <ops@acme.example>\"\n",
        "security_owner = \"Sam Lee; Dana Ortiz\"\n",
        "data_owner = \"Dee / Roy\"\n",
        "incident_owner = \"Priya & Sam <+1 555 0100>\"\n",
    );
    let site = good().section("pack", "accountability", toml, "");
    let one = |f: &str| {
        format!(
            "a pack needs one accountable person, e.g. `{f} = \"Dana Ortiz <dana@example.com>\"`"
        )
    };
    let platform = format!(
        "`platform_owner` names more than one person (joined by `,`); {}",
        one("platform_owner")
    );
    let security = format!(
        "`security_owner` names more than one person (joined by `;`); {}",
        one("security_owner")
    );
    let data = format!(
        "`data_owner` names more than one person (joined by `/`); {}",
        one("data_owner")
    );
    let incident = format!(
        "`incident_owner` names more than one person (joined by `&`); {}",
        one("incident_owner")
    );
    let f = "content/pack/accountability.md";
    expect_errors(
        &site,
        &[
            Want(
                f,
                2,
                7,
                "`dri` is a list, but it names one accountable person, not a committee; write one `\"Name <contact>\"` string",
                Some("dri = [\"Dana Ortiz\", \"Sam Lee\"]"),
            ),
            Want(f, 3, 18, &platform, Some("platform_owner = \"Pat Kim, Sam Lee <ops@acme.example>\"")),
            Want(f, 4, 18, &security, Some("security_owner = \"Sam Lee; Dana Ortiz\"")),
            Want(f, 5, 14, &data, Some("data_owner = \"Dee / Roy\"")),
            Want(f, 6, 18, &incident, Some("incident_owner = \"Priya & Sam <+1 555 0100>\"")),
        ],
    );
}

#[test]
fn accountability_names_joined_by_and() {
    let toml = complete_toml("accountability").replace(
        "Dana Ortiz <dana@acme.example>",
        "Dana Ortiz and Sam Lee <dana@acme.example>",
    );
    let site = good().section("pack", "accountability", &toml, "");
    expect_error(
        &site,
        Want(
            "content/pack/accountability.md",
            2,
            7,
            "`dri` names more than one person (joined by `and`); a pack needs one accountable person, e.g. `dri = \"Dana Ortiz <dana@example.com>\"`",
            Some("dri = \"Dana Ortiz and Sam Lee <dana@acme.example>\""),
        ),
    );
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
fn missing_eval_set_and_results_files() {
    let toml = concat!(
        "eval_set = \"evals/nope.jsonl\"\n",
        "acceptance_criteria = [\"a\"]\n",
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]\n",
        "results = \"evals/gone.jsonl\"\n",
    );
    let site = good().section("pack", "evaluation", toml, "");
    expect_errors(
        &site,
        &[
            Want(
                "content/pack/evaluation.md",
                2,
                12,
                "`eval_set` file `evals/nope.jsonl` does not exist in the pack folder content/pack/; fix the path (it is relative to the pack folder) or add the file",
                Some("eval_set = \"evals/nope.jsonl\""),
            ),
            Want(
                "content/pack/evaluation.md",
                5,
                11,
                "`results` file `evals/gone.jsonl` does not exist in the pack folder content/pack/; fix the path (it is relative to the pack folder) or add the file",
                Some("results = \"evals/gone.jsonl\""),
            ),
        ],
    );
}

#[test]
fn malformed_results_lines_are_errors_in_the_results_file() {
    let results = run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.91")
        + "{\"date\": \"2026-11-20\", \"metrics\": {\"accuracy\": \"high\"}}\n"
        + "\n"
        + "{\"date\": \"2026-11-21\", \"modle\": \"acme/small-2\", \"metrics\": {}}\n"
        + "oops\n";
    let site = good().file("content/pack/evals/results.jsonl", &results);
    expect_errors(
        &site,
        &[
            Want(
                "content/pack/evals/results.jsonl",
                2,
                48,
                "metric \"accuracy\" must be a number, e.g. \"accuracy\": 0.97",
                Some("{\"date\": \"2026-11-20\", \"metrics\": {\"accuracy\": \"high\"}}"),
            ),
            Want(
                "content/pack/evals/results.jsonl",
                4,
                24,
                "unknown key \"modle\" (did you mean \"model\"?): a run's keys are date, version, model, cost and metrics",
                Some("{\"date\": \"2026-11-21\", \"modle\": \"acme/small-2\", \"metrics\": {}}"),
            ),
            Want(
                "content/pack/evals/results.jsonl",
                5,
                1,
                "run is not valid JSON (expected value): write one run per line, e.g. {\"date\": \"2026-11-20\", \"model\": \"acme/small-2\", \"cost\": 0.42, \"metrics\": {\"citation_rate\": 0.97}}",
                Some("oops"),
            ),
        ],
    );
}

#[test]
fn invalid_utf8() {
    let site = good();
    site.write(
        "content/pack/incident.md",
        b"+++\nreview_owner = \"Jos\xe9\"\n+++\n",
    );
    expect_error(
        &site,
        Want(
            "content/pack/incident.md",
            2,
            20,
            "the file is not valid UTF-8 (bad byte at offset 23); save it as UTF-8",
            Some("review_owner = \"Jos"),
        ),
    );
}

#[test]
fn unterminated_front_matter() {
    let site = good().file(
        "content/pack/models.md",
        "+++\napproved = [\"acme/small-2\"]\n\nNotes without a closing line.\n",
    );
    expect_error(
        &site,
        Want(
            "content/pack/models.md",
            1,
            1,
            "front-matter opened with `+++` is never closed; add a `+++` line after the TOML",
            Some("+++"),
        ),
    );
}

#[test]
fn broken_internal_link() {
    // data.md: `+++`, five TOML lines, `+++`, then the body from line 8.
    let body = "Intro.\n\nSee [the plan](@/nope/x.md) and [models](modles.md).\n";
    let site = good().section("pack", "data", complete_toml("data"), body);
    let source = "See [the plan](@/nope/x.md) and [models](modles.md).";
    expect_errors(
        &site,
        &[
            Want(
                "content/pack/data.md",
                10,
                5,
                "broken link `@/nope/x.md`: there is no page content/nope/x.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                Some(source),
            ),
            Want(
                "content/pack/data.md",
                10,
                33,
                "broken link `modles.md`: there is no page content/pack/modles.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                Some(source),
            ),
        ],
    );
}

#[test]
fn broken_anchor() {
    let body = "## Paging order\n\nGood: [p](@/pack/incident.md#paging), [h](#paging-order).\nBad: [x](@/pack/incident.md#nope).\n";
    let site = good().section("pack", "data", complete_toml("data"), body);
    expect_error(
        &site,
        Want(
            "content/pack/data.md",
            11,
            6,
            "broken anchor `@/pack/incident.md#nope`: content/pack/incident.md has no heading or field with id `nope`; link to a heading's id (its text in lowercase, spaces as hyphens) or a field name",
            Some("Bad: [x](@/pack/incident.md#nope)."),
        ),
    );
}

#[test]
fn many_broken_anchors_suggest_for_the_first_hundred() {
    // Each suggestion compares the fragment with every id of the page: after 100 broken
    // anchors the rest get the general advice, so the check stays linear.
    let mut body = String::new();
    for i in 0..150 {
        body.push_str(&format!("## Step {i}\n\n[next](#setp-{i})\n\n"));
    }
    let site = good().file("content/pack/steps.md", &body);
    let (code, diags) = site.diags();
    assert_eq!(code, 1);
    let errors = of_severity(&diags, "error");
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
fn reserved_file_names() {
    let site = good()
        .file("content/pack/runbook.md", "# My runbook\n")
        .file("content/pack/checklist.md", "# Mine\n");
    expect_errors(
        &site,
        &[
            Want(
                "content/pack/checklist.md",
                1,
                1,
                "`checklist.md` is reserved: rollbook writes the pack's checklist page itself; rename the file",
                None,
            ),
            Want(
                "content/pack/runbook.md",
                1,
                1,
                "`runbook.md` is reserved: rollbook writes the pack's runbook page itself; rename the file",
                None,
            ),
        ],
    );
}

#[test]
fn invalid_pack_folder_name() {
    let site = good().section("Support_Triage", "workflow", "name = \"x\"\n", "");
    expect_error(
        &site,
        Want(
            "content/Support_Triage",
            1,
            1,
            "pack folder `Support_Triage` is not a valid slug; rename it with lowercase letters, digits and hyphens only",
            None,
        ),
    );
}

#[test]
fn unknown_keys_in_site_toml() {
    let site = good().file(
        "site.toml",
        &format!("{SITE_TOML}titel = \"x\"\n\n[rhythm]\nstale_after_dayz = 3\n"),
    );
    expect_errors(
        &site,
        &[
            Want("site.toml", 3, 1, "unknown key `titel` in site.toml; did you mean `title`?", Some("titel = \"x\"")),
            Want(
                "site.toml",
                6,
                1,
                "unknown key `stale_after_dayz` in [rhythm] of site.toml; did you mean `stale_after_days`?",
                Some("stale_after_dayz = 3"),
            ),
        ],
    );
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
        &[
            Want(
                "content/alpha/data.md",
                6,
                1,
                "unknown key `audit_logs` in data.md; did you mean `audit_log`?",
                Some("audit_logs = \"Gateway logs in the warehouse\""),
            ),
            Want(
                "content/beta/operability.md",
                3,
                11,
                "`tracing` must be true or false, e.g. `tracing = true` (or \"TBD\" while unknown), not an integer",
                Some("tracing = 1"),
            ),
        ],
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
        &[
            Want(
                "content/pack/data.md",
                10,
                5,
                "broken link `@/pack/nope.md`: there is no page content/pack/nope.md; fix the path (use `@/pack/file.md` or a path relative to this file)",
                Some("See [x](@/pack/nope.md)."),
            ),
            Want(
                "content/pack/operability.md",
                6,
                15,
                "`kill_switch` must be true or false, e.g. `kill_switch = true` (or \"TBD\" while unknown), not a string",
                Some("kill_switch = \"yes\""),
            ),
        ],
    );
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
fn broken_image_link() {
    let site = good().section(
        "pack",
        "workflow",
        complete_toml("workflow"),
        "The flow:\n\n![diagram](flow.svg)\n",
    );
    // workflow.md: `+++`, six TOML lines, `+++`: the body starts at line 9.
    expect_error(
        &site,
        Want(
            "content/pack/workflow.md",
            11,
            1,
            "broken link `flow.svg`: there is no file content/pack/flow.svg; fix the path or add the file",
            Some("![diagram](flow.svg)"),
        ),
    );
    // With the file in place, the same link is fine.
    let site = site.file(
        "content/pack/flow.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn reserved_pack_folder_name() {
    let site = good().section("runbooks", "workflow", "name = \"x\"\n", "");
    expect_error(
        &site,
        Want(
            "content/runbooks",
            1,
            1,
            "`runbooks` is used by the site itself; rename the pack folder",
            None,
        ),
    );
}

#[test]
fn unknown_themes_point_at_their_values() {
    let site = good().file(
        "site.toml",
        &format!("{SITE_TOML}theme = \"fancy\"\n\n[highlight]\ntheme = \"nope\"\n"),
    );
    expect_errors(
        &site,
        &[
            Want(
                "site.toml",
                3,
                9,
                "theme `fancy` not found: add a themes/fancy/ folder with templates/ and static/, or use theme = \"default\"",
                Some("theme = \"fancy\""),
            ),
            Want(
                "site.toml",
                6,
                9,
                "unknown [highlight] theme `nope`; use one of: InspiredGitHub, Solarized (dark), Solarized (light), base16-eighties.dark, base16-mocha.dark, base16-ocean.dark, base16-ocean.light",
                Some("theme = \"nope\""),
            ),
        ],
    );
}

#[test]
fn broken_link_in_an_answer() {
    let toml = complete_toml("incident").replace(
        "\"Post in the support channel\"",
        "\"Post as in [the plan](@/pack/nope.md)\"",
    );
    let site = good().section("pack", "incident", &toml, "");
    let (code, diags) = site.diags();
    let errors = of_severity(&diags, "error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/pack/incident.md", 5)
    );
    assert!(
        errors[0]
            .message
            .starts_with("broken link `@/pack/nope.md`"),
        "{}",
        errors[0].message
    );
    assert_eq!(code, 1);
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
fn usage_error_on_an_invalid_base_url() {
    let site = good();
    let out = site.run(&["build", "--base-url", "not a url"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!site.join("public").exists());
}

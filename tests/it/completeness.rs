//! Completeness, placeholders and the fields of status.json, worked out by hand.

use crate::common::*;
use serde_json::{json, Value};

/// Builds (asserting success) and returns the pack's entry of status.json.
fn built_pack(site: &SiteBuilder, slug: &str) -> Value {
    site.build_ok();
    pack(&site.status(), slug).clone()
}

/// All nine sections at 100% except those listed as `(stem, pct, missing)`.
fn sections_except(changed: &[(&str, u64, &[&str])]) -> Value {
    let list: Vec<Value> = STEMS
        .iter()
        .map(|stem| match changed.iter().find(|c| c.0 == *stem) {
            Some((_, pct, missing)) => {
                json!({ "section": stem, "completeness": pct, "missing": missing })
            }
            None => json!({ "section": stem, "completeness": 100, "missing": [] }),
        })
        .collect();
    Value::Array(list)
}

#[test]
fn complete_pack_is_100_and_ready() {
    let site = SiteBuilder::new().complete_pack("pack");
    let p = built_pack(&site, "pack");
    assert_eq!(p["completeness"], 100);
    assert_eq!(p["sections"], sections_except(&[]));
    assert_eq!(p["ready"], true);
    assert_eq!(p["phase"], "Dogfood");
    assert_eq!(p["gate"], "pass");
    assert_eq!(p["dri"], "Dana Ortiz <dana@acme.example>");
    assert_eq!(p["name"], "Support triage");
    assert_eq!(p["last_review"], "2026-11-20");
    assert_eq!(p["stale"], false);
}

#[test]
fn every_placeholder_form_is_unfilled() {
    let forms = [
        "",
        "TBD",
        "todo",
        " N/A ",
        "?",
        "-",
        "…",
        "TBD: later",
        "TODO: x",
        "<name>",
        "tbd",
        "ToDo",
        "n/a",
        "< owner >",
    ];
    let mut site = SiteBuilder::new();
    for (i, form) in forms.iter().enumerate() {
        let toml = complete_toml("workflow").replace("A new ticket arrives", form);
        site =
            site.complete_pack(&format!("p{i}"))
                .section(&format!("p{i}"), "workflow", &toml, "");
    }
    site.build_ok();
    let status = site.status();
    for (i, form) in forms.iter().enumerate() {
        let p = pack(&status, &format!("p{i}"));
        // workflow 5/6 = 83.3 → 83; pack 38/39 = 97.4 → 97.
        assert_eq!(
            p["sections"],
            sections_except(&[("workflow", 83, &["trigger"])]),
            "{form:?}"
        );
        assert_eq!(p["completeness"], 97, "{form:?}");
        assert_eq!(p["ready"], false, "{form:?}: not 100% complete");
    }
}

#[test]
fn placeholders_stand_in_for_any_kind_of_field() {
    // A placeholder string is accepted (no error) for a bool, a path, a person, a list and
    // a table list, and each is unfilled. A placeholder path is not looked up.
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "pack",
            "operability",
            &complete_toml("operability").replace("kill_switch = true", "kill_switch = \"TBD\""),
            "",
        )
        .section(
            "pack",
            "evaluation",
            &complete_toml("evaluation")
                .replace("\"evals/cases.jsonl\"", "\"TBD: ask Ravi\"")
                .replace(
                    "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
                    "release_gate = \"TODO\"",
                ),
            "",
        )
        .section(
            "pack",
            "accountability",
            &complete_toml("accountability")
                .replace("Dee Roy <dee@acme.example>", "TBD: Dee, Roy or Sam"),
            "",
        )
        .section(
            "pack",
            "models",
            &complete_toml("models").replace("[\"acme/small-2\"]", "\"?\""),
            "",
        );
    let (code, diags) = site.diags();
    let errors = of_severity(&diags, "error");
    assert_eq!(errors, vec![]);
    assert_eq!(code, 0);
    let p = built_pack(&site, "pack");
    // operability 5/6 = 83; evaluation 1/3 = 33; accountability 4/5 = 80; models 2/3 = 66.
    // Pack 39 - 5 = 34/39 = 87.2 → 87.
    assert_eq!(
        p["sections"],
        sections_except(&[
            ("accountability", 80, &["data_owner"]),
            ("evaluation", 33, &["eval_set", "release_gate"]),
            ("operability", 83, &["kill_switch"]),
            ("models", 66, &["approved"]),
        ])
    );
    assert_eq!(p["completeness"], 87);
}

#[test]
fn not_applicable_with_a_reason_is_filled() {
    let toml = complete_toml("data").replace("\"30 days\"", "\"N/A: nothing is stored\"");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "data", &toml, "");
    let p = built_pack(&site, "pack");
    assert_eq!(p["completeness"], 100);
    assert_eq!(p["sections"], sections_except(&[]));
}

#[test]
fn false_is_an_answer() {
    // Every operability bool false: still 6/6 filled (the phase warning is allowed).
    let toml = complete_toml("operability").replace("true", "false");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "operability", &toml, "");
    let p = built_pack(&site, "pack");
    assert_eq!(p["sections"], sections_except(&[]));
    assert_eq!(p["completeness"], 100);
    // ...but a pack whose operability answers are not all true is not ready to scale.
    assert_eq!(p["ready"], false);
}

#[test]
fn lists_with_a_placeholder_entry_or_no_entry_are_unfilled() {
    let workflow = complete_toml("workflow").replace("\"Never reply to a customer\"", "\"TBD\"");
    let data =
        complete_toml("data").replace("[\"Zendesk tickets\", \"Help centre articles\"]", "[]");
    let incident = complete_toml("incident").replace(
        "[\"Priya N. <+1 555 0100>\"]",
        "[\"Priya N. <+1 555 0100>\", \"<name>\"]",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "workflow", &workflow, "")
        .section("pack", "data", &data, "")
        .section("pack", "incident", &incident, "");
    let p = built_pack(&site, "pack");
    // workflow 5/6 = 83, data 4/5 = 80, incident 5/6 = 83; pack 36/39 = 92.3 → 92.
    assert_eq!(
        p["sections"],
        sections_except(&[
            ("workflow", 83, &["hard_stops"]),
            ("data", 80, &["sources"]),
            ("incident", 83, &["paging"])
        ])
    );
    assert_eq!(p["completeness"], 92);
}

#[test]
fn table_entries_need_their_required_keys() {
    // A gate with a metric but no bound; a phase without feedback_channel; a review without a date.
    let eval = complete_toml("evaluation").replace(
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }, { metric = \"recall\" }]",
    );
    let rollout = complete_toml("rollout")
        .replace("feedback_channel = \"The triage feedback channel\"\n", "");
    let rhythm = complete_toml("rhythm").replace("date = 2026-11-20\n", "");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "evaluation", &eval, "")
        .section("pack", "rollout", &rollout, "")
        .section("pack", "rhythm", &rhythm, "");
    let p = built_pack(&site, "pack");
    // evaluation 2/3 = 66, rollout 3/4 = 75, rhythm 0/1 = 0; pack 36/39 = 92.
    assert_eq!(
        p["sections"],
        sections_except(&[
            ("evaluation", 66, &["release_gate"]),
            ("rollout", 75, &["phases"]),
            ("rhythm", 0, &["reviews"]),
        ])
    );
    assert_eq!(p["completeness"], 92);
    // The review has no date: there is no last review.
    assert_eq!(p["last_review"], Value::Null);
}

#[test]
fn a_gate_with_only_max_drop_or_max_is_filled() {
    let eval = complete_toml("evaluation").replace(
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
        "release_gate = [{ metric = \"accuracy\", max_drop = 0.1 }, { metric = \"cost\", max = 1 }]",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "evaluation", &eval, "");
    let p = built_pack(&site, "pack");
    assert_eq!(p["completeness"], 100);
}

#[test]
fn empty_table_lists_are_unfilled() {
    let eval = complete_toml("evaluation").replace(
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
        "release_gate = []",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "evaluation", &eval, "")
        .section("pack", "rhythm", "reviews = []\n", "");
    let p = built_pack(&site, "pack");
    // evaluation 2/3 = 66, rhythm 0/1 = 0: 37/39 = 94.9 → 94.
    assert_eq!(
        p["sections"],
        sections_except(&[
            ("evaluation", 66, &["release_gate"]),
            ("rhythm", 0, &["reviews"])
        ])
    );
    assert_eq!(p["completeness"], 94);
}

#[test]
fn results_is_not_counted() {
    // Without `results` the evaluation section is still 3/3; the gate is `none`.
    let eval = complete_toml("evaluation").replace("results = \"evals/results.jsonl\"\n", "");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "evaluation", &eval, "");
    let p = built_pack(&site, "pack");
    assert_eq!(p["sections"], sections_except(&[]));
    assert_eq!(p["completeness"], 100);
    assert_eq!(p["gate"], "none");
    // No passing gate: not ready to scale, although 100% complete.
    assert_eq!(p["ready"], false);
}

#[test]
fn a_missing_section_file_is_zero() {
    let site = SiteBuilder::new().complete_pack("pack");
    std::fs::remove_file(site.join("content/pack/incident.md")).expect("rm");
    let p = built_pack(&site, "pack");
    let all: &[&str] = fields_of("incident");
    // incident 0/6; pack 33/39 = 84.6 → 84.
    assert_eq!(p["sections"], sections_except(&[("incident", 0, all)]));
    assert_eq!(p["completeness"], 84);
}

#[test]
fn percentages_round_down() {
    // Pack `one`: only `name` of workflow: 1/39 = 2.56 → 2; workflow 1/6 = 16.7 → 16.
    // Pack `almost`: all but `fallback`: 38/39 = 97.4 → 97; models 2/3 = 66.7 → 66.
    let site = SiteBuilder::new()
        .section("one", "workflow", "name = \"Solo\"\n", "")
        .complete_pack("almost")
        .section(
            "almost",
            "models",
            &complete_toml("models").replace("\"Tickets go to the manual queue\"", "\"TBD\""),
            "",
        );
    site.build_ok();
    let status = site.status();
    let one = pack(&status, "one");
    assert_eq!(one["completeness"], 2);
    let expected: Vec<Value> = FIELDS
        .iter()
        .map(|(stem, fields)| {
            if *stem == "workflow" {
                json!({ "section": "workflow", "completeness": 16, "missing": &fields[1..] })
            } else {
                json!({ "section": stem, "completeness": 0, "missing": fields })
            }
        })
        .collect();
    assert_eq!(one["sections"], Value::Array(expected));
    let almost = pack(&status, "almost");
    assert_eq!(almost["completeness"], 97);
    assert_eq!(
        almost["sections"],
        sections_except(&[("models", 66, &["fallback"])])
    );
}

#[test]
fn unfilled_name_dri_and_review_are_null() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "pack",
            "workflow",
            &complete_toml("workflow").replace("\"Support triage\"", "\"TBD\""),
            "",
        )
        .section(
            "pack",
            "accountability",
            &complete_toml("accountability")
                .replace("\"Dana Ortiz <dana@acme.example>\"", "\"<name>\""),
            "",
        )
        .section("pack", "rhythm", "reviews = []\n", "");
    let p = built_pack(&site, "pack");
    assert_eq!(p["name"], Value::Null);
    assert_eq!(p["dri"], Value::Null);
    assert_eq!(p["last_review"], Value::Null);
    // 36/39 = 92.
    assert_eq!(p["completeness"], 92);
    assert_eq!(p["slug"], "pack");
}

fn phases(entries: &[(&str, &str)]) -> String {
    let mut toml = String::from(
        "dashboards = [\"Board\"]\ndaily_checks = [\"Check\"]\nescalation_path = \"Dana\"\n",
    );
    for (name, status) in entries {
        toml.push_str(&format!(
            "\n[[phases]]\nname = \"{name}\"\naudience = \"a\"\ncriteria = \"c\"\nfeedback_channel = \"f\"\nstatus = \"{status}\"\n"
        ));
    }
    toml
}

fn phase_of(entries: &[(&str, &str)]) -> Value {
    let site =
        SiteBuilder::new()
            .complete_pack("pack")
            .section("pack", "rollout", &phases(entries), "");
    built_pack(&site, "pack")["phase"].clone()
}

#[test]
fn phase_is_the_first_active_else_the_last_done_else_null() {
    assert_eq!(
        phase_of(&[("Dogfood", "done"), ("Beta", "active"), ("GA", "active")]),
        "Beta"
    );
    assert_eq!(
        phase_of(&[("Dogfood", "active"), ("Beta", "done"), ("GA", "planned")]),
        "Dogfood"
    );
    assert_eq!(
        phase_of(&[("Dogfood", "done"), ("Beta", "done"), ("GA", "planned")]),
        "Beta"
    );
    assert_eq!(
        phase_of(&[("Dogfood", "planned"), ("Beta", "planned")]),
        Value::Null
    );
}

#[test]
fn gate_pass_fail_none() {
    let pass = SiteBuilder::new().complete_pack("pack");
    assert_eq!(built_pack(&pass, "pack")["gate"], "pass");

    let results = run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.95")
        + &run_line("2026-11-20", "acme/small-2", "\"accuracy\": 0.5");
    let fail = SiteBuilder::new()
        .complete_pack("pack")
        .file("content/pack/evals/results.jsonl", &results);
    let p = built_pack(&fail, "pack");
    assert_eq!(p["gate"], "fail");
    assert_eq!(p["ready"], false);
    assert_eq!(p["completeness"], 100);

    let none = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "evaluation",
        &complete_toml("evaluation").replace("\"evals/results.jsonl\"", "\"TBD\""),
        "",
    );
    assert_eq!(built_pack(&none, "pack")["gate"], "none");
}

#[test]
fn stale_review_makes_a_complete_pack_not_ready() {
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-10-01"),
        "",
    );
    let p = built_pack(&site, "pack");
    assert_eq!(p["completeness"], 100);
    assert_eq!(p["stale"], true);
    assert_eq!(p["last_review"], "2026-10-01");
    assert_eq!(p["ready"], false);
}

#[test]
fn packs_are_listed_by_slug() {
    let site = SiteBuilder::new()
        .complete_pack("zeta")
        .complete_pack("alpha")
        .complete_pack("mid-2");
    site.build_ok();
    let status = site.status();
    let slugs: Vec<&str> = status["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .map(|p| p["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, ["alpha", "mid-2", "zeta"]);
    assert_eq!(status["title"], "Acme AI rollout packs");
}
